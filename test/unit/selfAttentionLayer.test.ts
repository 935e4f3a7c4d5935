// selfAttentionLayer: every option against finite differences, MATLAB properties, initializers,
// equivalence with dotProductAttention, list inputs, fully masked sequences, and bad input.
import { describe, expect, it } from "vitest";
import { dotProductAttention, fullyConnectedLayer, netChain, ops, Random, selfAttentionLayer, sequenceInputLayer, Tensor, tensor, valueAndGrad, type SelfAttentionLayerOptions } from "../../src/index.js";
import { checkGradients, expectClose, projectionLoss, randomTensor } from "../helpers/numeric.js";

const random = new Random(31);
const rt = (...shape: number[]) => randomTensor(shape, random);
const loss = projectionLoss(new Random(32));
type Result = Tensor | { out: Tensor; scores: Tensor };
const outOf = (r: unknown) => (r instanceof Tensor ? r : (r as { out: Tensor }).out);

describe("selfAttentionLayer gradients (finite differences)", () => {
  const variants: [string, number, number, SelfAttentionLayerOptions][] = [
    ["1 head", 1, 4, {}],
    ["2 heads, value/output sizes differ", 2, 4, { numValueChannels: 6, outputSize: 3 }],
    ["3 heads causal", 3, 6, { attentionMask: "causal" }],
    ["custom boolean mask", 2, 4, { attentionMask: [[1, 0, 1, 1], [1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]] }],
    ["scores output", 2, 4, { hasScoresOutput: true }],
  ];
  for (const [name, H, K, options] of variants) {
    it(name, () => {
      const layer = selfAttentionLayer(H, K, options).initialize({ inputSize: 5, seed: 2 });
      const x = rt(2, 4, 5);
      const f = () => {
        const r = layer.apply(x) as Result;
        return r instanceof Tensor ? loss(r, name) : ops.add(loss(r.out, name), loss(r.scores, `${name}-s`));
      };
      checkGradients(f, [x, ...Object.values(layer.parameters)], { what: name });
    });
  }
  it("apply is differentiable in its input in every form: one sequence [T, C], a list, a record, and through a net", () => {
    const layer = selfAttentionLayer(2, 4).initialize({ inputSize: 3, seed: 4 });
    const net = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 2), fullyConnectedLayer(2)]).initialize({ seed: 1 });
    const x = rt(4, 3), y = rt(2, 3);
    checkGradients(() => loss(outOf(layer.apply(x)), "one"), [x]);
    checkGradients(() => ops.add(loss((layer.apply([x, y]) as Tensor[])[0], "l0"), loss((layer.apply([x, y]) as Tensor[])[1], "l1")), [x, y]);
    checkGradients(() => loss(outOf(layer.apply({ in: x })), "rec"), [x]);
    checkGradients(() => loss(net.apply(x), "net"), [x]);
    checkGradients(() => loss(net.apply([x, y])[1], "netList"), [y]);
  });
  it("padding mask input, with one sequence fully padded", () => {
    const layer = selfAttentionLayer(2, 4, { hasPaddingMaskInput: true }).initialize({ inputSize: 3, seed: 4 });
    const x = rt(2, 3, 3), mask = tensor([[1, 1, 0], [0, 0, 0]]);
    checkGradients(() => loss(outOf(layer.apply({ in: x, mask })), "pad"), [x, ...Object.values(layer.parameters)]);
  });
  it("dropout in training is seeded and differentiable", () => {
    const layer = selfAttentionLayer(2, 4, { dropoutProbability: 0.25 }).initialize({ inputSize: 3, seed: 4 });
    const x = rt(1, 5, 3);
    const a = outOf(layer.apply(x, { training: true, seed: 9 }));
    expect([...a.data]).toEqual([...outOf(layer.apply(x, { training: true, seed: 9 })).data]);
    expect([...a.data]).not.toEqual([...outOf(layer.apply(x)).data]);
    checkGradients(() => loss(outOf(layer.apply(x, { training: true, seed: 9 })), "drop"), [x]);
  });
});

