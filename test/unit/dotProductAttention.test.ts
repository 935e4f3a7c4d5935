// The functional core: finite-difference gradients for every option, masking rules, edge shapes; once per kernel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dotProductAttention, ops, setDefaultAttentionKernel, Random, Tensor, tensor, valueAndGrad, type DotProductAttentionOptions } from "../../src/index.js";
import { checkGradients, expectClose, projectionLoss, randomTensor } from "../helpers/numeric.js";

const random = new Random(11);
const rt = (...shape: number[]) => randomTensor(shape, random);
const loss = projectionLoss(new Random(12));

/** Attention by the textbook formula with explicit ops (scores, masked softmax, weighted sum). */
function naive(q: Tensor, k: Tensor, v: Tensor, allowed: (b: number, h: number, i: number, j: number) => boolean, scale: number): Tensor {
  const [B, H, Tq, D] = q.shape, [, Hkv, Tk] = k.shape;
  const rep = H / Hkv;
  const kk = ops.reshape(ops.broadcastTo(ops.reshape(k, [B, Hkv, 1, Tk, D]), [B, Hkv, rep, Tk, D]), [B, H, Tk, D]);
  const vv = ops.reshape(ops.broadcastTo(ops.reshape(v, [B, Hkv, 1, Tk, v.shape[3]]), [B, Hkv, rep, Tk, v.shape[3]]), [B, H, Tk, v.shape[3]]);
  const s = ops.scale(ops.matmul(q, ops.transpose(kk, [0, 1, 3, 2])), scale);
  const m = new Float32Array(B * H * Tq * Tk);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Tq; i++) for (let j = 0; j < Tk; j++) {
    m[((b * H + h) * Tq + i) * Tk + j] = allowed(b, h, i, j) ? 1 : 0;
  }
  return ops.matmul(ops.maskedSoftmax(s, new Tensor(m, [B, H, Tq, Tk])), vv);
}

