// attentionLayer and sequenceAttentionLayer: every option against finite differences, the per-example
// semantics of lists, kind mirroring, shape specs, custom scoring nets, and bad input.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, dotProductAttention, fullyConnectedLayer, netGraph, ops, Random, sequenceAttentionLayer,
  tanhLayer, Tensor, tensor, valueAndGrad, type AttentionLayerOptions,
} from "../../src/index.js";
import { additiveScoring } from "../helpers/scoringNets.js";
import { checkGradients, expectClose, projectionLoss, randomTensor } from "../helpers/numeric.js";

const random = new Random(21);
const rt = (...shape: number[]) => randomTensor(shape, random);
const loss = projectionLoss(new Random(22));

describe("attentionLayer gradients (finite differences)", () => {
  const variants: [string, "Dot" | "Bilinear", AttentionLayerOptions, number[], number[], number[]][] = [
    ["Dot", "Dot", {}, [5, 3], [5, 2], [4, 3]],
    ["Bilinear (default)", "Bilinear", {}, [5, 3], [5, 2], [4, 4]],
    ["Bilinear causal", "Bilinear", { mask: "causal" }, [4, 3], [4, 2], [4, 2]],
    ["Dot causal window 2", "Dot", { mask: { causal: 2 } }, [5, 3], [5, 2], [5, 3]],
    ["Dot lengthSqrt", "Dot", { scoreRescaling: "lengthSqrt" }, [6, 3], [6, 2], [2, 3]],
    ["Bilinear causal lengthSqrt", "Bilinear", { mask: "causal", scoreRescaling: "lengthSqrt" }, [4, 3], [4, 1], [4, 2]],
    ["Bilinear dimensionSqrt", "Bilinear", { scoreRescaling: "dimensionSqrt" }, [3, 5], [3, 2], [2, 3]],
    ["Dot rank-3 keys, rank-2 queries", "Dot", {}, [2, 3, 4], [2, 3, 2], [2, 2, 4]],
    ["Bilinear single query vector", "Bilinear", {}, [4, 3], [4, 2], [5]],
    ["Dot multiHead", "Dot", { multiHead: true }, [4, 2, 3], [4, 2, 2], [3, 2, 3]],
    ["Bilinear length-1 keys", "Bilinear", {}, [1, 3], [1, 2], [2, 2]],
  ];
  for (const [name, scoring, options, ks, vs, qs] of variants) {
    it(name, () => {
      const layer = attentionLayer(scoring, options);
      const key = rt(...ks), value = rt(...vs), query = rt(...qs);
      const f = () => loss(layer.apply({ key, value, query }), name);
      checkGradients(f, [key, value, query, ...Object.values(layer.parameters)], { what: name });
    });
  }

  it("dropout (training only) is seeded and differentiable", () => {
    const layer = attentionLayer("Dot", { dropout: 0.3 });
    const key = rt(6, 3), value = rt(6, 2), query = rt(4, 3);
    const a = layer.apply({ key, value, query }, { training: true, seed: 5 });
    expect([...a.data]).toEqual([...layer.apply({ key, value, query }, { training: true, seed: 5 }).data]);
    expect([...a.data]).not.toEqual([...layer.apply({ key, value, query }).data]); // inference: no dropout
    checkGradients(() => loss(layer.apply({ key, value, query }, { training: true, seed: 5 }), "drop"), [key, value, query]);
  });

  it("custom additive scoring wᵀ tanh(W₁k + W₂q): gradients for inputs and the scoring net's parameters", () => {
    const layer = attentionLayer(additiveScoring(4), { mask: "causal" });
    const key = rt(4, 3), value = rt(4, 2), query = rt(4, 5);
    layer.apply({ key, value, query });
    expect(Object.keys(layer.parameters).sort()).toEqual(["scoringNet/keyPart/weights", "scoringNet/queryPart/bias", "scoringNet/queryPart/weights", "scoringNet/score/weights"]);
    checkGradients(() => loss(layer.apply({ key, value, query }), "additive"), [key, value, query, ...Object.values(layer.parameters)], { what: "additive" });
  });
});

