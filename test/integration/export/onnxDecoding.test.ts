// exportOnnx(net, { decoding: true }) in onnxruntime-node: the model takes the new positions and each attention
// node's past keys and values, and gives the outputs for the new positions and the present keys and values.
// Fed through its own past/present, it decodes as net.startDecoding does: the same greedy tokens as generate and
// the same logits (float32 rounding) at every step, for any split of the prompt, from an empty past.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, type AttentionLayerOptions, embeddingLayer, exportOnnx, fullyConnectedLayer, generate, lstmLayer,
  netChain, netGraph, positionEmbeddingLayer, Random, selfAttentionLayer, sequenceInputLayer, Tensor, type NetGraph,
} from "attention-layers"; // as app/cli/lmModel.ts imports it (the source under test)
import { characterGpt } from "../../../app/cli/lmModel.js";
import { expectClose } from "../../helpers/numeric.js";

/** The exported decoder driven as a user would: each call feeds the new positions and the last call's present caches as the past. */
class OnnxDecoder {
  private past: Record<string, ort.Tensor> = {};
  private constructor(readonly session: ort.InferenceSession, private position?: number) {}

  /** Starts with an empty past ([1, heads, 0, size] for every cache input; a `position` input at 0). */
  static async start(net: NetGraph): Promise<OnnxDecoder> {
    const session = await ort.InferenceSession.create(exportOnnx(net, { decoding: true }));
    const decoder = new OnnxDecoder(session, session.inputNames.includes("position") ? 0 : undefined);
    const meta = session.inputMetadata as unknown as { name: string; shape: (number | string)[] }[];
    for (const m of meta.filter((m) => m.name.startsWith("past_"))) {
      decoder.past[m.name] = new ort.Tensor("float32", new Float32Array(0), [1, m.shape[1] as number, 0, m.shape[3] as number]);
    }
    return decoder;
  }

  /** Token ids (or vectors [n, C] when `channels` is given) of the new positions → the output rows [n, O]. */
  async next(x: readonly number[], channels?: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
    const input = channels === undefined
      ? new ort.Tensor("int64", BigInt64Array.from(x.map(BigInt)), [1, x.length])
      : new ort.Tensor("float32", Float32Array.from(x), [1, x.length / channels, channels]);
    const feeds: Record<string, ort.Tensor> = { input, ...this.past };
    if (this.position !== undefined) feeds.position = new ort.Tensor("int64", BigInt64Array.of(BigInt(this.position)), [1]);
    const result = await this.session.run(feeds);
    for (const name of Object.keys(this.past)) this.past[name] = result[name.replace(/^past_/, "present_")];
    if (this.position !== undefined) this.position += input.dims[1];
    return { data: result[this.session.outputNames[0]].data as Float32Array, dims: result[this.session.outputNames[0]].dims };
  }

  /** Positions in the caches (each present's axis 2). */
  get cached(): number[] {
    return Object.values(this.past).map((t) => t.dims[2]);
  }
}

const close = (actual: Float32Array, expected: ArrayLike<number>, what: string) => expectClose(actual, expected, 1e-4, 2e-5, what);
const argmax = (row: ArrayLike<number>) => Array.prototype.indexOf.call(row, Math.max(...Array.from(row))) as number;
const lastRow = (t: { data: Float32Array; dims: readonly number[] }) => t.data.subarray(t.data.length - (t.dims.at(-1) as number));

