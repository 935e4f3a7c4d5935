// Decoding steps run as step programs (src/decode/stepProgram.ts): one kernel call per token. Held to the layer-by-
// layer path (net.step, useStepPrograms(false)) bit for bit where both run the same kernels, to net.predict over
// every split of a sequence within float32 rounding on awkward shapes, across 1 and 2 threads (the same bits), and
// through what must make a step go layer by layer instead: ids out of range, positions past maxPosition, layers it
// does not take, magnitudes the attention's range check refuses, NaN in a cache, weights replaced mid-decoding.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  additionLayer, dropoutLayer, embeddingLayer, fullyConnectedLayer, geluLayer, getNumThreads, layerNormalizationLayer, netChain, netGraph, positionEmbeddingLayer,
  Random, reluLayer, selfAttentionLayer, setNumThreads, tanhLayer, Tensor, type Layer, type NetGraph,
} from "../../src/index.js";
import { stepProgramRuns, useStepPrograms } from "../../src/decode/stepProgram.js";
import { compositions, decodeInPieces } from "../helpers/decoding.js";
import { expectClose } from "../helpers/numeric.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));
afterEach(() => useStepPrograms(true));
const random = new Random(2026);

interface Shape { vocabulary: number; size: number; heads: number; kvHeads?: number; ffn: number; blocks: number; maxPosition: number; activation?: () => Layer; bias?: boolean; dropout?: boolean }

/** A pre-norm GPT: embedding + position embedding, blocks of attention and feed-forward with residuals, a final norm and logits. */
function gpt({ vocabulary, size, heads, kvHeads, ffn, blocks, maxPosition, activation = geluLayer, bias = true, dropout = false }: Shape): NetGraph {
  const nodes: Record<string, Layer> = { tokens: embeddingLayer(size, vocabulary), positions: positionEmbeddingLayer(size, maxPosition), embedded: additionLayer(2) };
  const edges: [string, string][] = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"]];
  let x = "embedded";
  for (let b = 1; b <= blocks; b++) {
    const n = (s: string) => `b${b}${s}`;
    Object.assign(nodes, {
      [n("norm1")]: layerNormalizationLayer(), [n("attention")]: selfAttentionLayer(heads, size, { attentionMask: "causal", numKeyValueHeads: kvHeads }), [n("res1")]: additionLayer(2),
      [n("norm2")]: layerNormalizationLayer(), [n("up")]: fullyConnectedLayer(ffn, { hasBias: bias }), [n("act")]: activation(),
      [n("drop")]: dropoutLayer(dropout ? 0.3 : 0), [n("down")]: fullyConnectedLayer(size), [n("res2")]: additionLayer(2),
    });
    edges.push([x, n("norm1")], [n("norm1"), n("attention")], [x, `${n("res1")}/in1`], [n("attention"), `${n("res1")}/in2`], [n("res1"), n("norm2")],
      [n("norm2"), n("up")], [n("up"), n("act")], [n("act"), n("drop")], [n("drop"), n("down")], [n("res1"), `${n("res2")}/in1`], [n("down"), `${n("res2")}/in2`]);
    x = n("res2");
  }
  Object.assign(nodes, { norm: layerNormalizationLayer(), logits: fullyConnectedLayer(vocabulary) });
  edges.push([x, "norm"], ["norm", "logits"]);
  return netGraph({ nodes, edges }).initialize({ seed: 7, inputSize: 1 });
}

const tokens = (T: number, vocabulary: number) => Array.from({ length: T }, () => random.int(vocabulary));
const predictIds = (net: NetGraph, ids: number[]) => (net.predict(new Tensor(Float32Array.from(ids), [1, ids.length, 1])) as Tensor).data;

/** A prompt at once, then `steps` one at a time: the outputs of the steps (with programs on or off), and how many ran as programs. */
function decodeSteps(net: NetGraph, prompt: number[], steps: number[], programs: boolean, capacity?: number): { out: Float32Array[]; runs: number } {
  useStepPrograms(programs);
  const decoder = net.startDecoding({ capacity });
  decoder.next(prompt);
  const before = stepProgramRuns();
  const out = steps.map((t) => (decoder.next([t]) as Tensor).data.slice());
  return { out, runs: stepProgramRuns() - before };
}

