// Found by an adversarial review: large scores in the backward pass, read-only MATLAB properties,
// user-set output weights, nested single sequences in nets, typos in options and ports, mask values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attentionLayer, dotProductAttention, embeddingLayer, exportOnnx, positionEmbeddingLayer, fullyConnectedLayer, layerNormalizationLayer, lstmLayer, netChain, netGraph, ops,
  selfAttentionLayer, sequenceAttentionLayer, setDefaultAttentionKernel, sequenceInputLayer, Tensor, tensor, valueAndGrad,
} from "../../src/index.js";
import { expectClose } from "../helpers/numeric.js";

describe.each(["reference", "wasm"])("large scores (%s kernel)", (kernel) => {
  beforeAll(() => setDefaultAttentionKernel(kernel));
  afterAll(() => setDefaultAttentionKernel("wasm"));
  it("gradients do not change when every score is shifted by a large constant", () => {
    const softmax = [0.5, 1.5, 0].map(Math.exp);
    const z = softmax.reduce((a, b) => a + b);
    for (const base of [0, 1e4, 1e6]) {
      const q = tensor([[[[1]]]]), k = tensor([[[[base + 0.5], [base + 1.5], [base]]]]), v = tensor([[[[1], [2], [4]]]]);
      const [dq, dk, dv] = valueAndGrad(() => ops.sum(dotProductAttention(q, k, v, { scale: 1 })), [q, k, v]).grads;
      expectClose(dv, softmax.map((s) => s / z), 1e-6, 1e-7, `dv at ${base}`);
      const mean = softmax.reduce((s, p, j) => s + (p / z) * [1, 2, 4][j], 0);
      expectClose(dk, softmax.map((s, j) => (s / z) * ([1, 2, 4][j] - mean)), 1e-5, 1e-6, `dk at ${base}`);
      // dq = Σ_j p_j (v_j − mean) k_j; the shift by `base` cancels since Σ_j p_j (v_j − mean) = 0. The bound is
      // what float64 allows: p carries the rounding of s − lse, about base · 1e-16 relative.
      const expectedDq = softmax.reduce((s, p, j) => s + (p / z) * ([1, 2, 4][j] - mean) * [0.5, 1.5, 0][j], 0);
      expect(Math.abs(dq.data[0] - expectedDq)).toBeLessThan(1e-6 + 1e-9 * base);
    }
  });
  it("selfAttentionLayer on inputs of size 1e5 has finite gradients", () => {
    const layer = selfAttentionLayer(2, 4).initialize({ inputSize: 3, seed: 1 });
    const x = tensor(Array.from({ length: 12 }, (_, i) => Math.sin(i) * 1e5), [1, 4, 3]);
    const grads = valueAndGrad(() => ops.sum(ops.square(layer.apply(x) as Tensor)), [x, ...Object.values(layer.parameters)]).grads;
    for (const g of grads) expect(g.data.every(Number.isFinite)).toBe(true);
  });
  it("a NaN among a row's visible scores gives NaN, not a silent zero row", () => {
    expect(Number.isNaN(dotProductAttention(tensor([[[[NaN, 1]]]]), tensor([[[[1, 1]]]]), tensor([[[[3]]]])).data[0])).toBe(true);
  });
});

describe("MATLAB read-only properties", () => {
  it("assigning one throws and leaves the layer intact", () => {
    const layer = selfAttentionLayer(2, 4);
    for (const prop of ["numHeads", "numKeyChannels", "numValueChannels", "hasPaddingMaskInput", "attentionMask", "dropoutProbability", "hasScoresOutput"]) {
      expect(() => { (layer as unknown as Record<string, unknown>)[prop] = 5; }, prop).toThrow(TypeError);
    }
    expect(() => { (layer as unknown as Record<string, unknown>).numInputs = 3; }).toThrow(TypeError);
    expect(layer.numHeads).toBe(2);
    const att = attentionLayer("Dot");
    expect(() => { (att as unknown as Record<string, unknown>).mask = "causal"; }).toThrow(TypeError);
  });
});

