// Issue 10's mission defects D1–D6 and numerics N3, each with the reviewer's repro.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, fullyConnectedLayer, netGraph, ops, Random, selfAttentionLayer, sequenceAttentionLayer, sequenceInputLayer,
  tanhLayer, Tensor, tensor, valueAndGrad,
} from "../../src/index.js";
import { checkGradients, expectClose, randomTensor } from "../helpers/numeric.js";

/** Wolfram's additive scoring net: s = w·tanh(Wk k + Wq q). */
const additiveNet = (seed = 3) => netGraph({
  inputs: ["input", "query"],
  nodes: { k: fullyConnectedLayer(3), q: fullyConnectedLayer(3), add: additionLayer(2), th: tanhLayer(), s: fullyConnectedLayer(1) },
  edges: [["input", "k"], ["query", "q"], ["k", "add/in1"], ["q", "add/in2"], ["add", "th"], ["th", "s"]],
}).initialize({ inputSize: 2, querySize: 2, seed });

describe("D1: sequenceAttentionLayer inside a net", () => {
  it("the reviewer's netGraph applies, as the layer alone does", () => {
    const s = sequenceAttentionLayer("Dot");
    const net = netGraph({ nodes: { inp: sequenceInputLayer(2), s }, edges: [["input", "inp"], ["inp", "s/input"], ["inp", "s/query"]] });
    const x = [[1, 2], [3, 4]];
    expect(net.apply(x)).toEqual(sequenceAttentionLayer("Dot").apply({ input: x, query: x }));
    // Bilinear learns W [querySize, inputSize] from the sizes the net infers
    const b = sequenceAttentionLayer("Bilinear");
    netGraph({ nodes: { inp: sequenceInputLayer(2), b }, edges: [["input", "inp"], ["inp", "b/input"], ["inp", "b/query"]] }).initialize();
    expect(b.parameters.weights.shape).toEqual([2, 2]);
  });
});

describe("D2: a custom scoring net with a mask", () => {
  it("NaN or Infinity at a masked position reaches neither the output nor the query gradient", () => {
    const layer = attentionLayer(additiveNet(), { mask: "causal" });
    const out = layer.apply({ key: [[1, 0], [0, 1]], value: [[5], [NaN]], query: [[1, 0], [0, 1]] }) as number[][];
    expect(out[0][0]).toBeCloseTo(5, 5); // row 0 sees key 0 only
    expect(Number.isNaN(out[1][0])).toBe(true); // row 1 sees the NaN value: it propagates, as unmasked data does
    // key 2 holds NaN/∞ and is masked for query rows 0 and 1: their outputs and query gradients stay finite
    const key = tensor([[1, 0], [0.5, -1], [NaN, Infinity]]), value = tensor([[5], [1], [Infinity]]), query = tensor([[1, 0], [0, 1], [1, 1]]);
    const firstTwo = () => ops.slice(layer.apply({ key, value, query }) as Tensor, 0, 0, 2);
    expect([...firstTwo().data].every(Number.isFinite)).toBe(true);
    const dquery = valueAndGrad(() => ops.sum(firstTwo()), [query]).grads[0];
    expect([...dquery.data.slice(0, 4)].every(Number.isFinite)).toBe(true);
    expect([...dquery.data.slice(2, 4)].some((g) => g !== 0)).toBe(true); // row 1 sees two keys: a real gradient
  });
  it("gradients of the custom path under a causal mask match finite differences", () => {
    const random = new Random(4);
    const layer = attentionLayer(additiveNet(5), { mask: "causal", scoreRescaling: "lengthSqrt" });
    const key = randomTensor([3, 2], random), value = randomTensor([3, 2], random), query = randomTensor([3, 2], random);
    const w = randomTensor([3, 2], random);
    checkGradients(() => ops.sum(ops.mul(layer.apply({ key, value, query }) as Tensor, w)), [key, value, query, ...Object.values(layer.parameters)], { what: "custom causal" });
  });
});

describe("D3: the scores port of a net on a list of sequences", () => {
  it("comes back cut to each sequence's own length, as if alone", () => {
    const net = netGraph({
      nodes: { inp: sequenceInputLayer(2), sa: selfAttentionLayer(1, 2, { hasScoresOutput: true }) },
      edges: [["input", "inp"], ["inp", "sa"]], outputs: { out: "sa/out", scores: "sa/scores" },
    }).initialize({ seed: 1 });
    const [a, b] = net.apply([[[1, 2]], [[1, 2], [3, 4], [5, 6]]]) as { out: number[][]; scores: number[][][] }[];
    expect(a.scores).toEqual([[[1]]]);
    expect(b.scores.map((h) => h.map((r) => r.length))).toEqual([[3, 3, 3]]);
    expect(a).toEqual(net.apply([[1, 2]]));
  });
});