describe.each(["reference", "wasm"])("dotProductAttention (%s kernel)", (kernel) => {
  beforeAll(() => setDefaultAttentionKernel(kernel));
  afterAll(() => setDefaultAttentionKernel("wasm"));
  const cases: [string, number[], DotProductAttentionOptions, (b: number, h: number, i: number, j: number) => boolean][] = [
    ["plain", [2, 2, 3, 5, 4, 3], {}, () => true],
    ["causal top-left", [1, 2, 5, 5, 3, 2], { causal: true }, (_b, _h, i, j) => j <= i],
    ["causal bottom-right (decoding, Tq < Tk)", [1, 1, 2, 5, 3, 3], { causal: "bottomRight" }, (_b, _h, i, j) => j <= i + 3],
    ["causal window 2", [1, 1, 6, 6, 2, 2], { causal: true, window: 2 }, (_b, _h, i, j) => j <= i && j > i - 2],
    ["local window without causal", [1, 1, 5, 5, 2, 2], { window: 2 }, (_b, _h, i, j) => Math.abs(i - j) < 2],
    ["key lengths with an empty row", [3, 1, 3, 4, 3, 2], { keyLengths: [4, 0, 2] }, (b, _h, _i, j) => j < [4, 0, 2][b]],
    ["grouped-query attention H=4, Hkv=2", [1, 4, 3, 4, 3, 2], {}, () => true],
    ["custom scale", [1, 1, 3, 3, 2, 2], { scale: 0.3 }, () => true],
  ];
  for (const [name, [B, H, Tq, Tk, D, Dv], options, allowed] of cases) {
    const Hkv = name.startsWith("grouped") ? 2 : H;
    it(`${name}: matches the textbook formula and finite differences`, () => {
      const q = rt(B, H, Tq, D), k = rt(B, Hkv, Tk, D), v = rt(B, Hkv, Tk, Dv);
      const scale = options.scale ?? 1 / Math.sqrt(D);
      const out = dotProductAttention(q, k, v, options);
      expectClose(out, naive(q, k, v, allowed, scale).data, 1e-5, 1e-6, "output");
      checkGradients(() => loss(dotProductAttention(q, k, v, options), name), [q, k, v], { what: name });
    });
  }

  it("boolean mask broadcast from [Tq, Tk], true = attend, with a fully blocked row", () => {
    const q = rt(2, 2, 3, 2), k = rt(2, 2, 4, 2), v = rt(2, 2, 4, 3);
    const mask = tensor([[true, false, true, true], [false, false, false, false], [true, true, false, true]]);
    const out = dotProductAttention(q, k, v, { mask });
    const allowed = (_b: number, _h: number, i: number, j: number) => mask.data[i * 4 + j] !== 0;
    expectClose(out, naive(q, k, v, allowed, 1 / Math.sqrt(2)).data, 1e-5, 1e-6);
    // row 1 sees no key: exact zeros
    for (let b = 0; b < 2; b++) for (let h = 0; h < 2; h++) expect([...out.data.subarray(((b * 2 + h) * 3 + 1) * 3, ((b * 2 + h) * 3 + 2) * 3)]).toEqual([0, 0, 0]);
    checkGradients(() => loss(dotProductAttention(q, k, v, { mask }), "mask"), [q, k, v]);
  });

  it("returned weights are differentiable and rows sum to 1 (0 for blocked rows)", () => {
    const q = rt(1, 2, 3, 2), k = rt(1, 2, 3, 2), v = rt(1, 2, 3, 2);
    const r = dotProductAttention(q, k, v, { keyLengths: [2], returnWeights: true });
    expect(r.weights.shape).toEqual([1, 2, 3, 3]);
    expectClose(ops.sum(r.weights, -1), [1, 1, 1, 1, 1, 1], 1e-6, 1e-6);
    checkGradients(() => {
      const o = dotProductAttention(q, k, v, { keyLengths: [2], returnWeights: true });
      return ops.add(loss(o.output, "wo"), loss(o.weights, "ww"));
    }, [q, k, v], { what: "weights" });
  });

  it("NaN and Inf in blocked keys and values never reach the output or the gradients", () => {
    const q = rt(1, 1, 3, 2), k = rt(1, 1, 4, 2), v = rt(1, 1, 4, 2);
    k.data.set([NaN, Infinity], 3 * 2);
    v.data.set([Infinity, NaN], 3 * 2);
    const { grads } = valueAndGrad(() => loss(dotProductAttention(q, k, v, { keyLengths: [3] }), "nan"), [q, k, v]);
    expect(dotProductAttention(q, k, v, { keyLengths: [3] }).data.every(Number.isFinite)).toBe(true);
    for (const g of grads) expect(g.data.every(Number.isFinite)).toBe(true);
    expect([...grads[2].data.subarray(6)]).toEqual([0, 0]);
  });

  it("fully masked batch row: zero output and zero gradients, never NaN", () => {
    const q = rt(2, 1, 2, 3), k = rt(2, 1, 3, 3), v = rt(2, 1, 3, 2);
    const out = dotProductAttention(q, k, v, { keyLengths: [3, 0] });
    expect([...out.data.subarray(4)]).toEqual([0, 0, 0, 0]);
    const { grads } = valueAndGrad(() => loss(dotProductAttention(q, k, v, { keyLengths: [3, 0] }), "fm"), [q, k, v]);
    expect([...grads[0].data.subarray(6)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(grads.every((g) => g.data.every(Number.isFinite))).toBe(true);
  });

  it("length-1 keys and queries, and very large logits, stay finite and exact", () => {
    const q = tensor([[[[1e4, -1e4]]]]), k = tensor([[[[1e4, 1e4], [-3e4, 1e4]]]]), v = tensor([[[[1, 2], [3, 4]]]]);
    const out = dotProductAttention(q, k, v, { scale: 1 });
    expect(out.toArray()).toEqual([[[[1, 2]]]]); // scores 0 and −4e8: the first key takes all the weight
    const one = dotProductAttention(rt(1, 1, 1, 3), rt(1, 1, 1, 3), tensor([[[[5, 6]]]]));
    expect(one.toArray()).toEqual([[[[5, 6]]]]);
  });

  it("dropout: seeded, applied after the softmax, weights returned before dropout, exact gradients", () => {
    const q = rt(1, 2, 4, 3), k = rt(1, 2, 5, 3), v = rt(1, 2, 5, 2);
    const opts = { dropout: { rate: 0.4, seed: 3 } };
    const a = dotProductAttention(q, k, v, opts), b = dotProductAttention(q, k, v, opts);
    expect([...a.data]).toEqual([...b.data]);
    expect([...a.data]).not.toEqual([...dotProductAttention(q, k, v, { dropout: { rate: 0.4, seed: 4 } }).data]);
    const plain = dotProductAttention(q, k, v, { returnWeights: true });
    const dropped = dotProductAttention(q, k, v, { ...opts, returnWeights: true });
    expect([...dropped.weights.data]).toEqual([...plain.weights.data]);
    checkGradients(() => loss(dotProductAttention(q, k, v, opts), "drop"), [q, k, v], { what: "dropout" });
  });

  it("nested arrays in give nested arrays out", () => {
    const out = dotProductAttention([[[[1, 0]]]], [[[[1, 0], [0, 1]]]], [[[[1, 2], [3, 4]]]]);
    expect(Array.isArray(out)).toBe(true);
    expect((out as number[][][][])[0][0][0].length).toBe(2);
  });

  it("bad input: clear errors naming the port and the shapes", () => {
    const q = rt(1, 2, 3, 4);
    expect(() => dotProductAttention(rt(2, 3, 4), q, q)).toThrow(/dotProductAttention: query must have rank 4 \[B, H, Tq, D\], got \[2, 3, 4\]/);
    expect(() => dotProductAttention(q, rt(1, 2, 3, 5), rt(1, 2, 3, 5))).toThrow(/key size 5 .* differs from query size 4/);
    expect(() => dotProductAttention(q, rt(1, 2, 3, 4), rt(1, 2, 2, 4))).toThrow(/value \[1, 2, 2, 4\] must match key \[1, 2, 3, 4\]/);
    expect(() => dotProductAttention(rt(1, 3, 3, 4), rt(1, 2, 3, 4), rt(1, 2, 3, 4))).toThrow(/multiple of key\/value heads/);
    expect(() => dotProductAttention(q, q, q, { keyLengths: [4] })).toThrow(/keyLengths\[0\] must be an integer in \[0, 3\] \(Tk\), got 4/);
    expect(() => dotProductAttention(q, q, q, { mask: tensor([[1, 0]]) })).toThrow(/mask of shape \[1, 2\] does not broadcast to \[1, 2, 3, 3\]/);
    expect(() => dotProductAttention(q, q, q, { implementation: "nope" })).toThrow(/unknown implementation "nope"/);
    expect(() => dotProductAttention(q, q, q, { casual: true } as never)).toThrow(/unknown option "casual" \(did you mean "causal"\?\)/);
    expect(() => dotProductAttention(q, q, q, { dropout: { rate: 1, seed: 0 } })).toThrow(/dropout.rate must be in \[0, 1\)/);
  });
});
