// Incremental decoding through recurrent layers (lstmLayer, gruLayer in its three reset-gate modes,
// basicRecurrentLayer): for every split of a sequence into consecutive next() calls, the concatenated outputs
// equal net.predict on the whole sequence; ragged batches, forks, a net mixing a recurrent layer and causal
// self-attention, the state ports, and the layers that refuse (bidirectional, outputMode "last").
import { describe, expect, it } from "vitest";
import {
  additionLayer, basicRecurrentLayer, bilstmLayer, fullyConnectedLayer, gruLayer, lstmLayer, netChain, netGraph, Random, selfAttentionLayer, sequenceInputLayer,
  Tensor, type Layer, type NetGraph,
} from "../../src/index.js";
import { Pending } from "../../src/layers/layer.js";
import { compositions, decodeInPieces } from "../helpers/decoding.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

const random = new Random(17);
const C = 3, H = 4;
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) => expectClose(Float32Array.from(actual), expected, 1e-5, 1e-6, what);
const context = () => ({ training: false, random: new Random(0), pending: new Pending() });

type Options = { hasStateInputs?: boolean; hasStateOutputs?: boolean };
const kinds: [string, (options?: Options) => Layer][] = [
  ["lstmLayer", (o) => lstmLayer(H, o)],
  ["gruLayer after-multiplication", (o) => gruLayer(H, o)],
  ["gruLayer before-multiplication", (o) => gruLayer(H, { resetGateMode: "before-multiplication", ...o })],
  ["gruLayer recurrent-bias-after-multiplication", (o) => gruLayer(H, { resetGateMode: "recurrent-bias-after-multiplication", ...o })],
  ["basicRecurrentLayer", (o) => basicRecurrentLayer(H, o)],
];

/** Random biases (they start at zeros or ones), so every bias term, a GRU's recurrent one included, counts. */
function randomBias(layer: Layer): Layer {
  layer.setParameter("bias", randomTensor([...layer.parameters.bias.shape], random));
  return layer;
}

/** sequenceInputLayer(C) → the recurrent layer → fullyConnectedLayer(2). */
function chainOf(layer: Layer): NetGraph {
  const net = netChain([sequenceInputLayer(C), layer, fullyConnectedLayer(2)]).initialize({ seed: 5 });
  randomBias(layer);
  return net;
}

/** Rows of x [B, T, C]: row b's counts[b] positions from from[b], padded to one batch with those counts as lengths. */
function chunk(x: Tensor, from: number[], counts: number[]): { x: Tensor; lengths: number[] } {
  const [B, T] = x.shape, n = Math.max(...counts), data = new Float32Array(B * n * C);
  for (let b = 0; b < B; b++) data.set(x.data.subarray((b * T + from[b]) * C, (b * T + from[b] + counts[b]) * C), b * n * C);
  return { x: new Tensor(data, [B, n, C]), lengths: counts };
}

/** Row b of x [B, T, C] from position `from`, n positions: [n, C]. */
const piece = (x: Tensor, from: number, n: number) => new Tensor(x.data.slice(from * C, (from + n) * C), [n, C]);

