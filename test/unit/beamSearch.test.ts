// beamSearch against greedy decoding (beamWidth 1) and against brute force: with a beam as wide as the set of
// all hypotheses of a tiny vocabulary and length, the results are every hypothesis ranked as an enumeration over
// net.predict ranks them (log-probabilities summed in float64), with and without GNMT's length penalty; for a
// seq2seq net with a fixed source (logits or softmax) and a causal language model (its key/value caches
// reordered row by row).
import { describe, expect, it } from "vitest";
import { beamSearch, embeddingLayer, fullyConnectedLayer, generate, netGraph, Random, selfAttentionLayer, Tensor, type NetGraph } from "../../src/index.js";
import { bahdanauNet, idBatch, predictPair, randomIds } from "../helpers/seq2seq.js";

const random = new Random(5);

/** log p of each token of every row of a net's output [T, V] (logits → log-softmax; probabilities → log). */
function logRows(y: Tensor, probabilities: boolean): number[][] {
  const [T, V] = y.shape;
  return Array.from({ length: T }, (_, t) => {
    const row = Array.from(y.data.subarray(t * V, (t + 1) * V));
    if (probabilities) return row.map(Math.log);
    const m = Math.max(...row), log = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
    return row.map((z) => z - log);
  });
}

/** A causal one-layer language model over V tokens. */
function languageModel(V: number): NetGraph {
  return netGraph({
    nodes: { tokens: embeddingLayer(4, V), attention: selfAttentionLayer(1, 4, { attentionMask: "causal" }), head: fullyConnectedLayer(V) },
    edges: [["input", "tokens"], ["tokens", "attention"], ["attention", "head"]],
  }).initialize({ seed: 9, inputSize: 1 });
}

/** Every hypothesis of up to L tokens over V (those that end with `stop`, and those of L tokens without it), scored by enumeration. */
function enumerate(outputOf: (previous: number[]) => number[][], start: number[], V: number, L: number, stop: number, alpha: number) {
  const all: { tokens: number[]; logProbability: number; score: number; finished: boolean }[] = [];
  const grow = (tokens: number[]) => {
    const logp = (ys: number[]) => ys.reduce((s, y, t) => s + outputOf([...start, ...ys.slice(0, t)]).at(-1)![y], 0);
    const score = (l: number, n: number) => l / ((5 + n) / 6) ** alpha;
    const ended = logp([...tokens, stop]);
    all.push({ tokens, logProbability: ended, score: score(ended, tokens.length + 1), finished: true });
    for (let v = 0; v < V; v++) {
      if (v === stop) continue;
      if (tokens.length + 1 === L) {
        const l = logp([...tokens, v]);
        all.push({ tokens: [...tokens, v], logProbability: l, score: score(l, L), finished: false });
      } else grow([...tokens, v]);
    }
  };
  grow([]);
  return all.sort((a, b) => b.score - a.score);
}

