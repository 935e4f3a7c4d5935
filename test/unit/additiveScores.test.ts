// Additive (Bahdanau) scores without the pair tensor (src/kernels/additiveScores.ts, ops.additiveScores): the
// WebAssembly kernels against the plain-JS reference on awkward sizes (length 1, odd hidden sizes, rows whose
// gradient is all zero as fully masked rows' are), the same for every thread count; the op's gradient by finite
// differences; and attention layers whose scoring net has the additive form (additiveForm.ts) against the same
// net run unfused, forward and gradients, padded batches included, and in decoding over fixed keys.
import { afterAll, describe, expect, it } from "vitest";
import {
  additionLayer, fullyConnectedLayer, getNumThreads, netGraph, ops, Random, sequenceAttentionLayer, setNumThreads, tanhLayer,
  Tensor, valueAndGrad, type NetGraph,
} from "../../src/index.js";
import { additiveScoresBackwardReference, additiveScoresForwardReference, type AdditiveScoresProblem } from "../../src/kernels/additiveScores.js";
import { additiveScoresBackwardWasm, additiveScoresForwardWasm } from "../../src/kernels/wasm/additiveScores.js";
import { additiveForm } from "../../src/layers/attention/additiveForm.js";
import { Pending } from "../../src/layers/layer.js";
import { additiveScoring } from "../helpers/scoringNets.js";
import { checkGradients, expectClose, randomTensor } from "../helpers/numeric.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

const random = new Random(7);
const normal = (n: number, scale = 1) => Float32Array.from({ length: n }, () => random.normal() * scale);

/** Inputs of a problem; dS has every other (l, m) row all zero (a fully masked row's gradient). */
function problem(p: AdditiveScoresProblem) {
  const dS = normal(p.L * p.M * p.N);
  for (let r = 0; r < p.L * p.M; r += 2) dS.fill(0, r * p.N, (r + 1) * p.N);
  return { K1: normal(p.L * p.N * p.a, 1.5), Q2: normal(p.L * p.M * p.a, 1.5), w: normal(p.a), dS };
}

function run(p: AdditiveScoresProblem, x: ReturnType<typeof problem>, fast: boolean) {
  const S = new Float32Array(p.L * p.M * p.N), dK1 = new Float32Array(x.K1.length), dQ2 = new Float32Array(x.Q2.length), dw = new Float32Array(p.a);
  (fast ? additiveScoresForwardWasm : additiveScoresForwardReference)(p, x.K1, x.Q2, x.w, S);
  (fast ? additiveScoresBackwardWasm : additiveScoresBackwardReference)(p, x.K1, x.Q2, x.w, x.dS, dK1, dQ2, dw);
  return { S, dK1, dQ2, dw };
}

const SIZES: AdditiveScoresProblem[] = [
  { L: 1, M: 1, N: 1, a: 1 }, { L: 3, M: 5, N: 7, a: 9 }, { L: 2, M: 1, N: 13, a: 64 }, { L: 5, M: 11, N: 1, a: 3 },
  { L: 4, M: 6, N: 17, a: 66 }, { L: 40, M: 12, N: 23, a: 64 }, // the last one large enough for the threads
];

