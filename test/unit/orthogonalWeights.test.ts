// weightsInitializer "orthogonal" in fullyConnectedLayer and selfAttentionLayer, as MATLAB's layers take it (and
// as the recurrent layers here already did): each weight matrix [out, in] is Q of the QR decomposition of a seeded
// standard-normal matrix of its shape, so WᵀW = I (out ≥ in: orthonormal columns) or WWᵀ = I (out < in: rows).
// Before, both layers refused "orthogonal" although their option types named it.
import { describe, expect, it } from "vitest";
import { deserializeNet, fullyConnectedLayer, netChain, selfAttentionLayer, sequenceInputLayer, serializeNet, type NetChain } from "../../src/index.js";
import { expectIdentity, gram } from "../helpers/numeric.js";

/** The weight [m, n] has orthonormal columns (m ≥ n) or rows (m < n), in float32 rounding. */
function expectOrthogonal(w: Float32Array, [m, n]: readonly number[], what: string): void {
  expectIdentity(gram(w, m, n, m < n), Math.min(m, n), 1e-6, `${what} [${m}, ${n}]`);
}

describe('weightsInitializer "orthogonal"', () => {
  for (const [out, inputSize] of [[7, 3], [4, 4], [2, 9], [1, 5], [5, 1]]) {
    it(`fullyConnectedLayer(${out}) on ${inputSize} channels: ${out >= inputSize ? "WᵀW" : "WWᵀ"} = I; the bias stays zeros`, () => {
      const fc = fullyConnectedLayer(out, { weightsInitializer: "orthogonal" }).initialize({ inputSize, seed: 4 });
      const w = fc.parameters.weights;
      expect(w.shape).toEqual([out, inputSize]);
      expectOrthogonal(w.data, w.shape, "weights");
      expect(Array.from(fc.parameters.bias.data)).toEqual(new Array(out).fill(0));
    });
  }

  it("selfAttentionLayer: each of the four weight matrices (grouped-query key/value too) is orthogonal in its own shape", () => {
    const layer = selfAttentionLayer(4, 8, { numKeyValueHeads: 2, numValueChannels: 12, outputSize: 6, weightsInitializer: "orthogonal" }).initialize({ inputSize: 10, seed: 2 });
    const p = layer.parameters;
    const shapes = { queryWeights: [8, 10], keyWeights: [4, 10], valueWeights: [6, 10], outputWeights: [6, 12] };
    for (const [name, shape] of Object.entries(shapes)) {
      expect(p[name].shape, name).toEqual(shape);
      expectOrthogonal(p[name].data, shape, name);
    }
    expect(Array.from(p.queryWeights.data.slice(0, 40))).not.toEqual(Array.from(p.keyWeights.data)); // each matrix its own draw
  });

  it("is seeded, and the option survives serializeNet (a loaded net can be initialized again with it)", () => {
    const make = (seed: number) => netChain([sequenceInputLayer(3), fullyConnectedLayer(4, { weightsInitializer: "orthogonal" }), selfAttentionLayer(1, 4, { weightsInitializer: "orthogonal" })]).initialize({ seed });
    expect(Array.from(make(5).parameters["2/weights"].data)).toEqual(Array.from(make(5).parameters["2/weights"].data));
    expect(Array.from(make(5).parameters["2/weights"].data)).not.toEqual(Array.from(make(6).parameters["2/weights"].data));
    const loaded = deserializeNet<NetChain>(serializeNet(make(5)));
    expect(loaded.layers[1].config().args[1]).toMatchObject({ weightsInitializer: "orthogonal" });
    expect(loaded.layers[2].config().args[2]).toMatchObject({ weightsInitializer: "orthogonal" });
  });

  it("the bias of either layer takes no orthogonal initializer (a vector has no orthogonal form worth the name)", () => {
    expect(() => fullyConnectedLayer(2, { biasInitializer: "orthogonal" })).toThrow(/fullyConnectedLayer.*biasInitializer: initializer must be one of "glorot", "he", "narrow-normal", "zeros", "ones" or a function, got "orthogonal"/);
    expect(() => selfAttentionLayer(1, 2, { biasInitializer: "orthogonal" as never })).toThrow(/biasInitializer: initializer must be one of "zeros", "narrow-normal", "ones" or a function, got "orthogonal"/);
  });
});