describe("selfAttentionLayer semantics", () => {
  it("one head with identity projections and zero biases equals dotProductAttention", () => {
    const C = 4, eye = Array.from({ length: C }, (_, i) => Array.from({ length: C }, (_, j) => (i === j ? 1 : 0)));
    const layer = selfAttentionLayer(1, C, { weightsInitializer: () => eye, inputSize: C });
    const x = rt(2, 5, C);
    const ref = dotProductAttention(ops.reshape(x, [2, 1, 5, C]), ops.reshape(x, [2, 1, 5, C]), ops.reshape(x, [2, 1, 5, C]));
    expectClose(outOf(layer.apply(x)), ref.data, 1e-5, 1e-6);
  });

  it("heads are contiguous channel blocks", () => {
    // with identity projections, head h only sees channels h·D…(h+1)·D−1: changing channel 3 leaves head 0's output alone
    const C = 4, eye = Array.from({ length: C }, (_, i) => Array.from({ length: C }, (_, j) => (i === j ? 1 : 0)));
    const layer = selfAttentionLayer(2, C, { weightsInitializer: () => eye, inputSize: C });
    const x = rt(1, 3, C);
    const y = rt(1, 3, C);
    y.data.set(x.data);
    for (let t = 0; t < 3; t++) y.data[t * C + 3] += 1;
    const a = outOf(layer.apply(x)).data, b = outOf(layer.apply(y)).data;
    for (let t = 0; t < 3; t++) {
      expect(b[t * C]).toBeCloseTo(a[t * C], 6);
      expect(b[t * C + 1]).toBeCloseTo(a[t * C + 1], 6);
    }
  });

  it("a list of sequences gives each sequence's own result; a single [T, C] gives [T, outputSize]", () => {
    const layer = selfAttentionLayer(2, 4, { outputSize: 3, hasScoresOutput: true }).initialize({ inputSize: 5, seed: 1 });
    const seqs = [rt(4, 5), rt(1, 5), rt(7, 5)];
    const outs = layer.apply(seqs) as { out: Tensor; scores: Tensor }[];
    expect(outs.map((o) => o.out.shape)).toEqual([[4, 3], [1, 3], [7, 3]]);
    expect(outs[2].scores.shape).toEqual([2, 7, 7]);
    const batched = layer.apply(ops.reshape(seqs[0], [1, 4, 5])) as { out: Tensor; scores: Tensor };
    expectClose(outs[0].out, batched.out.data, 1e-6, 1e-7);
    expect(batched.scores.shape).toEqual([1, 2, 4, 4]);
  });

  it("a ragged nested-array list of sequences gives nested arrays back, each sequence's own result", () => {
    const layer = selfAttentionLayer(2, 4, { hasScoresOutput: true }).initialize({ inputSize: 3, seed: 2 });
    const seqs = [rt(2, 3), rt(1, 3)];
    const outs = layer.apply(seqs.map((s) => s.toArray())) as unknown as { out: number[][]; scores: number[][][] }[];
    outs.forEach((o, i) => {
      expect(Array.isArray(o.out) && Array.isArray(o.scores)).toBe(true);
      const alone = layer.apply(seqs[i]) as { out: Tensor; scores: Tensor };
      expect(o.out).toEqual(alone.out.toArray());
      expect(o.scores).toEqual(alone.scores.toArray());
    });
  });

  it("padding blocks keys only; a fully padded sequence gives the output bias and no NaN", () => {
    const layer = selfAttentionLayer(2, 4, { hasPaddingMaskInput: true, biasInitializer: "narrow-normal" }).initialize({ inputSize: 3, seed: 3 });
    const x = rt(2, 3, 3);
    x.data.fill(NaN, 9 + 6); // NaN in a padded position of the second sequence: keys there are blocked
    const out = outOf(layer.apply({ in: x, mask: [[1, 1, 1], [1, 1, 0]] }));
    expect(out.data.subarray(9, 15).every(Number.isFinite)).toBe(true);
    const allPad = outOf(layer.apply({ in: rt(1, 3, 3), mask: [[0, 0, 0]] }));
    const bo = layer.parameters.outputBias.data;
    for (let t = 0; t < 3; t++) expectClose(allPad.data.subarray(t * 3, t * 3 + 3), bo, 1e-6, 1e-7);
  });

  it("padding mask equals the same sequence cut to its length (keys), and equals list input", () => {
    const layer = selfAttentionLayer(2, 4, { hasPaddingMaskInput: true }).initialize({ inputSize: 3, seed: 5 });
    const x = rt(1, 5, 3);
    const padded = outOf(layer.apply({ in: x, mask: [[1, 1, 1, 0, 0]] }));
    const cut = outOf(layer.apply({ in: ops.slice(x, 1, 0, 3), mask: [[1, 1, 1]] }));
    expectClose(padded.data.subarray(0, 9), cut.data, 1e-5, 1e-6);
  });

  it("MATLAB properties, defaults and read-only port lists", () => {
    const a = selfAttentionLayer(4, 12, { name: "enc1" });
    expect([a.numHeads, a.numKeyChannels, a.numValueChannels, a.inputSize, a.outputSize]).toEqual([4, 12, 12, "auto", "auto"]);
    expect([a.numInputs, a.inputNames, a.numOutputs, a.outputNames]).toEqual([1, ["in"], 1, ["out"]]);
    expect([a.weightLearnRateFactor, a.biasLearnRateFactor, a.weightL2Factor, a.biasL2Factor]).toEqual([1, 1, 1, 0]);
    expect([a.attentionMask, a.dropoutProbability, a.hasPaddingMaskInput, a.hasScoresOutput, a.name]).toEqual(["none", 0, false, false, "enc1"]);
    const b = selfAttentionLayer(2, 4, { hasPaddingMaskInput: true, hasScoresOutput: true, inputSize: 6 });
    expect([b.numInputs, b.inputNames, b.numOutputs, b.outputNames, b.outputSize]).toEqual([2, ["in", "mask"], 2, ["out", "scores"], 6]);
    b.initialize();
    const shapes = Object.fromEntries(Object.entries(b.parameters).map(([n, t]) => [n, t.shape]));
    expect(shapes).toEqual({
      queryWeights: [4, 6], keyWeights: [4, 6], valueWeights: [4, 6], outputWeights: [6, 4],
      queryBias: [4], keyBias: [4], valueBias: [4], outputBias: [6],
    });
    expect(b.parameterFactors("queryWeights")).toEqual({ learnRate: 1, l2: 1 });
    expect(selfAttentionLayer(1, 2, { biasLearnRateFactor: 2, biasL2Factor: 0.5 }).parameterFactors("outputBias")).toEqual({ learnRate: 2, l2: 0.5 });
  });

  it("initializers: glorot and he statistics, narrow-normal, zeros, ones, a function; user-set parameters stay", () => {
    const stats = (t: Tensor) => {
      const m = t.data.reduce((s, v) => s + v, 0) / t.size;
      return { mean: m, sd: Math.sqrt(t.data.reduce((s, v) => s + (v - m) ** 2, 0) / t.size), max: Math.max(...t.data.map(Math.abs)) };
    };
    const C = 200, K = 300;
    const g = stats(selfAttentionLayer(1, K, { inputSize: C }).initialize({ seed: 1 }).parameters.queryWeights);
    const bound = Math.sqrt(6 / (C + K));
    expect(g.max).toBeLessThanOrEqual(bound);
    expect(g.sd).toBeCloseTo(bound / Math.sqrt(3), 2); // uniform on ±b has σ = b/√3
    const he = stats(selfAttentionLayer(1, K, { inputSize: C, weightsInitializer: "he" }).initialize({ seed: 1 }).parameters.keyWeights);
    expect(he.sd).toBeCloseTo(Math.sqrt(2 / C), 2);
    expect(Math.abs(he.mean)).toBeLessThan(0.005);
    const nn = stats(selfAttentionLayer(1, K, { inputSize: C, weightsInitializer: "narrow-normal" }).initialize({ seed: 1 }).parameters.valueWeights);
    expect(nn.sd).toBeCloseTo(0.01, 3);
    const out = selfAttentionLayer(1, 4, { inputSize: 3, outputSize: 5 }).initialize({ seed: 1 }).parameters.outputWeights;
    expect(stats(out).max).toBeLessThanOrEqual(Math.sqrt(6 / (4 + 5))); // output: numValueChannels → outputSize
    const z = selfAttentionLayer(1, 2, { inputSize: 2, weightsInitializer: "zeros", biasInitializer: "ones" }).initialize();
    expect([...z.parameters.queryWeights.data]).toEqual([0, 0, 0, 0]);
    expect([...z.parameters.keyBias.data]).toEqual([1, 1]);
    const seen: number[][] = [];
    const f = selfAttentionLayer(1, 2, { inputSize: 3, weightsInitializer: (shape) => { seen.push(shape); return new Array(shape[0]).fill(0).map(() => new Array(shape[1]).fill(7)); } }).initialize();
    expect(seen).toEqual([[2, 3], [2, 3], [2, 3], [3, 2]]);
    expect(f.parameters.valueWeights.data[0]).toBe(7);
    const user = selfAttentionLayer(1, 2, { queryWeights: [[1, 2, 3], [4, 5, 6]] });
    expect(user.inputSize).toBe(3); // inferred from the weights
    user.initialize({ seed: 5 });
    expect([...user.parameters.queryWeights.data]).toEqual([1, 2, 3, 4, 5, 6]);
    user.initialize({ seed: 6 });
    expect([...user.parameters.queryWeights.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("nested arrays in give nested arrays out", () => {
    const out = selfAttentionLayer(1, 2).apply([[1, 2], [3, 4], [5, 6]]);
    expect(Array.isArray(out)).toBe(true);
    expect((out as number[][]).length).toBe(3);
  });

  it("bad input: errors name the layer, its name, the port and both sizes", () => {
    const layer = selfAttentionLayer(4, 12, { name: "enc1", inputSize: 12 });
    expect(() => layer.apply(rt(1, 3, 10))).toThrow('selfAttentionLayer "enc1": input "in" has 10 channels but inputSize is 12 (input shape [1, 3, 10])');
    expect(() => layer.apply(rt(3))).toThrow(/input "in" must be \[T, C\] or \[B, T, C\] with C ≥ 1, got shape \[3\]/);
    expect(() => selfAttentionLayer(3, 8)).toThrow(/numHeads \(3\) must divide numKeyChannels \(8\)/);
    expect(() => selfAttentionLayer(2, 8, { numValueChannels: 5 })).toThrow(/numHeads \(2\) must divide numValueChannels \(5\)/);
    expect(() => selfAttentionLayer(0, 8)).toThrow(/numHeads must be a positive integer, got 0/);
    expect(() => selfAttentionLayer(2, 8, { dropoutProbability: 1 })).toThrow(/dropoutProbability must be in \[0, 1\)/);
    expect(() => selfAttentionLayer(2, 8, { weightsInitializer: "xavier" as never })).toThrow(/weightsInitializer: initializer must be one of/);
    expect(() => selfAttentionLayer(2, 8, { numHead: 2 } as never)).toThrow(/unknown option "numHead"/);
    expect(() => selfAttentionLayer(2, 8, { attentionMask: "triangular" as never })).toThrow(/attentionMask must be "none", "causal", or a boolean/);
    const masked = selfAttentionLayer(2, 4, { hasPaddingMaskInput: true, name: "m" });
    expect(() => masked.apply(rt(2, 3, 4))).toThrow(/selfAttentionLayer "m": has a padding mask input; call apply\(\{ in: x, mask \}\)/);
    expect(() => masked.apply({ in: rt(2, 3, 4), mask: [[1, 1, 1]] })).toThrow(/input "mask" must have shape \[2, 3\] to match input "in" \[2, 3, 4\], got \[1, 3\]/);
    expect(() => masked.apply({ in: rt(3, 4), mask: [1, 1] })).toThrow(/input "mask" must have shape \[3\] to match input "in" \[3, 4\], got \[2\]/);
    expect(() => selfAttentionLayer(2, 4).apply({ in: rt(2, 3, 4), mask: [[1, 1, 1]] })).toThrow(/unknown input port "mask"/);
    expect(() => layer.setParameter("queryWeights", rt(12, 11))).toThrow(/selfAttentionLayer "enc1": parameter "queryWeights" must have shape \[12, 12\], got \[12, 11\]/);
    expect(() => layer.setParameter("queryBias", rt(3))).toThrow(/parameter "queryBias" must have shape \[12\], got \[3\]/);
    expect(() => layer.setParameter("foo", rt(3))).toThrow(/unknown parameter "foo"/);
    const custom = selfAttentionLayer(1, 2, { attentionMask: [[1, 0], [1, 1]] });
    expect(() => custom.apply(rt(1, 3, 2))).toThrow(/attentionMask of shape \[2, 2\] does not fit input "in" with B = 1, T = 3/);
  });

  it("gradients flow to user-set parameters by identity (live tensors)", () => {
    const layer = selfAttentionLayer(1, 2, { inputSize: 2 }).initialize({ seed: 1 });
    const w = layer.parameters.queryWeights;
    const { grads } = valueAndGrad(() => loss(outOf(layer.apply(rt(1, 3, 2))), "live"), [w]);
    expect(grads[0].data.some((v) => v !== 0)).toBe(true);
    expect(layer.parameters.queryWeights).toBe(w);
  });
});
