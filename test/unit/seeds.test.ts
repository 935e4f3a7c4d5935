// Seeds: one rule for every seed in the library. A seed is an integer in [0, 2³² − 1]; anything else is
// refused (it used to be floored and reduced mod 2³², so 0, 0.9, 2³², −2³², 1e300 and 2⁵³ all gave the
// same weights, and 1 the same as 2³² + 1). Within the range, no two seeds share a generator state.
import { describe, expect, it } from "vitest";
import {
  Random, attentionLayer, dotProductAttention, dropoutLayer, fullyConnectedLayer, lstmLayer, netChain, ops,
  selfAttentionLayer, sequenceAttentionLayer, sequenceInputLayer, tensor, trainNet,
} from "../../src/index.js";

const x2 = tensor([[0.5, -1], [2, 0.25], [1, 1]]);
const q = tensor([[[[0.1, 0.2], [0.3, -0.4]]]]);

/** Every seed option: where its message starts, and a call that uses the seed. */
const consumers: [string, (seed: number) => unknown][] = [
  ["Random", (seed) => new Random(seed)],
  ["fullyConnectedLayer", (seed) => fullyConnectedLayer(2).initialize({ inputSize: 2, seed })],
  ["lstmLayer", (seed) => lstmLayer(2).initialize({ inputSize: 2, seed })],
  ["selfAttentionLayer", (seed) => selfAttentionLayer(1, 2).initialize({ inputSize: 2, seed })],
  ["attentionLayer", (seed) => attentionLayer("Bilinear").initialize({ keySize: 2, querySize: 2, seed })],
  ["sequenceAttentionLayer", (seed) => sequenceAttentionLayer("Bilinear").initialize({ inputSize: 2, querySize: 2, seed })],
  ["netChain", (seed) => netChain([sequenceInputLayer(2), fullyConnectedLayer(2)]).initialize({ seed })],
  ["dropoutLayer", (seed) => dropoutLayer(0.5).apply(x2, { training: true, seed })],
  ["netChain", (seed) => netChain([sequenceInputLayer(2), dropoutLayer(0.5)]).initialize().apply(x2, { training: true, seed })],
  ["attentionLayer", (seed) => attentionLayer("Dot", { dropout: 0.5 }).apply({ key: [[1, 2]], value: [[1]], query: [[1, 0]] }, { training: true, seed })],
  ["selfAttentionLayer", (seed) => selfAttentionLayer(1, 2, { dropoutProbability: 0.5 }).initialize({ inputSize: 2 }).apply(x2, { training: true, seed })],
  ["dotProductAttention", (seed) => dotProductAttention(q, q, q, { dropout: { rate: 0.5, seed } })],
  ["ops.dropout", (seed) => ops.dropout(x2, 0.5, seed)],
  ["trainNet", (seed) => trainNet(netChain([sequenceInputLayer(2), fullyConnectedLayer(2)]), { x: [x2], y: [tensor([[1, 0], [0, 1], [1, 0]])] }, { loss: "mse", maxEpochs: 1, verbose: false, seed })],
];

const refusedSeeds: [unknown, string][] = [
  [0.9, "0.9"], [-1, "-1"], [2 ** 32, "4294967296"], [-(2 ** 32), "-4294967296"], [1e300, "1e+300"], [2 ** 53, "9007199254740992"],
  [NaN, "NaN"], [Infinity, "Infinity"], ["1", '"1"'],
];

describe("one seed rule: integers in [0, 2^32 - 1]", () => {
  for (const [where, use] of consumers) {
    it(`${where} refuses seeds outside the rule and takes the ends of the range`, () => {
      for (const [seed, shown] of refusedSeeds) {
        let message = "";
        try {
          use(seed as number);
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message).toContain(`seed must be an integer in [0, 4294967295], got ${shown}`);
        expect(message.startsWith(where)).toBe(true);
      }
      for (const seed of [0, 1, 2 ** 32 - 1]) expect(() => use(seed)).not.toThrow();
    });
  }

  it("seeds that used to alias now give different weights (or are refused)", () => {
    const weights = (seed: number) => [...fullyConnectedLayer(3).initialize({ inputSize: 3, seed }).parameters.weights.data];
    expect(weights(1)).not.toEqual(weights(2 ** 32 - 1));
    expect(weights(0)).not.toEqual(weights(1));
  });

  it("no two seeds share a generator state (the seed whose mixed state is 0 no longer becomes state 1)", () => {
    // Random's state is mix32(seed ^ 0x5bd1e995), a bijection; invert the mix to find the seeds whose
    // states are 0 and 1 (the old code replaced state 0 by 1, so these two seeds drew the same numbers).
    const inverse = (m: number) => { let y = m; for (let i = 0; i < 5; i++) y = Math.imul(y, 2 - Math.imul(m, y)); return y; };
    const unXorShift = (h: number, s: number) => { let y = h; for (let i = 0; i < 32 / s; i++) y = h ^ (y >>> s); return y; };
    const unmix = (h: number) => {
      h = unXorShift(h, 16); h = Math.imul(h, inverse(0xc2b2ae35));
      h = unXorShift(h, 13); h = Math.imul(h, inverse(0x85ebca6b));
      return unXorShift(h, 16) >>> 0;
    };
    const seedWithState = (state: number) => (unmix(state) ^ 0x5bd1e995) >>> 0;
    const draws = (seed: number) => { const r = new Random(seed); return [r.uniform(), r.uniform(), r.uniform()]; };
    expect(draws(seedWithState(0))).not.toEqual(draws(seedWithState(1)));
    expect(seedWithState(0)).not.toBe(seedWithState(1));
  });
});