describe("D4: a refused call does not change the layer", () => {
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

describe("D5: errors name the layer, never an internal class", () => {
  it("initialize() of an attentionLayer without sizes names it and says what to pass", () => {
    expect(() => attentionLayer("Bilinear", { name: "att1" }).initialize()).toThrow(/^attentionLayer "att1": cannot initialize "weights" .*pass \{ keySize, querySize \}/);
    expect(() => sequenceAttentionLayer("Bilinear", { name: "s" }).initialize()).toThrow(/^sequenceAttentionLayer "s": .*pass \{ inputSize, querySize \}/);
    const layer = attentionLayer("Bilinear", { name: "att1" }).initialize({ keySize: 2, querySize: 3 });
    expect(() => layer.setParameter("weights", tensor([[1, 2]]))).toThrow(/^attentionLayer "att1": /);
  });
});

describe("D6: a multi-input netGraph threads over examples", () => {
  const graph = () => netGraph({ inputs: ["key", "query"], nodes: { s: sequenceAttentionLayer("Dot") }, edges: [["key", "s/input"], ["query", "s/query"]] });
  const e1 = { key: [[1, 0], [0, 1], [1, 1]], query: [[1, 0]] };
  const e2 = { key: [[1, 0]], query: [[1, 0], [0, 1]] };
  const alone = (e: typeof e1) => sequenceAttentionLayer("Dot").apply({ input: e.key, query: e.query });
  it("one unbatched example gives that example's result without a batch axis", () => {
    expect(graph().apply(e1)).toEqual(alone(e1));
  });
  it("a list of examples of different lengths gives a list of results, each as if alone", () => {
    expect(graph().apply([e1, e2])).toEqual([alone(e1), alone(e2)]);
  });
  it("a batched tensor still works", () => {
    const out = graph().apply({ key: tensor([e1.key]), query: tensor([e1.query]) }) as Tensor;
    expect(out.shape).toEqual([1, 1, 2]);
    expectClose(out, (alone(e1) as number[][]).flat(), 1e-6, 1e-7);
  });
});

describe("N3: NaN in padded steps of selfAttentionLayer influences nothing", () => {
  const random = new Random(7);
  const make = (opts = {}) => selfAttentionLayer(2, 4, opts).initialize({ inputSize: 3, seed: 2 });
  const clean = randomTensor([2, 4, 3], random);
  const poisoned = (values: number[]) => {
    const d = Float32Array.from(clean.data);
    for (const t of [3]) for (let c = 0; c < 3; c++) d[(1 * 4 + t) * 3 + c] = values[c]; // row 1, step 3 is padding
    return new Tensor(d, [2, 4, 3]);
  };
  const mask = tensor([[1, 1, 1, 1], [1, 1, 1, 0]]);
  // out [2, 4, 3]: element i is (b, t) = (⌊i / 12⌋, ⌊i / 3⌋ mod 4); (1, 3) is the padded step
  const validOut = (out: Tensor | Float32Array) => [...(out instanceof Tensor ? out.data : out)].filter((_, i) => !(Math.floor(i / 12) === 1 && Math.floor(i / 3) % 4 === 3));
  for (const [label, run] of [
    ["padding mask", (layer: ReturnType<typeof make>, x: Tensor) => layer.apply({ in: x, mask }) as Tensor],
    ["keyLengths (nets)", (layer: ReturnType<typeof make>, x: Tensor) => layer.forwardBatch({ x, keyLengths: [4, 3] }).out],
  ] as const) for (const values of [[NaN, Infinity, Infinity], [7, NaN, -Infinity]]) {
    it(`${label}, padded step ${values.join(", ")}: outputs, weight gradients and dx are those of clean data; dx at the padded step is 0`, () => {
      const layer = make(label === "padding mask" ? { hasPaddingMaskInput: true } : {});
      const loss = (x: Tensor) => () => ops.sum(ops.square(ops.slice(run(layer, x), 1, 0, 3))); // valid steps only
      const params = Object.values(layer.parameters);
      const x1 = clean, x2 = poisoned(values);
      const a = valueAndGrad(loss(x1), [x1, ...params]).grads, b = valueAndGrad(loss(x2), [x2, ...params]).grads;
      expect(validOut(run(layer, x2))).toEqual(validOut(run(layer, x1)));
      for (let i = 1; i < a.length; i++) expect([...b[i].data]).toEqual([...a[i].data]);
      const dx = [...b[0].data];
      expect(validOut(b[0].data)).toEqual(validOut(a[0].data));
      expect(dx.slice(21, 24)).toEqual([0, 0, 0]); // the poisoned values were replaced, so nothing flows back to them
    });
  }
});
