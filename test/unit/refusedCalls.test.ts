// A refused call changes nothing (a layer or net keeps no sizes from it and works afterwards), and its
// error names the layer, never an internal class.
import { describe, expect, it } from "vitest";
import { attentionLayer, netGraph, selfAttentionLayer, sequenceAttentionLayer, tensor } from "../../src/index.js";

describe("a refused call does not change the layer", () => {
  it("attentionLayer: key size 2 vs query size 3 is refused, then size 3 works", () => {
    const layer = attentionLayer("Dot");
    expect(() => layer.apply({ key: [[1, 2]], value: [[1]], query: [[1, 2, 3]] })).toThrow(/"Dot" scoring needs equal key and query sizes/);
    expect(layer.apply({ key: [[1, 2, 3]], value: [[1]], query: [[1, 2, 3]] })).toEqual([[1]]);
    const bilinear = attentionLayer("Bilinear");
    expect(() => bilinear.apply([{ key: [[1, 2]], value: [[1]], query: [[1]] }, { key: [[1, 2, 3]], value: [[1]], query: [[1]] }])).toThrow(/example 2/);
    expect(bilinear.isInitialized).toBe(false);
    bilinear.apply({ key: [[1, 2, 3]], value: [[1]], query: [[1]] });
    expect(bilinear.parameters.weights.shape).toEqual([1, 3]);
  });
  it("selfAttentionLayer keeps no inputSize from a refused call", () => {
    const layer = selfAttentionLayer(1, 2, { attentionMask: [[1, 0], [1, 1]] });
    expect(() => layer.apply([[1, 2, 3]])).toThrow(/attentionMask of shape \[2, 2\] does not fit/);
    expect(layer.inputSize).toBe("auto");
    expect(layer.isInitialized).toBe(false);
    expect((layer.apply([[1, 2], [3, 4]]) as number[][]).length).toBe(2);
    const plain = selfAttentionLayer(1, 2);
    expect(() => plain.apply([tensor([[1, 2, 3]]), tensor([[1, 2]])])).toThrow(/sequence 2/);
    expect(plain.inputSize).toBe("auto");
  });
  it("a net keeps no sizes from a refused call", () => {
    const s = sequenceAttentionLayer("Bilinear");
    const net = netGraph({ inputs: ["key", "query"], nodes: { s }, edges: [["key", "s/input"], ["query", "s/query"]] });
    expect(() => net.apply({ key: [[1, 2]], query: [[1, 2, 3], [4, 5]] } as never)).toThrow(/ragged/);
    expect(() => net.apply([{ key: [[1, 2]], query: [[1]] }, { key: [[1, 2, 3]], query: [[1]] }])).toThrow(/example 2/);
    expect(s.isInitialized).toBe(false);
    expect(net.apply({ key: [[1, 2, 3]], query: [[1]] })).toHaveLength(1);
  });
});

describe("errors name the layer, never an internal class", () => {
  it("initialize() of an attentionLayer without sizes names it and says what to pass", () => {
    expect(() => attentionLayer("Bilinear", { name: "att1" }).initialize()).toThrow(/^attentionLayer "att1": cannot initialize "weights" .*pass \{ keySize, querySize \}/);
    expect(() => sequenceAttentionLayer("Bilinear", { name: "s" }).initialize()).toThrow(/^sequenceAttentionLayer "s": .*pass \{ inputSize, querySize \}/);
    const layer = attentionLayer("Bilinear", { name: "att1" }).initialize({ keySize: 2, querySize: 3 });
    expect(() => layer.setParameter("weights", tensor([[1, 2]]))).toThrow(/^attentionLayer "att1": /);
  });
});

