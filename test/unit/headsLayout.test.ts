// Heads-last attention problems (q [B, T, H, D]: a projection's output reshaped, no transpose): every kernel gives
// exactly the bits of the same problem heads first, its results moved to heads last; the self-attention layer,
// which now attends heads last, equals the composition with explicit transposes, and its gradients pass finite
// differences (test/unit/selfAttentionLayer.test.ts checks every option that way too).
import { describe, expect, it } from "vitest";
import { dotProductAttention, ops, Random, selfAttentionLayer, setNumThreads, getNumThreads, Tensor, valueAndGrad } from "../../src/index.js";
import { anyHeadsLayout, headsFirstProblem, swapHeads } from "../../src/kernels/attention/headsLayout.js";
import type { AttentionKernel, AttentionProblem, MaskSpec } from "../../src/kernels/attention/problem.js";
import { referenceKernel } from "../../src/kernels/attention/reference.js";
import { wasmAttentionKernel } from "../../src/kernels/wasm/attention.js";
import { rangeCheckedWasmKernel, referenceRuns } from "../../src/kernels/wasm/attentionRange.js";
import { checkGradients, projectionLoss, randomTensor } from "../helpers/numeric.js";

const uniform = (r: Random, n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * (2 * r.uniform() - 1));

/** A heads-last problem: B, H/Hkv, Tq, Tk, D, Dv as given, random values (times `scale`). */
function headsLastProblem(r: Random, [B, H, Hkv, Tq, Tk, D, Dv]: number[], mask: MaskSpec, scale = 1, dropout?: { rate: number; seed: number }): AttentionProblem {
  return {
    B, H, Hkv, Tq, Tk, D, Dv, mask, scale: 1 / Math.sqrt(D), dropout, headsLast: true,
    q: uniform(r, B * Tq * H * D, scale), k: uniform(r, B * Tk * Hkv * D, scale), v: uniform(r, B * Tk * Hkv * Dv, scale),
  };
}

/** The heads-last run equals the heads-first run of `kernel` on the same problem, results moved heads last, bit for bit. */
function expectSameBits(kernel: AttentionKernel, p: AttentionProblem, r: Random, wantWeights: boolean): void {
  const { B, H, Hkv, Tq, Tk, D, Dv } = p;
  const first = headsFirstProblem(p);
  const dOut = uniform(r, B * Tq * H * Dv);
  const f1 = kernel.forward(first, wantWeights), fl = kernel.forward(p, wantWeights);
  expect(fl.out).toEqual(swapHeads(f1.out, B, Tq, H, Dv, false));
  if (wantWeights) expect(fl.weights).toEqual(f1.weights);
  const g1 = kernel.backward(first, f1, swapHeads(dOut, B, Tq, H, Dv, true), null), gl = kernel.backward(p, fl, dOut, null);
  expect(gl.dq).toEqual(swapHeads(g1.dq, B, Tq, H, D, false));
  expect(gl.dk).toEqual(swapHeads(g1.dk, B, Tk, Hkv, D, false));
  expect(gl.dv).toEqual(swapHeads(g1.dv, B, Tk, Hkv, Dv, false));
}

