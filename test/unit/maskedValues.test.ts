// Values at masked or padded positions influence nothing: NaN or Infinity behind a custom scoring net's mask,
// or in the padded steps of selfAttentionLayer (padding mask or key lengths), reach neither outputs nor gradients.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, fullyConnectedLayer, netGraph, ops, Random, selfAttentionLayer, tanhLayer, Tensor, tensor, valueAndGrad,
} from "../../src/index.js";
import { checkGradients, randomTensor } from "../helpers/numeric.js";

/** Wolfram's additive scoring net: s = w·tanh(Wk k + Wq q). */
const additiveNet = (seed = 3) => netGraph({
  inputs: ["input", "query"],
  nodes: { k: fullyConnectedLayer(3), q: fullyConnectedLayer(3), add: additionLayer(2), th: tanhLayer(), s: fullyConnectedLayer(1) },
  edges: [["input", "k"], ["query", "q"], ["k", "add/in1"], ["q", "add/in2"], ["add", "th"], ["th", "s"]],
}).initialize({ inputSize: 2, querySize: 2, seed });

describe("a custom scoring net with a mask", () => {
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

describe("NaN in padded steps of selfAttentionLayer influences nothing", () => {
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
