// A decoder started before a weight changes (setParameter, an optimizer step) goes on with the new weights: what it
// computed from its fixed inputs and the weights alone (the encoder's outputs: its memory, and cross-attention's
// key-side values such as W₁k of additive scoring: FixedKeys) is computed again before the next step. Before, both
// were kept from the old weights, so a step mixed old W₁k with new W₂q, and an updated encoder was never seen.
// The net here has no state that records earlier steps (no recurrence or self-attention on the target side), so
// each step's output is exactly predict's at that position, whatever the weights were at earlier steps.
import { describe, expect, it } from "vitest";
import {
  adam, concatenationLayer, embeddingLayer, fullyConnectedLayer, gruLayer, netGraph, Random, sequenceAttentionLayer, Tensor, type NetGraph,
} from "../../src/index.js";
import { FixedKeys } from "../../src/decode/fixedKeys.js";
import { additiveScoring } from "../helpers/scoringNets.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";
import { idBatch, randomIds } from "../helpers/seq2seq.js";

const V = 5;

/** Source → bidirectional GRU encoder; each previous token's embedding attends over it (additive scoring); logits of [embedding, context]. */
function crossAttentionNet(): NetGraph {
  const net = netGraph({
    inputs: ["source", "previous"],
    nodes: {
      sourceEmbedding: embeddingLayer(3, V), encoder: gruLayer(4, { bidirectional: true }), targetEmbedding: embeddingLayer(3, V),
      attention: sequenceAttentionLayer(additiveScoring(3)), join: concatenationLayer(1, 2), logits: fullyConnectedLayer(V),
    },
    edges: [
      ["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "targetEmbedding"], ["encoder", "attention/input"],
      ["targetEmbedding", "attention/query"], ["targetEmbedding", "join/in1"], ["attention", "join/in2"], ["join", "logits"],
    ],
  }).initialize({ seed: 3, sourceSize: 1, previousSize: 1 });
  net.setParameter("attention/scoringNet/score/weights", randomTensor([1, 3], new Random(4), 4)); // scores that differ enough to matter
  return net;
}

/** predict's output at position t of `previous` (one source), [V]. */
function predictAt(net: NetGraph, source: number[], previous: number[], t: number): Float32Array {
  const y = net.predict({ source: idBatch(source), previous: idBatch(previous) }) as Tensor; // [1, T, V]
  return y.data.slice(t * V, (t + 1) * V);
}

/** A new value of the same shape for parameter `name`. */
function perturbed(net: NetGraph, name: string, random: Random): Tensor {
  const t = net.parameters[name];
  return new Tensor(t.data.map((v, i) => v + 3 * randomTensor([t.size], random).data[i]), [...t.shape]);
}

describe("a running decoder sees weights written since it started", () => {
  const random = new Random(5);
  const source = randomIds(4, V, random), previous = randomIds(5, V, random);

  const changes: [string, (net: NetGraph) => void][] = [
    ["setParameter of the scoring net's key part (W₁ of W₁k)", (net) => net.setParameter("attention/scoringNet/keyPart/weights", perturbed(net, "attention/scoringNet/keyPart/weights", random))],
    ["setParameter of the encoder (its outputs are the decoder's memory)", (net) => net.setParameter("encoder/inputWeights", perturbed(net, "encoder/inputWeights", random))],
    ["an adam step on every parameter", (net) => {
      const grads = Object.fromEntries(Object.entries(net.parameters).map(([n, t]) => [n, randomTensor([...t.shape], random)]));
      adam({ learnRate: 0.1 }).step(net, grads);
    }],
  ];

  for (const [what, change] of changes) {
    it(`${what}: the next step equals predict with the new weights (also in a fork and a selection made before)`, () => {
      const net = crossAttentionNet();
      expect(Object.keys(net.parameters)).toContain("attention/scoringNet/keyPart/weights");
      const dec = net.startDecoding({ inputs: { source } });
      dec.next(previous.slice(0, 3));
      const fork = dec.fork(), picked = dec.select([0]);
      const before = predictAt(net, source, previous, 3);
      change(net);
      const after = predictAt(net, source, previous, 3);
      expect(Math.max(...after.map((v, i) => Math.abs(v - before[i])))).toBeGreaterThan(1e-4); // the change matters (well above the 1e-5 tolerance below)
      for (const d of [dec, fork, picked]) expectClose((d.next([previous[3]]) as Tensor).data, after, 1e-5, 1e-6, what);
      expectClose((dec.next([previous[4]]) as Tensor).data, predictAt(net, source, previous, 4), 1e-5, 1e-6, `${what}, one step later`);
    });
  }

  it("a batch of sources decoded together, rows selected after the change", () => {
    const net = crossAttentionNet();
    const sources = [randomIds(3, V, random), randomIds(5, V, random)];
    const dec = net.startDecoding({ inputs: { source: sources } });
    dec.next(new Tensor(Float32Array.from([previous[0], previous[1]]), [2, 1]));
    net.setParameter("attention/scoringNet/keyPart/weights", perturbed(net, "attention/scoringNet/keyPart/weights", random));
    const y = dec.select([1, 0]).next(new Tensor(Float32Array.from([previous[2], previous[3]]), [2, 1])) as Tensor; // [2, 1, V]
    expectClose(y.data.subarray(0, V), predictAt(net, sources[1], [previous[1], previous[2]], 1), 1e-5, 1e-6, "row 1");
    expectClose(y.data.subarray(V), predictAt(net, sources[0], [previous[0], previous[3]], 1), 1e-5, 1e-6, "row 0");
  });
});

describe("FixedKeys", () => {
  it("computes its values again after a weight write, also those select hands on", () => {
    const state = new FixedKeys(), keys = new Tensor(new Float32Array(6), [3, 2]);
    let calls = 0;
    const compute = () => (calls++, new Tensor(new Float32Array(9), [3, 3]));
    state.get(keys, "W₁k", compute);
    const picked = state.select([2, 1]);
    state.get(keys, "W₁k", compute);
    expect(calls).toBe(1);
    const fc = fullyConnectedLayer(2).initialize({ inputSize: 2, seed: 1 });
    fc.setParameter("bias", [1, 2]); // any weight write through the library
    state.get(keys, "W₁k", compute);
    picked.get(new Tensor(new Float32Array(4), [2, 2]), "W₁k", compute);
    expect(calls).toBe(3);
  });
});