describe("heads-last attention problems", () => {
  it("swapHeads moves [B, T, H, D] to [B, H, T, D] and back", () => {
    const x = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const first = swapHeads(x, 2, 3, 4, 5, true);
    expect(first[((1 * 4 + 2) * 3 + 1) * 5 + 3]).toBe(x[((1 * 3 + 1) * 4 + 2) * 5 + 3]); // [b1, h2, t1, d3] = x[b1, t1, h2, d3]
    expect(swapHeads(first, 2, 3, 4, 5, false)).toEqual(x);
  });

  const shapes = [[1, 1, 1, 1, 1, 1, 1], [2, 4, 4, 7, 7, 5, 3], [2, 4, 2, 33, 17, 16, 8], [1, 3, 1, 12, 12, 32, 32], [3, 2, 2, 130, 130, 20, 12], [1, 2, 1, 0, 5, 4, 4], [4, 4, 2, 129, 40, 36, 20]]; // the last moves its q on 2 threads (≥ 2¹⁶ floats)
  const masks: MaskSpec[] = [{ causal: false }, { causal: "topLeft" }, { causal: "bottomRight", window: 3 }, { causal: false, keyLengths: [0, 5, 2] }];
  const kernels: [string, AttentionKernel][] = [["wasm", wasmAttentionKernel], ["range-checked wasm", rangeCheckedWasmKernel], ["reference (moved around)", anyHeadsLayout(referenceKernel)]];
  for (const [name, kernel] of kernels) {
    it(`${name}: the same bits as heads first, on odd shapes, grouped heads, masks, dropout and weights, on 1 and 2 threads`, () => {
      const initial = getNumThreads();
      const r = new Random(7);
      for (const threads of [1, 2]) {
        setNumThreads(threads);
        shapes.forEach((shape, i) => {
          const mask = { ...masks[i % masks.length] };
          if (mask.keyLengths) mask.keyLengths = mask.keyLengths.slice(0, shape[0]).map((n) => Math.min(n, shape[4]));
          expectSameBits(kernel, headsLastProblem(r, shape, mask, 1, i % 2 ? { rate: 0.25, seed: i } : undefined), r, i % 3 === 0);
        });
      }
      setNumThreads(initial);
    });
  }

  it("the range-checked kernel sends huge heads-last inputs to the reference and moves them for it", () => {
    const r = new Random(8);
    const p = headsLastProblem(r, [2, 2, 1, 5, 6, 4, 3], { causal: "topLeft" }, 1e20);
    const before = referenceRuns();
    expectSameBits(rangeCheckedWasmKernel, p, r, true);
    expect(referenceRuns()).toBeGreaterThan(before);
    const fwd = rangeCheckedWasmKernel.forward(p, false), ref = referenceKernel.forward(headsFirstProblem(p), false);
    expect(fwd.out).toEqual(swapHeads(ref.out, 2, 5, 2, 3, false));
  });
});

describe("selfAttentionLayer attends heads last", () => {
  const random = new Random(12);
  const loss = projectionLoss(new Random(13));

  /** The layer's computation written with explicit transposes to heads first and back (its path before). */
  function unfused(layer: ReturnType<typeof selfAttentionLayer>, x: Tensor, H: number, causal: boolean): Tensor {
    const P = layer.parameters as Record<string, Tensor>;
    const [B, T] = x.shape, K = P.queryWeights.shape[0], V = P.valueWeights.shape[0];
    const heads = (w: string, b: string, size: number) => ops.transpose(ops.reshape(ops.linear(x, P[w], P[b]), [B, T, H, size]), [0, 2, 1, 3]);
    const o = dotProductAttention(heads("queryWeights", "queryBias", K / H), heads("keyWeights", "keyBias", K / H), heads("valueWeights", "valueBias", V / H),
      { scale: 1 / Math.sqrt(K / H), causal }) as Tensor;
    return ops.linear(ops.reshape(ops.transpose(o, [0, 2, 1, 3]), [B, T, V]), P.outputWeights, P.outputBias);
  }

  for (const [H, K, causal, T] of [[4, 8, true, 7], [2, 6, false, 5], [1, 3, true, 1]] as const) {
    it(`${H} heads, ${K} key channels, ${causal ? "causal" : "no mask"}, T = ${T}: output and gradients equal the transposing composition's, bit for bit`, () => {
      const layer = selfAttentionLayer(H, K, { attentionMask: causal ? "causal" : "none" }).initialize({ inputSize: 5, seed: 3 });
      const x = randomTensor([2, T, 5], random);
      const params = Object.values(layer.parameters) as Tensor[];
      const name = `y${H}`;
      const fused = valueAndGrad(() => loss(layer.apply(x) as Tensor, name), [x, ...params]);
      const plain = valueAndGrad(() => loss(unfused(layer, x, H, causal), name), [x, ...params]);
      expect(fused.value).toBe(plain.value);
      fused.grads.forEach((g, i) => expect(g.data, `gradient ${i}`).toEqual(plain.grads[i].data));
      checkGradients(() => loss(layer.apply(x) as Tensor, name), [x, ...params], { what: `H ${H}` });
    });
  }
});
