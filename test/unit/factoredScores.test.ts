// A scoring netGraph's pairwise scores, factored (key-only nodes once per key, query-only nodes once per query, the
// rest on the broadcast pairs), against the net run on every (key, query) pair as such: the same scores and the
// same gradients, for additive scoring, a net mixing at a concatenation, one whose output reads the queries alone,
// and a net nested in a node; and the memo that keeps the key-only values across decoding steps.
import { describe, expect, it } from "vitest";
import { additionLayer, concatenationLayer, fullyConnectedLayer, netGraph, ops, Random, tanhLayer, Tensor, valueAndGrad, type NetGraph } from "../../src/index.js";
import { Pending } from "../../src/layers/layer.js";
import { factoredScores, isFactorable, type Memo } from "../../src/layers/attention/factoredScores.js";
import { additiveScoring } from "../helpers/scoringNets.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

const random = new Random(3);
const context = () => ({ training: false, random: new Random(0), pending: new Pending() });

const nets: [string, () => NetGraph][] = [
  ["additive wᵀtanh(W₁k + W₂q + b)", () => additiveScoring(4)],
  ["concatenation [k; q] → tanh → score", () => netGraph({
    inputs: ["input", "query"],
    nodes: { keyPart: fullyConnectedLayer(3), cat: concatenationLayer(1, 2), squash: tanhLayer(), score: fullyConnectedLayer(1) },
    edges: [["input", "keyPart"], ["keyPart", "cat/in1"], ["query", "cat/in2"], ["cat", "squash"], ["squash", "score"]],
  })],
  ["an output of the queries alone", () => netGraph({
    inputs: ["input", "query"],
    nodes: { score: fullyConnectedLayer(1), unused: fullyConnectedLayer(2) },
    edges: [["query", "score"], ["input", "unused"]],
    outputs: { output: "score" },
  })],
  ["a net nested in a node", () => netGraph({
    inputs: ["input", "query"],
    nodes: { inner: additiveScoring(2), scale: fullyConnectedLayer(1) },
    edges: [["input", "inner/input"], ["query", "inner/query"], ["inner", "scale"]],
  })],
];

/** The net on every pair: K [.., N, k], Q [.., M, q] broadcast to [.., M, N, ·]. */
function pairScores(net: NetGraph, K: Tensor, Q: Tensor): Tensor {
  const lead = K.shape.slice(0, -2), [N, k] = K.shape.slice(-2), [M, q] = Q.shape.slice(-2);
  const input = ops.broadcastTo(ops.reshape(K, [...lead, 1, N, k]), [...lead, M, N, k]);
  const query = ops.broadcastTo(ops.reshape(Q, [...lead, M, 1, q]), [...lead, M, N, q]);
  const outs = net.forward({ input: { x: input }, query: { x: query } }, context());
  return Object.values(outs)[0].x;
}

describe("factoredScores", () => {
  for (const [what, make] of nets) {
    it(`${what}: the scores and gradients of the net on every pair`, () => {
      const net = make().initialize({ seed: 2, inputSize: 5, querySize: 3 });
      expect(isFactorable(net)).toBe(true);
      const K = randomTensor([2, 1, 4, 5], random), Q = randomTensor([2, 1, 3, 3], random);
      const weights = randomTensor([2, 1, 3, 4, 1], random); // a loss that weighs every score differently
      const params = Object.values(net.parameters);
      const loss = (scores: () => Tensor) => () => ops.sum(ops.mul(ops.reshape(scores(), [2, 1, 3, 4, 1]), weights));
      const expected = valueAndGrad(loss(() => pairScores(net, K, Q)), [K, Q, ...params]);
      const got = valueAndGrad(loss(() => factoredScores(net, K, Q, context())), [K, Q, ...params]);
      expect(got.value).toBeCloseTo(expected.value, 5);
      got.grads.forEach((g, i) => expectClose(g, expected.grads[i].data, 1e-5, 1e-6, `gradient ${i}`));
      expect(factoredScores(net, K, Q, context()).size).toBe(2 * 3 * 4);
    });
  }

  it("with a memo, the key-only values are computed once and reused", () => {
    const net = additiveScoring(4).initialize({ seed: 2, inputSize: 5, querySize: 3 });
    const K = randomTensor([2, 4, 5], random), saved = new Map<string, unknown>();
    let computed = 0;
    const memo: Memo = (name, compute) => {
      if (!saved.has(name)) { computed++; saved.set(name, compute()); }
      return saved.get(name) as never;
    };
    for (let step = 0; step < 3; step++) {
      const Q = randomTensor([2, 1, 3], random);
      expectClose(factoredScores(net, K, Q, context(), memo), pairScores(net, K, Q).data, 1e-6, 1e-7, `step ${step}`);
    }
    expect(computed).toBe(1);
  });

  it("is not used for a net of several outputs, or a scoring object that is not a netGraph", () => {
    const two = netGraph({ inputs: ["input", "query"], nodes: { a: additionLayer(2) }, edges: [["input", "a/in1"], ["query", "a/in2"]], outputs: { x: "a", y: "a" } });
    expect(isFactorable(two)).toBe(false);
    expect(isFactorable({ apply: () => new Tensor(new Float32Array(1), [1]), inputNames: ["input", "query"] })).toBe(false);
  });
});