describe("user-set output weights", () => {
  it("fix an 'auto' outputSize, whether given as options or set later", () => {
    const a = selfAttentionLayer(1, 2, { outputWeights: [[1, 2]] }).initialize({ inputSize: 3, seed: 1 });
    expect([a.outputSize, a.parameters.outputBias.shape]).toEqual([1, [1]]);
    expect((a.apply(tensor([[1, 2, 3]])) as Tensor).shape).toEqual([1, 1]);
    const b = selfAttentionLayer(1, 2).initialize({ inputSize: 3, seed: 1 });
    b.setParameter("outputWeights", [[1, 2]]);
    expect((b.apply(tensor([[1, 2, 3], [0, 1, 0]])) as Tensor).shape).toEqual([2, 1]);
    expect(b.parameters.outputBias.shape).toEqual([1]);
    expect(() => selfAttentionLayer(1, 2, { outputSize: 4, outputWeights: [[1, 2]] })).toThrow(/parameter "outputWeights" must have shape \[4, 2\], got \[1, 2\]/);
  });
});

describe("nets take one nested-array sequence", () => {
  it("[T, C] nested arrays are one sequence, ragged lists are several", () => {
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]).initialize({ seed: 1 });
    const one = net.predict([[1, 2, 3], [4, 5, 6]]) as number[][];
    expect(one).toEqual((net.predict(tensor([[1, 2, 3], [4, 5, 6]])) as Tensor).toArray());
    const list = net.predict([[[1, 2, 3], [4, 5, 6]], [[1, 1, 1]]]) as number[][][];
    expect(list.map((r) => r.length)).toEqual([2, 1]);
  });
});

describe("typos and unknown ports are errors", () => {
  it("in constructors, initialize, apply and graph specs", () => {
    expect(() => fullyConnectedLayer(2, { hasbias: false } as never)).toThrow(/fullyConnectedLayer: unknown option "hasbias" \(did you mean "hasBias"\?\)/);
    expect(() => sequenceInputLayer(3, { normalisation: "zscore" } as never)).toThrow(/unknown option "normalisation" \(did you mean "normalization"\?\)/);
    expect(() => layerNormalizationLayer({ epsilom: 1 } as never)).toThrow(/unknown option "epsilom"/);
    expect(() => lstmLayer(4, { outputmode: "last" } as never)).toThrow(/did you mean "outputMode"/);
    expect(() => embeddingLayer(2, 5, { foo: 1 } as never)).toThrow(/embeddingLayer: unknown option "foo"/);
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]);
    expect(() => net.initialize({ sed: 1 })).toThrow(/netChain.initialize: unknown option "sed" \(did you mean "seed"\?\)/);
    expect(() => attentionLayer("Bilinear").initialize({ keySize: 3, querySize: 3, sed: 1 } as never)).toThrow(/attentionLayer.initialize: unknown option "sed"/);
    expect(() => net.apply(tensor([[1, 2, 3]]), { traning: true } as never)).toThrow(/netChain.apply: unknown option "traning" \(did you mean "training"\?\)/);
    expect(() => selfAttentionLayer(1, 2).apply(tensor([[1, 2]]), { returnWeights: true } as never)).toThrow(/selfAttentionLayer.apply: unknown option "returnWeights"/);
    expect(() => netGraph({ nodes: { a: fullyConnectedLayer(2) }, edges: [["input", "a"]], output: ["a"] } as never)).toThrow(/netGraph: unknown option "output" \(did you mean "outputs"\?\)/);
    expect(() => attentionLayer("Dot").apply({ key: [[1]], value: [[1]], query: [[1]], mask: [[0]] } as never)).toThrow(/attentionLayer: the example has an unknown port "mask"; ports: key, value, query/);
    // sequences of a list with different channel counts: the net and the input are named, not padSequences
    expect(() => netChain([sequenceInputLayer(2), fullyConnectedLayer(1)]).predict([[[1, 2]], [[1, 2, 3]]])).toThrow(/^netChain: sequence 2 of input "input" has 3 channels \(\[1, 3\]\) but sequence 1 has 2 \(\[1, 2\]\)/);
    // a misspelt port is named as typed, with the missing one suggested
    expect(() => attentionLayer("Dot").apply({ key: [[1]], value: [[1]], querry: [[1]] } as never)).toThrow('attentionLayer: the example has an unknown port "querry" (did you mean "query"?); ports: key, value, query');
    expect(() => sequenceAttentionLayer("Dot").apply({ input: [[1]], query: [[1]], key: [[5]] } as never)).toThrow(/unknown port "key"; ports: input, query/);
  });
  it("options that are not an object are refused with the value described, wherever they go", () => {
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]);
    expect(() => net.initialize(null as never)).toThrow(/^netChain.initialize: options must be an object, got null$/);
    expect(() => exportOnnx(net.initialize({ seed: 1 }), (() => 1) as never)).toThrow(/^exportOnnx: options must be an object, got a function$/);
    expect(() => embeddingLayer(2, 5, NaN as never)).toThrow(/^embeddingLayer: options must be an object, got NaN$/);
    expect(() => lstmLayer(4, [1, 2] as never)).toThrow(/^lstmLayer: options must be an object, got \[1, 2\]$/);
  });
  it("construction errors name the layer being built", () => {
    expect(() => embeddingLayer(0, 5)).toThrow(/^embeddingLayer: dimension must be a positive integer, got 0/);
    expect(() => positionEmbeddingLayer(2, 0)).toThrow(/^positionEmbeddingLayer: maxPosition must be a positive integer, got 0/);
    expect(() => lstmLayer(-1)).toThrow(/^lstmLayer: numHiddenUnits must be a positive integer/);
  });
  it("sequenceAttentionLayer ports are [n, d1] and [m, d2]", () => {
    expect(() => sequenceAttentionLayer("Dot").apply({ input: [[[1, 2]]], query: [[1, 2]] })).toThrow(/sequenceAttentionLayer: input must have rank 2, got shape \[1, 1, 2\]/);
  });
});

