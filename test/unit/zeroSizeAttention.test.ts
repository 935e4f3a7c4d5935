// Zero-size shapes in dotProductAttention, as PyTorch has them (issue 15, point 11): query/key size D = 0 gives
// scores of 0 (an empty sum, whatever the scale), so uniform weights over the visible keys; H = Hkv = 0 gives an
// empty output. Both kernels; the gradients too: with D = 0, dq and dk are empty and dv follows the uniform weights.
// The oracle for D = 0 is the same call with D = 1 and q = k = 0 (every score 0 there too).
import { describe, expect, it } from "vitest";
import { dotProductAttention, Random, Tensor, valueAndGrad, zeros, type DotProductAttentionOptions } from "../../src/index.js";
import { expectClose, projectionLoss, randomTensor } from "../helpers/numeric.js";

const random = new Random(15);
const rt = (...shape: number[]) => randomTensor(shape, random);
const loss = projectionLoss(new Random(16));

/** Output, weights and gradients of one call. */
function run(q: Tensor, k: Tensor, v: Tensor, options: DotProductAttentionOptions) {
  const { output, weights } = dotProductAttention(q, k, v, { ...options, returnWeights: true });
  const { grads } = valueAndGrad(() => { const out = dotProductAttention(q, k, v, options); return loss(out, out.shape.join("x")); }, [q, k, v]);
  return { output, weights, grads };
}

describe.each(["reference", "wasm"])("zero-size attention (%s kernel)", (implementation) => {
  const [B, H, Hkv, Tq, Tk, Dv] = [2, 4, 2, 5, 7, 3];
  const cases: [string, DotProductAttentionOptions][] = [
    ["no mask", {}],
    ["causal", { causal: true }],
    ["key lengths", { keyLengths: [7, 3] }],
    ["an explicit mask", { mask: new Tensor(Float32Array.from({ length: Tq * Tk }, (_, i) => (i % 3 === 0 ? 0 : 1)), [Tq, Tk]) }],
    ["a scale of its own", { scale: 0.5 }],
    ["dropout", { dropout: { rate: 0.3, seed: 5 } }],
  ];
  for (const [name, options] of cases) {
    it(`D = 0, ${name}: uniform weights over the visible keys, as with zero scores; dq and dk empty`, () => {
      const v = rt(B, Hkv, Tk, Dv);
      const got = run(zeros([B, H, Tq, 0]), zeros([B, Hkv, Tk, 0]), v, { ...options, implementation });
      const oracle = run(zeros([B, H, Tq, 1]), zeros([B, Hkv, Tk, 1]), v, { ...options, implementation: "reference" });
      expect(got.output.shape).toEqual([B, H, Tq, Dv]);
      expectClose(got.output, oracle.output.data, 1e-6, 1e-7, "output");
      expectClose(got.weights, oracle.weights.data, 1e-6, 1e-7, "weights");
      expect(got.grads[0].shape).toEqual([B, H, Tq, 0]);
      expect(got.grads[1].shape).toEqual([B, Hkv, Tk, 0]);
      expectClose(got.grads[2], oracle.grads[2].data, 1e-6, 1e-7, "dv");
      expect(Array.from(got.output.data).every(Number.isFinite)).toBe(true);
    });
  }

  it("D = 0 without a mask: every weight is 1/Tk and each output row is the mean of the values", () => {
    const v = rt(1, 1, Tk, Dv);
    const { output, weights } = dotProductAttention(zeros([1, 1, 2, 0]), zeros([1, 1, Tk, 0]), v, { implementation, returnWeights: true });
    expectClose(weights, new Array(2 * Tk).fill(1 / Tk), 1e-6, 0, "weights");
    const mean = Array.from({ length: Dv }, (_, d) => Array.from({ length: Tk }, (_, j) => v.data[j * Dv + d]).reduce((s, x) => s + x, 0) / Tk);
    expectClose(output, [...mean, ...mean], 1e-5, 1e-6, "output");
  });

  it("H = Hkv = 0: an empty output (and weights), and empty gradients", () => {
    const q = rt(2, 0, 3, 4), k = rt(2, 0, 5, 4), v = rt(2, 0, 5, 6);
    const { output, weights, grads } = run(q, k, v, { implementation });
    expect(output.shape).toEqual([2, 0, 3, 6]);
    expect(weights.shape).toEqual([2, 0, 3, 5]);
    expect(grads.map((g) => g.shape)).toEqual([q.shape, k.shape, v.shape]);
  });
});

describe("zero sizes that stay unsupported are refused clearly", () => {
  it("query heads without key/value heads", () => {
    expect(() => dotProductAttention(rt(1, 2, 3, 4), rt(1, 0, 3, 4), rt(1, 0, 3, 4))).toThrow(
      "dotProductAttention: query has 2 heads (query [1, 2, 3, 4]) but key and value have none (key [1, 0, 3, 4]); each query head needs a key/value head",
    );
    expect(() => dotProductAttention(rt(1, 3, 3, 4), rt(1, 2, 3, 4), rt(1, 2, 3, 4))).toThrow("dotProductAttention: query heads (3) must be a multiple of key/value heads (2)");
  });
});
