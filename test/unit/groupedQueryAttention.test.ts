// selfAttentionLayer's numKeyValueHeads (grouped-query attention, an extension beyond MATLAB): Hkv key/value
// heads, query head h using key/value head ⌊h·Hkv/H⌋. Oracle: the ordinary layer (Hkv = H) whose key and value
// projections repeat each shared head's rows for every query head of its group computes the same function.
import { describe, expect, it } from "vitest";
import { deserializeNet, netChain, Random, selfAttentionLayer, sequenceInputLayer, serializeNet, Tensor, type NetGraph, type SelfAttentionLayer } from "../../src/index.js";
import { KeyValueCache } from "../../src/decode/keyValueCache.js";
import { compositions, decodeInPieces } from "../helpers/decoding.js";
import { checkGradients, expectClose, projectionLoss, randomTensor } from "../helpers/numeric.js";

const random = new Random(61);
const H = 6, HKV = 2, D = 3, DV = 2, C = 5;

/** The rows of a key/value projection [Hkv·size, …] (or bias [Hkv·size]) repeated so query head h gets head ⌊h·Hkv/H⌋'s. */
function repeatHeads(t: Tensor, size: number): Tensor {
  const width = t.size / t.shape[0], out = new Float32Array(H * size * width);
  for (let h = 0; h < H; h++) out.set(t.data.subarray(Math.floor((h * HKV) / H) * size * width, (Math.floor((h * HKV) / H) + 1) * size * width), h * size * width);
  return new Tensor(out, [H * size, ...t.shape.slice(1)]);
}

const grouped = (options: object = {}) =>
  selfAttentionLayer(H, H * D, { numKeyValueHeads: HKV, numValueChannels: H * DV, outputSize: 4, inputSize: C, ...options }).initialize({ seed: 7 }) as SelfAttentionLayer;

function expanded(layer: SelfAttentionLayer, options: object = {}): SelfAttentionLayer {
  const p = layer.parameters;
  return selfAttentionLayer(H, H * D, {
    numValueChannels: H * DV, outputSize: 4, ...options,
    queryWeights: p.queryWeights, queryBias: p.queryBias, outputWeights: p.outputWeights, outputBias: p.outputBias,
    keyWeights: repeatHeads(p.keyWeights, D), keyBias: repeatHeads(p.keyBias, D), valueWeights: repeatHeads(p.valueWeights, DV), valueBias: repeatHeads(p.valueBias, DV),
  }) as SelfAttentionLayer;
}

describe("selfAttentionLayer numKeyValueHeads (grouped-query attention)", () => {
  it("has Hkv heads' key and value projections and computes the full-heads layer with repeated key/value rows", () => {
    for (const attentionMask of ["none", "causal"] as const) {
      const layer = grouped({ attentionMask });
      expect(layer.parameters.keyWeights.shape).toEqual([HKV * D, C]);
      expect(layer.parameters.valueBias.shape).toEqual([HKV * DV]);
      const x = randomTensor([2, 7, C], random);
      expectClose(layer.apply(x) as Tensor, (expanded(layer, { attentionMask }).apply(x) as Tensor).data, 1e-5, 1e-6, attentionMask);
    }
  });

  it("gradients (input and every parameter) match finite differences", () => {
    const layer = grouped({ attentionMask: "causal" });
    const x = randomTensor([2, 4, C], random), loss = projectionLoss(random);
    checkGradients(() => loss(layer.apply(x) as Tensor), [x, ...Object.values(layer.parameters)], { what: "grouped-query" });
  });

  it("decodes with a cache of Hkv heads, equal to the whole-sequence prediction for every split", () => {
    const net = netChain([sequenceInputLayer(C), selfAttentionLayer(H, H * D, { numKeyValueHeads: HKV, numValueChannels: H * DV, attentionMask: "causal", outputSize: 3 })]).initialize({ seed: 8 });
    const cache = (net.nodes[net.order[1]] as SelfAttentionLayer).startState(1, 4);
    expect(cache).toBeInstanceOf(KeyValueCache);
    expect([cache.heads, cache.keySize, cache.valueSize]).toEqual([HKV, D, DV]);
    const x = randomTensor([6, C], random);
    const whole = (net.predict(x) as Tensor).data;
    for (const pieces of compositions(6)) expectClose(decodeInPieces(net.startDecoding({ capacity: 2 }), x, pieces), whole, 1e-5, 1e-6, `pieces ${pieces}`);
  });

  it("refuses numHeads that are not a multiple of numKeyValueHeads, naming both", () => {
    expect(() => selfAttentionLayer(4, 8, { numKeyValueHeads: 3 })).toThrow(/selfAttentionLayer: numHeads \(4\) must be a multiple of numKeyValueHeads \(3\)/);
    expect(() => selfAttentionLayer(4, 8, { numKeyValueHeads: 0 })).toThrow(/numKeyValueHeads/);
  });

  it("is saved in the config and restored by deserializeNet; ungrouped layers' configs do not name it", () => {
    const net = netChain([sequenceInputLayer(C), selfAttentionLayer(H, H * D, { numKeyValueHeads: HKV, attentionMask: "causal" })]).initialize({ seed: 9 });
    const back = deserializeNet(serializeNet(net)) as NetGraph;
    const layer = back.nodes[back.order[1]] as SelfAttentionLayer;
    expect(layer.numKeyValueHeads).toBe(HKV);
    const x = randomTensor([5, C], random);
    expect((back.predict(x) as Tensor).data).toEqual((net.predict(x) as Tensor).data);
    expect(serializeNet(back)).toEqual(serializeNet(net));
    expect(JSON.stringify(selfAttentionLayer(2, 4).config())).not.toContain("numKeyValueHeads");
  });
});