describe("mask values", () => {
  it("must be booleans or 0/1", () => {
    const q = tensor([[[[1, 0], [0, 1]]]]);
    expect(() => dotProductAttention(q, q, q, { mask: tensor([[1, 2], [1, 1]]) })).toThrow(/dotProductAttention: mask values must be true\/false or 1\/0, got 2 at flat index 1/);
    const layer = selfAttentionLayer(1, 2, { hasPaddingMaskInput: true, name: "p" });
    expect(() => layer.apply({ in: tensor([[[1, 2], [3, 4]]]), mask: [[1, NaN]] })).toThrow(/selfAttentionLayer "p": input "mask" values must be true\/false or 1\/0, got NaN/);
    expect(() => selfAttentionLayer(1, 2, { attentionMask: [[1, 0.5], [1, 1]] }).apply(tensor([[1, 2], [3, 4]]))).toThrow(/attentionMask values must be/);
    expectClose(dotProductAttention(q, q, q, { mask: [[true, false], [true, true]] }), dotProductAttention(q, q, q, { mask: tensor([[1, 0], [1, 1]]) }).data, 0, 0);
  });
});

describe.each(["reference", "wasm"])("huge tied scores (hardening N1) (%s kernel)", (kernel) => {
  beforeAll(() => setDefaultAttentionKernel(kernel));
  afterAll(() => setDefaultAttentionKernel("wasm"));
  it("equal scores near 1e17 keep equal weights, and the gradient stays finite", () => {
    const q = tensor([[[[1]]]]), k = tensor([[[[1e9], [1e9]]]]), v = tensor([[[[0], [1]]]]);
    const { output, weights } = dotProductAttention(q, k, v, { scale: 1e8, returnWeights: true });
    expect(Array.from(weights.data)).toEqual([0.5, 0.5]);
    expect(output.data[0]).toBeCloseTo(0.5, 6);
    const { grads } = valueAndGrad(() => ops.sum(dotProductAttention(q, k, v, { scale: 1e8 })), [v]);
    expect(Array.from(grads[0].data)).toEqual([0.5, 0.5]);
  });
});