describe("attentionLayer semantics", () => {
  it("Bilinear = Dot on keys projected by W, and the kernel path = pairwise evaluation of the same scoring net", () => {
    const bilinear = attentionLayer("Bilinear").initialize({ keySize: 3, querySize: 4, seed: 3 });
    const W = bilinear.parameters.weights;
    const key = rt(5, 3), value = rt(5, 2), query = rt(3, 4);
    const viaDot = attentionLayer("Dot").apply({ key: ops.matmul(key, ops.transpose(W)), value, query });
    expectClose(bilinear.apply({ key, value, query }), viaDot.data, 1e-5, 1e-6);
    // the same Bilinear scoring net, but without its dot-product form: forces the pairwise path
    const net = bilinear.scoringNet;
    const pairwise = attentionLayer({ inputNames: net.inputNames, parameters: net.parameters, isInitialized: true, initialize: () => undefined, apply: (p: { input: Tensor; query: Tensor }) => net.apply(p) });
    expectClose(pairwise.apply({ key, value, query }), viaDot.data, 1e-5, 1e-6);
  });

  it("lengthSqrt divides by √N of each example, and by √i under a causal mask", () => {
    const key = rt(4, 2), value = rt(4, 2), query = rt(4, 2);
    const scaled = attentionLayer("Dot", { scoreRescaling: "lengthSqrt" }).apply({ key, value, query });
    expectClose(scaled, attentionLayer("Dot").apply({ key, value, query: ops.scale(query, 0.5) }).data, 1e-5, 1e-6);
    const causal = attentionLayer("Dot", { mask: "causal", scoreRescaling: "lengthSqrt" }).apply({ key, value, query }, { returnWeights: true });
    const rows = [1, 2, 3, 4].map((i) => 1 / Math.sqrt(i));
    const q4 = ops.reshape(ops.mul(query, new Tensor(Float32Array.from(rows), [4, 1])), [1, 1, 4, 2]);
    const expected = dotProductAttention(q4, ops.reshape(key, [1, 1, 4, 2]), ops.reshape(value, [1, 1, 4, 2]), { causal: true, scale: 1 });
    expectClose(causal.output, expected.data, 1e-5, 1e-6);
    expect(causal.weights.data[1]).toBe(0); // row 1 sees only key 1
  });

  it("a list of examples with different lengths gives each example's own result", () => {
    const layer = attentionLayer("Bilinear", { scoreRescaling: "lengthSqrt" });
    const examples = [{ key: rt(6, 3), value: rt(6, 2), query: rt(2, 4) }, { key: rt(1, 3), value: rt(1, 2), query: rt(5, 4) }];
    const outs = layer.apply(examples) as Tensor[];
    examples.forEach((ex, i) => expect([...outs[i].data]).toEqual([...(layer.apply(ex) as Tensor).data]));
    expect(outs.map((o) => o.shape)).toEqual([[2, 2], [5, 2]]);
  });

  it("weights are [query dims, key dims] and sum to one over the keys", () => {
    const r = attentionLayer("Dot").apply({ key: rt(2, 3, 4), value: rt(2, 3, 1), query: rt(5, 4) }, { returnWeights: true });
    expect(r.weights.shape).toEqual([5, 2, 3]);
    expectClose(ops.sum(ops.reshape(r.weights, [5, 6]), -1), [1, 1, 1, 1, 1], 1e-6, 1e-6);
  });

  it("nested arrays in give nested arrays out; tensors in give tensors out", () => {
    const layer = attentionLayer("Dot");
    const out = layer.apply({ key: [[1, 0], [0, 1]], value: [[1], [2]], query: [[10, 0]] });
    expect(Array.isArray(out)).toBe(true);
    expect((out as number[][])[0][0]).toBeCloseTo(1, 4);
    expect(layer.apply({ key: tensor([[1, 0]]), value: tensor([[3]]), query: tensor([0, 1]) })).toBeInstanceOf(Tensor);
  });

  it("shape specs: fixed sizes are checked, 'varying' accepts any length, 'auto' is fixed by the first data", () => {
    const layer = attentionLayer("Bilinear", { key: ["varying", 3], query: ["auto", 2], value: 4 });
    layer.apply({ key: rt(5, 3), value: rt(5, 4), query: rt(2, 2) });
    layer.apply({ key: rt(1, 3), value: rt(1, 4), query: rt(2, 2) });
    expect(() => layer.apply({ key: rt(5, 3), value: rt(5, 4), query: rt(3, 2) })).toThrow(/port "query" expects shape \[2,2\], got \[3, 2\]/);
    expect(() => layer.apply({ key: rt(5, 2), value: rt(5, 4), query: rt(2, 2) })).toThrow(/port "key" expects shape \["varying",3\], got \[5, 2\]/);
    expect(layer.parameters.weights.shape).toEqual([2, 3]);
  });

  it("a fully masked example is impossible here but an empty key set gives zeros, never NaN", () => {
    const out = attentionLayer("Dot").apply({ key: new Tensor(new Float32Array(0), [0, 2]), value: new Tensor(new Float32Array(0), [0, 3]), query: rt(2, 2) });
    expect([...out.data]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("bad input: errors name the layer, the port and both shapes", () => {
    const layer = attentionLayer("Dot", { name: "att" });
    expect(() => layer.apply({ key: rt(3), value: rt(3, 2), query: rt(3) })).toThrow(/attentionLayer "att": key must be an array of vectors \[d1…dn, k\] \(rank ≥ 2\), got shape \[3\]/);
    expect(() => layer.apply({ key: rt(3, 2), value: rt(4, 2), query: rt(2) })).toThrow(/key and value must have the same positions: key \[3, 2\], value \[4, 2\]/);
    expect(() => layer.apply({ key: rt(3, 2), value: rt(3, 2), query: rt(1, 5) })).toThrow(/"Dot" scoring needs equal key and query sizes, got key size 2 \(key \[3, 2\]\) and query size 5 \(query \[1, 5\]\)/);
    expect(() => attentionLayer("Dot", { mask: "causal" }).apply({ key: rt(3, 2), value: rt(3, 2), query: rt(2, 2) })).toThrow(/causal mask needs key and query sequences of equal length/);
    expect(() => layer.apply({ key: rt(3, 2), value: rt(3, 2) } as never)).toThrow(/has no "query" port/);
    expect(() => attentionLayer("Cosine" as never)).toThrow(/^attentionLayer: scoring must be "Dot", "Bilinear" or a net/);
    expect(() => attentionLayer("Dot", { mask: "causal", scoreRescale: "lengthSqrt" } as never)).toThrow(/attentionLayer: unknown option "scoreRescale" \(did you mean "scoreRescaling"\?\)/);
    expect(() => layer.apply({ key: rt(3, 2), value: rt(3, 2), query: rt(2) }, { returnweights: true } as never)).toThrow(/attentionLayer "att".apply: unknown option "returnweights" \(did you mean "returnWeights"\?\)/);
    expect(() => sequenceAttentionLayer("Cosine" as never, { name: "s" })).toThrow(/^sequenceAttentionLayer "s": scoring must be/);
    expect(() => attentionLayer("Dot", { scoreRescaling: "sqrt" as never })).toThrow(/scoreRescaling must be/);
    expect(() => attentionLayer("Dot", { mask: { causal: 0 } })).toThrow(/mask must be "none", "causal" or \{ causal: w \}/);
    const bil = attentionLayer("Bilinear");
    bil.apply({ key: rt(3, 2), value: rt(3, 2), query: rt(2, 4) });
    expect(() => bil.apply({ key: rt(3, 5), value: rt(3, 2), query: rt(2, 4) })).toThrow(/port "key" has vectors of size 5 but the layer expects 2 \(key \[3, 5\]\)$/);
    expect(() => bil.setParameter("weights", rt(3, 3))).toThrow(/attentionLayer: parameter "weights" must have shape \[4, 2\] \[querySize, keySize\], got \[3, 3\]/);
  });
});

describe("sequenceAttentionLayer", () => {
  it("equals attentionLayer with key = value = input, and its input gradient sums both roles", () => {
    const seq = sequenceAttentionLayer("Bilinear").initialize({ inputSize: 3, querySize: 2, seed: 1 });
    const att = attentionLayer("Bilinear");
    att.setParameter("weights", seq.parameters.weights);
    const input = rt(5, 3), query = rt(4, 2);
    expectClose(seq.apply({ input, query }), att.apply({ key: input, value: input, query }).data, 1e-6, 1e-7);
    const k = tensor(input.data.slice(), input.shape), v = tensor(input.data.slice(), input.shape);
    const gAtt = valueAndGrad(() => loss(att.apply({ key: k, value: v, query }), "seq"), [k, v]).grads;
    const gSeq = valueAndGrad(() => loss(seq.apply({ input, query }), "seq"), [input]).grads[0];
    expectClose(gSeq, ops.add(gAtt[0], gAtt[1]).data, 1e-5, 1e-6);
    checkGradients(() => loss(seq.apply({ input, query }), "seq"), [input, query, seq.parameters.weights]);
  });

  it("custom scoring nets and lists of examples work; errors say input, not key", () => {
    const layer = sequenceAttentionLayer(additiveScoring(3), { name: "s" });
    const outs = layer.apply([{ input: rt(4, 2), query: rt(3, 5) }, { input: rt(1, 2), query: rt(1, 5) }]) as Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([[3, 2], [1, 2]]);
    expect(() => layer.apply({ input: rt(2), query: rt(1, 5) })).toThrow(/sequenceAttentionLayer "s": input must be an array of vectors/);
    expect(() => sequenceAttentionLayer("Dot").apply({ input: rt(3, 2), query: rt(1, 3) })).toThrow(/"Dot" scoring needs equal key and query sizes, got input size 2/);
  });
});