describe("exportOnnx(net, { decoding: true }) in onnxruntime-node", () => {
  // the lm job's character GPT, small: 2 blocks, width 27, 3 heads of 3 key channels each (9 in all), vocabulary 19
  const net = characterGpt({ vocabulary: 19, size: 15, heads: 3, blocks: 2, context: 64, feedForward: 32 }).initialize({ seed: 5, inputSize: 1 });
  const prompt = [3, 1, 4, 1, 5, 9, 2];

  it("declares the input, each attention node's past keys and values, the logits and the present keys and values", async () => {
    const session = await ort.InferenceSession.create(exportOnnx(net, { decoding: true }));
    const caches = (prefix: string) => ["b1_attention", "b2_attention"].flatMap((n) => [`${prefix}_key_${n}`, `${prefix}_value_${n}`]);
    expect(session.inputNames).toEqual(["input", ...caches("past")]);
    expect(session.outputNames).toEqual([...net.outputNames, ...caches("present")]);
    const meta = session.inputMetadata as unknown as { name: string; type: string; shape: (number | string)[] }[];
    expect(meta.map((m) => [m.type, m.shape])).toEqual([["int64", ["batch", "new"]], ...Array(4).fill(["float32", ["batch", 3, "past", 5]])]);
  });

  it("greedy decoding through past/present gives generate's tokens and the decoder's logits at every step (prompt of 7, 20 new tokens)", async () => {
    const steps = 20;
    const ours = generate(net, prompt, { temperature: 0, maxNewTokens: steps });
    const reference = net.startDecoding();
    const onnx = await OnnxDecoder.start(net);
    expect(onnx.cached).toEqual([0, 0, 0, 0]); // the first call has an empty past
    let want = reference.next(prompt) as Tensor, got = await onnx.next(prompt);
    const tokens: number[] = [];
    for (let step = 0; step < steps; step++) {
      expect(got.dims).toEqual([1, want.shape[0], 19]);
      close(got.data, want.data, `step ${step}`);
      const token = argmax(lastRow(got));
      tokens.push(token);
      if (step === steps - 1) break;
      [want, got] = [reference.next([token]) as Tensor, await onnx.next([token])];
    }
    expect(tokens).toEqual(ours);
    expect(onnx.cached).toEqual(Array(4).fill(prompt.length + steps - 1));
    expect(new Set(tokens).size).toBeGreaterThan(1); // the logits are not flat: a greedy choice was made
  });

  it("a prefill of one token, and a prompt in two chunks, give what the whole prompt gives (net.predict)", async () => {
    const whole = (ids: number[]) => (net.predict(new Tensor(Float32Array.from(ids), [1, ids.length, 1])) as Tensor).data;
    const one = await OnnxDecoder.start(net);
    close((await one.next([prompt[0]])).data, whole([prompt[0]]), "prefill of 1");
    close((await one.next([prompt[1]])).data, whole(prompt.slice(0, 2)).subarray(19), "then one more");
    const chunks = await OnnxDecoder.start(net);
    const first = await chunks.next(prompt.slice(0, 3)), second = await chunks.next(prompt.slice(3));
    expect(second.dims).toEqual([1, 4, 19]);
    close(Float32Array.of(...first.data, ...second.data), whole(prompt), "chunks 3 + 4");
  });

  it("a batch of rows of equal lengths decodes each row as the library's batch decoder does", async () => {
    const session = await ort.InferenceSession.create(exportOnnx(net, { decoding: true }));
    const rows = [prompt.slice(0, 4), prompt.slice(3)]; // 2 rows of 4, then 1 more token each
    const reference = net.startDecoding({ batch: 2 });
    let past: Record<string, ort.Tensor> = Object.fromEntries(session.inputNames.slice(1).map((n) => [n, new ort.Tensor("float32", new Float32Array(0), [2, 3, 0, 5])]));
    for (const ids of [rows, [[7], [8]]]) {
      const T = ids[0].length;
      const got = await session.run({ input: new ort.Tensor("int64", BigInt64Array.from(ids.flat().map(BigInt)), [2, T]), ...past });
      past = Object.fromEntries(Object.keys(past).map((n) => [n, got[n.replace(/^past_/, "present_")]]));
      close(got[net.outputNames[0]].data as Float32Array, (reference.next(new Tensor(Float32Array.from(ids.flat()), [2, T])) as Tensor).data, `batch of 2, ${T} new`);
    }
  });

  it("attentionLayer as causal self-attention (Dot and Bilinear, windows, every score rescaling) decodes as the library does", async () => {
    const cases: ["Dot" | "Bilinear", AttentionLayerOptions][] = [
      ["Dot", { mask: "causal" }], ["Dot", { mask: { causal: 2 }, scoreRescaling: "lengthSqrt" }],
      ["Bilinear", { mask: "causal", scoreRescaling: "dimensionSqrt" }], ["Bilinear", { mask: { causal: 3 }, scoreRescaling: "lengthSqrt" }],
    ];
    const random = new Random(4);
    const x = Array.from({ length: 6 * 5 }, () => random.normal());
    for (const [scoring, options] of cases) {
      const attention = netGraph({
        nodes: { in: sequenceInputLayer(5), q: fullyConnectedLayer(4), k: fullyConnectedLayer(scoring === "Dot" ? 4 : 3), v: fullyConnectedLayer(2), attention: attentionLayer(scoring, options) },
        edges: [["input", "in"], ["in", "q"], ["in", "k"], ["in", "v"], ["q", "attention/query"], ["k", "attention/key"], ["v", "attention/value"]],
      }).initialize({ seed: 2 });
      const what = `${scoring} ${JSON.stringify(options)}`;
      const onnx = await OnnxDecoder.start(attention);
      expect(onnx.session.inputNames, what).toEqual(["input", "past_key_attention", "past_value_attention"]);
      const reference = attention.startDecoding();
      for (const [from, to] of [[0, 2], [2, 3], [3, 6]]) {
        const piece = x.slice(from * 5, to * 5);
        close((await onnx.next(piece, 5)).data, (reference.next(new Tensor(Float32Array.from(piece), [to - from, 5])) as Tensor).data, `${what}, positions ${from}…${to - 1}`);
      }
    }
  });

  it("a nested net's caches are named by the node's path; a net with a position embedding and no attention takes `position`", async () => {
    const inner = netChain([selfAttentionLayer(1, 3, { attentionMask: "causal", name: "attention" })], { name: "block" });
    const nested = netChain([sequenceInputLayer(4), inner, fullyConnectedLayer(2)]).initialize({ seed: 3 });
    const random = new Random(5);
    const x = Array.from({ length: 5 * 4 }, () => random.normal());
    const onnx = await OnnxDecoder.start(nested);
    expect(onnx.session.inputNames).toEqual(["input", "past_key_block/attention", "past_value_block/attention"]);
    const whole = (nested.predict(new Tensor(Float32Array.from(x), [5, 4])) as Tensor).data;
    close(Float32Array.of(...(await onnx.next(x.slice(0, 8), 4)).data, ...(await onnx.next(x.slice(8), 4)).data), whole, "nested, 2 + 3");

    const positional = netGraph({
      nodes: { tokens: embeddingLayer(3, 7), positions: positionEmbeddingLayer(3, 9), sum: additionLayer(2), out: fullyConnectedLayer(4) },
      edges: [["input", "tokens"], ["tokens", "positions"], ["tokens", "sum/in1"], ["positions", "sum/in2"], ["sum", "out"]],
    }).initialize({ seed: 6, inputSize: 1 });
    const decoder = await OnnxDecoder.start(positional);
    expect(decoder.session.inputNames).toEqual(["input", "position"]);
    const ids = [1, 6, 0, 2, 5];
    const expected = (positional.predict(new Tensor(Float32Array.from(ids), [1, 5, 1])) as Tensor).data;
    close(Float32Array.of(...(await decoder.next(ids.slice(0, 2))).data, ...(await decoder.next(ids.slice(2))).data), expected, "position input, 2 + 3");
  });

  it("refuses nets that cannot decode with startDecoding's message, recurrent state, and a bad option", () => {
    const refusal = (n: NetGraph) => {
      try {
        n.startDecoding();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("startDecoding accepted the net");
    };
    const notCausal = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 2)]).initialize({ seed: 1 });
    const padded = netGraph({
      nodes: { attention: selfAttentionLayer(1, 2, { attentionMask: "causal", hasPaddingMaskInput: true }) },
      edges: [["input", "attention/in"], ["mask", "attention/mask"]], inputs: ["input", "mask"],
    }).initialize({ seed: 1, inputSize: 3, maskSize: 1 });
    expect(() => exportOnnx(notCausal, { decoding: true })).toThrow(`exportOnnx: ${refusal(notCausal)}`);
    expect(refusal(notCausal)).toMatch(/cannot decode step by step: its attentionMask is "none"/);
    expect(() => exportOnnx(padded, { decoding: true })).toThrow(/exportOnnx: \{ decoding: true \} exports nets with one input; .* has 2 \(input, mask\)/);
    const recurrent = netChain([sequenceInputLayer(3), lstmLayer(2, { outputMode: "sequence" })]).initialize({ seed: 1 });
    expect(() => exportOnnx(recurrent, { decoding: true })).toThrow(/^exportOnnx: node "2": lstmLayer keeps a recurrent state when decoding, which the decoding export does not carry/);
    expect(() => exportOnnx(net, { decoding: "yes" as unknown as boolean })).toThrow(/exportOnnx: decoding must be/);
  });
});