describe("beamSearch", () => {
  const V = 3, L = 3, stop = 0;
  const cases: [string, NetGraph, Record<string, number[]> | undefined, (previous: number[]) => Tensor, boolean][] = [];
  const source = randomIds(3, V, random);
  for (const softmax of [false, true]) {
    const net = bahdanauNet({ vocabulary: V, softmax, seed: 11 });
    cases.push([`seq2seq net (${softmax ? "softmax" : "logits"})`, net, { source }, (previous) => predictPair(net, source, previous), softmax]);
  }
  const lm = languageModel(V);
  cases.push(["causal language model", lm, undefined, (previous) => { const y = lm.predict(idBatch(previous)) as Tensor; return new Tensor(y.data, y.shape.slice(1)); }, false]);

  for (const [what, net, inputs, predict, probabilities] of cases) {
    for (const alpha of [0, 0.7]) {
      it(`${what}, lengthPenalty ${alpha}: a beam as wide as all hypotheses returns them all, ranked as brute force ranks them`, () => {
        const expected = enumerate((p) => logRows(predict(p), probabilities), [1], V, L, stop, alpha);
        expect(expected).toHaveLength(15);
        const got = beamSearch(net, { inputs, start: 1, beamWidth: 15, maxNewTokens: L, stop, lengthPenalty: alpha });
        expect(got.map((h) => h.tokens)).toEqual(expected.map((h) => h.tokens));
        expect(got.map((h) => h.finished)).toEqual(expected.map((h) => h.finished));
        got.forEach((h, i) => {
          expect(h.logProbability).toBeCloseTo(expected[i].logProbability, 4);
          expect(h.score).toBeCloseTo(expected[i].score, 4);
        });
        // a narrower beam returns at most beamWidth hypotheses, each scored as the enumeration scores it
        const narrow = beamSearch(net, { inputs, start: 1, beamWidth: 2, maxNewTokens: L, stop, lengthPenalty: alpha });
        expect(narrow.length).toBeGreaterThan(0);
        expect(narrow.length).toBeLessThanOrEqual(2);
        for (const h of narrow) expect(h.score).toBeCloseTo(expected.find((e) => e.tokens.join() === h.tokens.join() && e.finished === h.finished)!.score, 4);
      });
    }

    it(`${what}: beamWidth 1 is greedy decoding`, () => {
      for (const stopToken of [undefined, 2]) {
        const greedy = generate(net, [1], { inputs, maxNewTokens: 6, temperature: 0, stop: stopToken });
        const [best] = beamSearch(net, { inputs, start: 1, beamWidth: 1, maxNewTokens: 6, stop: stopToken });
        expect(best.tokens).toEqual(greedy);
        const ys = stopToken !== undefined && best.finished ? [...greedy, stopToken] : greedy;
        const rows = logRows(predict([1, ...ys.slice(0, -1)]), probabilities);
        expect(best.logProbability).toBeCloseTo(ys.reduce((s, y, t) => s + rows[t][y], 0), 4);
      }
    });
  }

  it("a prompt as start; refusals", () => {
    const net = bahdanauNet({ vocabulary: V });
    const [best] = beamSearch(net, { inputs: { source }, start: [1, 2], beamWidth: 3, maxNewTokens: 2 });
    expect(best.tokens).toHaveLength(2);
    expect(() => beamSearch(net, { start: 1, beamWidth: 2, maxNewTokens: 2 })).toThrow(/node "encoder": gruLayer: cannot decode step by step: it is bidirectional/);
    expect(() => beamSearch(net, { inputs: { source: [[1], [2, 1]] }, start: 1, beamWidth: 2, maxNewTokens: 2 })).toThrow(/beamSearch: inputs must be one example \(the decoder got 2 rows\); search each source on its own/);
    expect(() => beamSearch(net, { inputs: { source }, start: 1, beamWidth: 0, maxNewTokens: 2 })).toThrow(/beamSearch: beamWidth must be a positive integer/);
    expect(() => beamSearch(net, { inputs: { source }, start: [], beamWidth: 2, maxNewTokens: 2 })).toThrow(/beamSearch: start is empty/);
    expect(() => beamSearch(net, { inputs: { source }, start: 1, beamWidth: 2, maxNewTokens: 2, lengthPenalty: -1 })).toThrow(/beamSearch: lengthPenalty/);
    expect(() => beamSearch(net, { inputs: { source }, start: 1, beamWidth: 2, maxNewTokens: 2, stop: 1.5 })).toThrow(/beamSearch: stop must be a token id/);
    // an id past the vocabulary was searched to maxNewTokens, never finishing
    expect(() => beamSearch(net, { inputs: { source }, start: 1, beamWidth: 2, maxNewTokens: 2, stop: V })).toThrow(`beamSearch: stop token ${V} is past the net's ${V} outputs (token ids 0 … ${V - 1}); it could never be generated`);
  });
});