describe("step programs against net.step and net.predict", () => {
  // model 128 and feed-forward 256: net.step runs layer normalization and GELU in the kernels too, so the same bits
  const shape: Shape = { vocabulary: 11, size: 128, heads: 4, ffn: 256, blocks: 2, maxPosition: 300 };

  it("the bits of the layer-by-layer path over a prompt of 250, then steps across the split-K chunk at 256 keys, at 1 and 2 threads", () => {
    const net = gpt(shape), prompt = tokens(250, 11), steps = tokens(12, 11);
    setNumThreads(1);
    const layers = decodeSteps(net, prompt, steps, false), one = decodeSteps(net, prompt, steps, true);
    expect(layers.runs).toBe(0);
    expect(one.runs, "every step ran as a program").toBe(12);
    one.out.forEach((y, i) => expect(Array.from(y), `step ${i + 1}`).toEqual(Array.from(layers.out[i])));
    setNumThreads(2);
    const two = decodeSteps(net, prompt, steps, true);
    expect(two.runs).toBe(12);
    two.out.forEach((y, i) => expect(Array.from(y), `step ${i + 1}, 2 threads`).toEqual(Array.from(one.out[i])));
    setNumThreads(1);
    const whole = predictIds(net, [...prompt, ...steps]), V = shape.vocabulary;
    one.out.forEach((y, i) => expectClose(y, whole.subarray((250 + i) * V, (251 + i) * V), 1e-4, 1e-5, `step ${i + 1} against predict`));
  });

  // odd head sizes (D = 3: padded to 4), grouped-query heads, no bias, relu, dropout (nothing at inference), one block
  for (const [what, s] of [
    ["odd head size, 3 heads", { vocabulary: 7, size: 9, heads: 3, ffn: 5, blocks: 2, maxPosition: 8 }],
    ["grouped-query heads (4 over 2), no bias, relu, dropout", { vocabulary: 5, size: 8, heads: 4, kvHeads: 2, ffn: 12, blocks: 1, maxPosition: 8, activation: reluLayer, bias: false, dropout: true }],
  ] as [string, Shape][]) {
    it(`${what}: every split of T = 7 equals net.predict`, () => {
      const net = gpt(s), ids = tokens(7, s.vocabulary), whole = predictIds(net, ids);
      const before = stepProgramRuns();
      for (const pieces of compositions(7)) {
        expectClose(decodeInPieces(net.startDecoding({ capacity: 2 }), new Tensor(Float32Array.from(ids), [7]), pieces), whole, 1e-5, 1e-6, `pieces ${pieces}`);
      }
      expect(stepProgramRuns() - before).toBe(compositions(7).flat().filter((n) => n === 1).length);
    });
  }

  it("caches that grow from a capacity of 2 over 40 steps (the arena regions made again, larger)", () => {
    const s = { vocabulary: 13, size: 16, heads: 2, ffn: 32, blocks: 2, maxPosition: 48 };
    const net = gpt(s), ids = tokens(41, 13), whole = predictIds(net, ids);
    const { out, runs } = decodeSteps(net, ids.slice(0, 1), ids.slice(1), true, 2);
    expect(runs).toBe(40);
    out.forEach((y, i) => expectClose(y, whole.subarray((i + 1) * 13, (i + 2) * 13), 1e-5, 1e-6, `step ${i + 1}`));
  });

  it("a netChain, and a graph with a second output read from inside a block (that norm's values kept shared): the bits of net.step", () => {
    const chain = netChain([
      embeddingLayer(16, 9), layerNormalizationLayer(), selfAttentionLayer(2, 16, { attentionMask: "causal" }), fullyConnectedLayer(32), reluLayer(), fullyConnectedLayer(9),
    ]).initialize({ seed: 4, inputSize: 1 });
    const base = gpt({ vocabulary: 9, size: 16, heads: 2, ffn: 32, blocks: 1, maxPosition: 12 });
    const twoOutputs = netGraph({ nodes: { ...base.nodes }, edges: base.edges, outputs: { logits: "logits", normed: "b1norm2" } }).initialize({ seed: 7, inputSize: 1 });
    for (const net of [chain, twoOutputs]) {
      const prompt = tokens(3, 9), steps = tokens(5, 9);
      const run = (programs: boolean) => {
        useStepPrograms(programs);
        const decoder = net.startDecoding();
        decoder.next(prompt);
        const before = stepProgramRuns();
        const out = steps.map((t) => decoder.next([t]));
        return { out, runs: stepProgramRuns() - before };
      };
      const layers = run(false), programs = run(true);
      expect(programs.runs).toBe(5);
      programs.out.forEach((y, i) => {
        if (y instanceof Tensor) expect(Array.from(y.data)).toEqual(Array.from((layers.out[i] as Tensor).data));
        else for (const k of Object.keys(y)) expect(Array.from((y as Record<string, Tensor>)[k].data), k).toEqual(Array.from((layers.out[i] as Record<string, Tensor>)[k].data));
      });
    }
  });

  it("one token as a Tensor [1], [1, 1] or [1, 1, 1] (generate's form): the shapes and values of an id array's", () => {
    const net = gpt({ vocabulary: 7, size: 8, heads: 2, ffn: 32, blocks: 1, maxPosition: 12 });
    const prompt = tokens(3, 7), steps = tokens(3, 7);
    const decoders = [0, 1, 2, 3].map(() => { const d = net.startDecoding(); d.next(prompt); return d; });
    const before = stepProgramRuns();
    for (const t of steps) {
      const [plain, single, batch, column] = [
        decoders[0].next([t]), decoders[1].next(new Tensor(Float32Array.of(t), [1])), decoders[2].next(new Tensor(Float32Array.of(t), [1, 1])), decoders[3].next(new Tensor(Float32Array.of(t), [1, 1, 1])),
      ] as Tensor[];
      expect([single.shape, batch.shape, column.shape]).toEqual([plain.shape, [1, 1, 7], [1, 1, 7]]);
      for (const y of [single, batch, column]) expect(Array.from(y.data)).toEqual(Array.from(plain.data));
    }
    expect(stepProgramRuns() - before).toBe(12);
    expect(decoders.map((d) => d.position)).toEqual([6, 6, 6, 6]);
    expect(() => decoders[1].next(new Tensor(Float32Array.of(7), [1]))).toThrow(/indices must be integers in \[0, 7\)/);
    expect(decoders[1].position).toBe(6);
  });

  it("forks and selected rows continue from the program's caches", () => {
    const s = { vocabulary: 9, size: 8, heads: 2, ffn: 16, blocks: 1, maxPosition: 16 };
    const net = gpt(s), prompt = tokens(3, 9), a = tokens(4, 9), b = tokens(4, 9);
    const decoder = net.startDecoding();
    decoder.next(prompt);
    decoder.next([a[0]]);
    const fork = decoder.fork(), picked = decoder.select([0]);
    const rest = (d: typeof decoder, seq: number[]) => seq.slice(1).map((t) => (d.next([t]) as Tensor).data.slice());
    const [ya, yb, yc] = [rest(decoder, a), rest(fork, [a[0], ...b.slice(1)]), rest(picked, a)];
    const wa = predictIds(net, [...prompt, ...a]), wb = predictIds(net, [...prompt, a[0], ...b.slice(1)]);
    [ya, yc].forEach((ys) => ys.forEach((y, i) => expectClose(y, wa.subarray((4 + i) * 9, (5 + i) * 9), 1e-5, 1e-6, `a step ${i + 2}`)));
    yb.forEach((y, i) => expectClose(y, wb.subarray((4 + i) * 9, (5 + i) * 9), 1e-5, 1e-6, `fork step ${i + 2}`));
  });
});