describe("additive scores kernels", () => {
  for (const p of SIZES) {
    it(`WebAssembly against the reference, L ${p.L} M ${p.M} N ${p.N} a ${p.a}`, () => {
      const x = problem(p);
      const ref = run(p, x, false), fast = run(p, x, true);
      // tanh in float32 is within 1e-7 absolute; sums of a terms (and M or N pairs in the backward) round in float32
      const atol = 4e-7 * p.a * Math.max(p.M, p.N, 1);
      expectClose(fast.S, ref.S, 1e-5, atol, "scores");
      expectClose(fast.dK1, ref.dK1, 1e-5, atol, "dK₁");
      expectClose(fast.dQ2, ref.dQ2, 1e-5, atol, "dQ₂");
      expectClose(fast.dw, ref.dw, 1e-5, atol * p.L, "dw");
    });
  }

  it("a pair whose score gradient is 0 adds nothing to the gradients, not even the NaN of its tanh", () => {
    const p = { L: 1, M: 2, N: 3, a: 5 }, x = problem(p); // dS row 0 is all zero
    x.Q2[2] = NaN; // query 0 (whose row has no gradient)
    for (const fast of [false, true]) {
      const r = run(p, x, fast);
      for (const g of [r.dK1, r.dw, r.dQ2.subarray(5)]) expect(Array.from(g).every(Number.isFinite), `${fast ? "wasm" : "reference"}`).toBe(true);
      expect(Array.from(r.dQ2.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it("gives the same bits on one thread and on two", () => {
    const p = SIZES.at(-1)!, x = problem(p);
    setNumThreads(1);
    const one = run(p, x, true);
    setNumThreads(2);
    const two = run(p, x, true);
    for (const k of ["S", "dK1", "dQ2", "dw"] as const) expect(two[k], k).toEqual(one[k]);
  });

  it("ops.additiveScores: exact gradients by finite differences, and the pair formula's value", () => {
    const K1 = randomTensor([2, 3, 5], random), Q2 = randomTensor([2, 4, 5], random), w = randomTensor([1, 5], random);
    const loss = randomTensor([2, 4, 3], random);
    checkGradients(() => ops.sum(ops.mul(ops.additiveScores(K1, Q2, w), loss)), [K1, Q2, w], { eps: 1e-2 });
    const pairs = ops.tanh(ops.add(ops.reshape(K1, [2, 1, 3, 5]), ops.reshape(Q2, [2, 4, 1, 5])));
    expectClose(ops.additiveScores(K1, Q2, w), ops.sum(ops.mul(pairs, ops.reshape(w, [5])), -1).data, 1e-5, 1e-6, "scores");
  });

  it("ops.additiveScores names the shapes it refuses", () => {
    expect(() => ops.additiveScores(randomTensor([3, 5], random), randomTensor([4, 6], random), randomTensor([5], random)))
      .toThrow("ops.additiveScores: needs keys [..., N, a], queries [..., M, a] and w [a], got keys [3, 5], queries [4, 6], w [5]");
  });
});

/** The net as the one node of a netGraph: not the additive form's wiring, so the layer runs it unfused (factored pairs). */
const unfused = (net: NetGraph) => netGraph({ inputs: ["input", "query"], nodes: { inner: net }, edges: [["input", "inner/input"], ["query", "inner/query"]] });

/** Additive scoring with every bias (b₁, b₂ and c). */
const withBiases = (units: number) => netGraph({
  inputs: ["input", "query"],
  nodes: { keyPart: fullyConnectedLayer(units), queryPart: fullyConnectedLayer(units), sum: additionLayer(2), squash: tanhLayer(), score: fullyConnectedLayer(1) },
  edges: [["query", "queryPart"], ["input", "keyPart"], ["queryPart", "sum/in1"], ["keyPart", "sum/in2"], ["sum", "squash"], ["squash", "score"]],
});

describe("attention with an additive scoring net, fused", () => {
  it("recognizes the additive wiring (either addition port, any biases) and nothing else", () => {
    expect(additiveForm(additiveScoring(3))).toBeDefined();
    expect(additiveForm(withBiases(3))).toBeDefined();
    expect(additiveForm(unfused(additiveScoring(3)))).toBeUndefined();
    const reluNet = netGraph({
      inputs: ["input", "query"],
      nodes: { keyPart: fullyConnectedLayer(3), queryPart: fullyConnectedLayer(3), sum: additionLayer(2), squash: tanhLayer(), score: fullyConnectedLayer(2) },
      edges: [["input", "keyPart"], ["query", "queryPart"], ["keyPart", "sum/in1"], ["queryPart", "sum/in2"], ["sum", "squash"], ["squash", "score"]],
    });
    expect(additiveForm(reluNet)).toBeUndefined(); // two scores per pair
  });

  for (const [what, make] of [["no biases but b₂", () => additiveScoring(6)], ["every bias", () => withBiases(5)]] as const) {
    it(`${what}: a padded batch's output and gradients equal the unfused net's`, () => {
      const net = make().initialize({ seed: 4, inputSize: 7, querySize: 3 });
      const fused = sequenceAttentionLayer(net), plain = sequenceAttentionLayer(unfused(net));
      const K = randomTensor([3, 6, 7], random), Q = randomTensor([3, 4, 3], random), weights = randomTensor([3, 4, 7], random);
      const input = { x: K, lengths: [6, 1, 4] }, query = { x: Q, lengths: [4, 3, 1] };
      const params = Object.values(net.parameters);
      const loss = (layer: typeof fused) => () => {
        const out = layer.forward({ input, query }, { training: true, random: new Random(1), pending: new Pending() }).output.x;
        return ops.sum(ops.mul(out, weights));
      };
      const expected = valueAndGrad(loss(plain), [K, Q, ...params]), got = valueAndGrad(loss(fused), [K, Q, ...params]);
      expect(got.value).toBeCloseTo(expected.value, 4);
      got.grads.forEach((g, i) => expectClose(g, expected.grads[i].data, 1e-4, 2e-6, `gradient ${i}`));
    });
  }

  it("NaN in the padding reaches nothing, fused as unfused (keys and queries of their own lengths)", () => {
    const net = additiveScoring(4).initialize({ seed: 3, inputSize: 3, querySize: 2 });
    const fused = sequenceAttentionLayer(net), plain = sequenceAttentionLayer(unfused(net));
    const K = randomTensor([2, 5, 3], random), Q = randomTensor([2, 3, 2], random), keyLengths = [5, 2], queryLengths = [1, 3];
    K.data.fill(NaN, (5 + 2) * 3, 10 * 3); // row 2's padded keys
    Q.data.fill(Infinity, 1 * 2, 3 * 2); // row 1's padded queries
    const outputs = [fused, plain].map((layer) => layer.forward(
      { input: { x: K, lengths: keyLengths }, query: { x: Q, lengths: queryLengths } }, { training: false, random: new Random(1), pending: new Pending() },
    ).output.x);
    expect(outputs[0].data.every(Number.isFinite)).toBe(true);
    expectClose(outputs[0], outputs[1].data, 1e-5, 1e-6, "output");
  });
});