describe("recurrent layers decode step by step as the whole sequence predicts", () => {
  for (const [what, make] of kinds) {
    it(`${what}: every split of T = 6 equals net.predict bit for bit`, () => {
      const net = chainOf(make());
      const x = randomTensor([6, C], random);
      const whole = Array.from((net.predict(x) as Tensor).data);
      for (const pieces of compositions(6)) expect(Array.from(decodeInPieces(net.startDecoding(), x, pieces)), `pieces ${pieces}`).toEqual(whole);
    });

    it(`${what}: a ragged batch, each row given its own number of new positions per call`, () => {
      const net = chainOf(make());
      const sequences = [randomTensor([5, C], random), randomTensor([3, C], random), randomTensor([4, C], random)];
      const expected = (net.predict(sequences) as Tensor[]).map((t) => Array.from(t.data));
      const decoder = net.startDecoding({ batch: 3 });
      const pieces = [[2, 3], [1, 2], [3, 1]]; // row b's positions in call k: pieces[b][k]
      const got: number[][] = [[], [], []], at = [0, 0, 0];
      for (let k = 0; k < 2; k++) {
        const outs = decoder.next(sequences.map((s, b) => piece(s, at[b], pieces[b][k]))) as Tensor[];
        outs.forEach((o, b) => { expect(o.shape).toEqual([pieces[b][k], 2]); got[b].push(...o.data); at[b] += pieces[b][k]; });
      }
      expect(decoder.position).toEqual([5, 3, 4]);
      got.forEach((g, b) => expect(g, `row ${b}`).toEqual(expected[b]));
    });

    it(`${what}: a row given no new positions keeps its state (the layer's step with a count of 0)`, () => {
      const layer = randomBias(make().initialize({ seed: 2, inputSize: C }));
      const x = randomTensor([2, 5, C], random);
      const whole = (layer.apply(x) as Tensor).data; // [2, 5, H]
      const state = layer.startState(2, 8);
      const first = layer.step({ in: chunk(x, [0, 0], [3, 0]) }, state, context()).out.x; // row 1 sits this call out
      const second = layer.step({ in: chunk(x, [3, 0], [2, 5]) }, state, context()).out.x;
      const row = (t: Tensor, b: number, n: number) => Array.from(t.data.slice(b * t.shape[1] * H, (b * t.shape[1] + n) * H));
      expect(row(first, 1, 3)).toEqual(new Array(3 * H).fill(0)); // padding
      expect([...row(first, 0, 3), ...row(second, 0, 2)]).toEqual(Array.from(whole.slice(0, 5 * H)));
      expect(row(second, 1, 5)).toEqual(Array.from(whole.slice(5 * H)));
    });

    it(`${what}: fork() continues independently of the decoder it was forked from`, () => {
      const net = chainOf(make());
      const prompt = randomTensor([3, C], random), a = randomTensor([2, C], random), b = randomTensor([2, C], random);
      const joined = (tail: Tensor) => new Tensor(Float32Array.from([...prompt.data, ...tail.data]), [5, C]);
      const decoder = net.startDecoding();
      decoder.next(prompt);
      const forked = decoder.fork();
      const outA = (decoder.next(a) as Tensor).data, outB = (forked.next(b) as Tensor).data;
      expect(Array.from(outA)).toEqual(Array.from((net.predict(joined(a)) as Tensor).data.slice(3 * 2)));
      expect(Array.from(outB)).toEqual(Array.from((net.predict(joined(b)) as Tensor).data.slice(3 * 2)));
      expect([decoder.position, forked.position]).toEqual([5, 5]);
    });

    it(`${what}: state ports: the "hidden"/"cell" inputs start each row, the outputs give the state so far`, () => {
      const layer = randomBias(make({ hasStateInputs: true, hasStateOutputs: true }).initialize({ seed: 3, inputSize: C }));
      const names = layer.inputNames.slice(1);
      const x = randomTensor([2, 5, C], random);
      const given = Object.fromEntries(names.map((n) => [n, randomTensor([2, H], random)]));
      const whole = layer.forward({ in: { x }, ...Object.fromEntries(names.map((n) => [n, { x: given[n] }])) }, context());
      for (const pieces of compositions(5)) {
        const state = layer.startState(2, 8);
        const outs: number[][] = [[], []];
        let last: Record<string, { x: Tensor }> = {};
        let from = 0;
        for (const n of pieces) {
          // later calls' state inputs are not used: give other values to show it
          const states = Object.fromEntries(names.map((s) => [s, { x: from === 0 ? given[s] : randomTensor([2, H], random) }]));
          last = layer.step({ in: chunk(x, [from, from], [n, n]), ...states }, state, context());
          [0, 1].forEach((b) => outs[b].push(...last.out.x.data.slice(b * n * H, (b + 1) * n * H)));
          from += n;
        }
        expect(outs.flat(), `pieces ${pieces}`).toEqual(Array.from(whole.out.x.data));
        for (const s of names) expect(Array.from(last[s].x.data), `${s}, pieces ${pieces}`).toEqual(Array.from(whole[s].x.data));
      }
    });
  }

  it("mark() undoes the steps after it; clone() copies the state", () => {
    const layer = randomBias(lstmLayer(H).initialize({ seed: 4, inputSize: C }));
    const x = randomTensor([1, 4, C], random);
    const state = layer.startState(1, 8)!;
    layer.step({ in: chunk(x, [0], [2]) }, state, context());
    const copy = state.clone(), undo = state.mark();
    const once = Array.from(layer.step({ in: chunk(x, [2], [2]) }, state, context()).out.x.data);
    undo();
    expect(Array.from(layer.step({ in: chunk(x, [2], [2]) }, state, context()).out.x.data)).toEqual(once);
    expect(Array.from(layer.step({ in: chunk(x, [2], [2]) }, copy, context()).out.x.data)).toEqual(once);
  });

  it("a net of an lstmLayer, causal self-attention over its outputs (with a residual) and a fullyConnectedLayer", () => {
    const lstm = lstmLayer(H);
    const net = netGraph({
      nodes: { in: sequenceInputLayer(C), lstm, attention: selfAttentionLayer(2, 4, { attentionMask: "causal", outputSize: H }), sum: additionLayer(2), gru: gruLayer(3), out: fullyConnectedLayer(2) },
      edges: [["input", "in"], ["in", "lstm"], ["lstm", "attention"], ["lstm", "sum/in1"], ["attention", "sum/in2"], ["sum", "gru"], ["gru", "out"]],
    }).initialize({ seed: 7 });
    randomBias(lstm);
    const x = randomTensor([5, C], random);
    const whole = (net.predict(x) as Tensor).data;
    for (const pieces of compositions(5)) close(decodeInPieces(net.startDecoding(), x, pieces), whole, `pieces ${pieces}`);
  });

  it("refuses bidirectional layers and outputMode \"last\", naming why", () => {
    const chain = (layer: Layer) => netChain([sequenceInputLayer(C), layer]).initialize({ seed: 1 });
    expect(() => chain(bilstmLayer(H)).startDecoding()).toThrow(/node "2": bilstmLayer: cannot decode step by step: it is bidirectional, and its backward direction starts at each sequence's end/);
    expect(() => chain(gruLayer(H, { bidirectional: true })).startDecoding()).toThrow(/gruLayer: cannot decode step by step: it is bidirectional/);
    expect(() => chain(basicRecurrentLayer(H, { bidirectional: true })).startDecoding()).toThrow(/basicRecurrentLayer: cannot decode step by step: it is bidirectional/);
    expect(() => chain(lstmLayer(H, { outputMode: "last" })).startDecoding()).toThrow(/lstmLayer: cannot decode step by step: its outputMode is "last".*decode with outputMode "sequence"/);
  });
});