describe("steps that go layer by layer", () => {
  // feed-forward 32: net.step runs GELU in the kernel too (below 32 elements, its float64 reference), so the same bits
  const small = { vocabulary: 6, size: 8, heads: 2, ffn: 32, blocks: 1, maxPosition: 5 };

  it("an id out of range and a position past maxPosition: net.step's errors, and the decoder unchanged", () => {
    const net = gpt(small), decoder = net.startDecoding();
    decoder.next([1, 2, 3]);
    const runs = stepProgramRuns();
    expect(() => decoder.next([6])).toThrow(/indices must be integers in \[0, 6\)/);
    expect(() => decoder.next([2.5])).toThrow(/indices must be integers/);
    expect(decoder.position).toBe(3);
    decoder.next([4]);
    decoder.next([5]);
    expect(stepProgramRuns() - runs).toBe(2);
    expect(() => decoder.next([1])).toThrow(/decoding would reach position 6 but maxPosition is 5/);
    expect(decoder.position).toBe(5);
  });

  it("a net with a layer the programs do not take (tanhLayer) decodes layer by layer, right", () => {
    const net = gpt({ ...small, activation: tanhLayer, maxPosition: 8 }), ids = tokens(6, 6), whole = predictIds(net, ids);
    const { out, runs } = decodeSteps(net, ids.slice(0, 2), ids.slice(2), true);
    expect(runs).toBe(0);
    out.forEach((y, i) => expectClose(y, whole.subarray((2 + i) * 6, (3 + i) * 6), 1e-5, 1e-6, `step ${i + 1}`));
  });

  it("scores float32 cannot hold (q·k ~ 1e32): the step is refused and net.step gives its answer", () => {
    const net = gpt({ ...small, maxPosition: 8 });
    for (const name of ["b1attention/queryWeights", "b1attention/keyWeights"]) {
      const w = net.parameters[name];
      net.setParameter(name, new Tensor(w.data.map((x) => x * 1e17), w.shape));
    }
    const ids = tokens(6, 6);
    const layers = decodeSteps(net, ids.slice(0, 2), ids.slice(2), false), programs = decodeSteps(net, ids.slice(0, 2), ids.slice(2), true);
    expect(programs.runs, "no step ran as a program").toBe(0);
    programs.out.forEach((y, i) => expect(Array.from(y)).toEqual(Array.from(layers.out[i])));
    for (const y of programs.out) expect(y.every(Number.isFinite)).toBe(true);
  });

  it("NaN in a token's embedding: that step and the ones after it (the cache holds NaN) go layer by layer, as before", () => {
    const net = gpt({ ...small, maxPosition: 8 });
    const table = net.parameters["tokens/weights"];
    const poisoned = table.data.slice();
    poisoned.fill(NaN, 3 * 8, 4 * 8); // token 3
    net.setParameter("tokens/weights", new Tensor(poisoned, table.shape));
    const steps = [1, 3, 2, 0];
    const layers = decodeSteps(net, [0, 1], steps, false), programs = decodeSteps(net, [0, 1], steps, true);
    expect(programs.runs, "only the step before token 3").toBe(1);
    programs.out.forEach((y, i) => expect(Array.from(y)).toEqual(Array.from(layers.out[i])));
  });

  it("weights replaced mid-decoding: the next step uses the new weights, as net.step does", () => {
    const make = () => gpt({ ...small, maxPosition: 8 });
    const [a, b] = [make(), make()];
    const results = [true, false].map((programs) => {
      useStepPrograms(programs);
      const net = programs ? a : b, decoder = net.startDecoding();
      decoder.next([1, 2]);
      const first = (decoder.next([3]) as Tensor).data.slice();
      const w = net.parameters["logits/weights"];
      net.setParameter("logits/weights", new Tensor(w.data.map((x) => -2 * x), w.shape));
      return [first, (decoder.next([4]) as Tensor).data.slice()];
    });
    expect(Array.from(results[0][1])).toEqual(Array.from(results[1][1]));
    expect(Array.from(results[0][1])).not.toEqual(Array.from(results[0][0]));
  });
});
