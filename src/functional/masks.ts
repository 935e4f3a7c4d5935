// The attention masks, in one place: which keys j a query i may see (true = attend). Every rule hides keys;
// together a key is visible when all of them allow it:
//   causal "topLeft"      j ≤ i                      (query i is step i of the keys)
//   causal "bottomRight"  j ≤ i + Tk − Tq            (the queries are the last Tq steps: incremental decoding)
//   window w              diagonal − w < j (with causal); |j − diagonal| < w (without)
//   key lengths           j < keyLengths[b]          (batch row b's keys past its length are padding)
//   padding mask          pad[b, j] ≠ 0              ([B, T] 1 = data, 0 = padding)
//   explicit mask         m[b, h, i, j] ≠ 0          (broadcast to [B, H, Tq, Tk])
// The kernels apply a MaskSpec row by row (kernels/attention/problem.ts keeps that low-level rule); layers and
// dotProductAttention build their specs, and read visibility and counts, only through this module.
import { explicitAllows, keyRange, type ExplicitMask, type MaskSpec } from "../kernels/attention/problem.js";
import { formatShape, stridesOf } from "../tensor/shape.js";
import { Tensor, asTensor, type TensorLike } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";

export type { ExplicitMask, MaskSpec };

/** dotProductAttention's `causal` option: true is "topLeft". */
export type CausalOption = boolean | "topLeft" | "bottomRight";

/** [B, H, Tq, Tk]: the scores a mask applies to. */
export type MaskTarget = [number, number, number, number];

/** The kernels' causal mode for a causal option (false or undefined: none). */
export function causalMode(causal: CausalOption | undefined): MaskSpec["causal"] {
  return causal === true || causal === "topLeft" ? "topLeft" : causal === "bottomRight" ? "bottomRight" : false;
}

/** Throws unless every value is 0 or 1 (false or true): a mask of 2 or NaN is a mistake, not "attend". */
export function checkMaskValues(m: Tensor, where: string, port: string): void {
  const i = m.data.findIndex((v) => v !== 0 && v !== 1);
  if (i >= 0) throw new Error(`${where}: ${port} values must be true/false or 1/0, got ${describe(m.data[i])} at flat index ${i}`);
}

/** A boolean mask broadcast (right-aligned) to [B, H, Tq, Tk], as data plus strides. */
export function explicitMask(mask: TensorLike, target: MaskTarget, where: string, port: string): ExplicitMask {
  const m = asTensor(mask, `${where}: ${port}`, true);
  checkMaskValues(m, where, port);
  if (m.rank > 4 || m.shape.some((d, i) => d !== 1 && d !== target[4 - m.rank + i])) {
    throw new Error(`${where}: ${port} of shape ${formatShape(m.shape)} does not broadcast to ${formatShape(target)}`);
  }
  const full = [...new Array(4 - m.rank).fill(1), ...m.shape];
  const st = stridesOf(full);
  const strides = full.map((d, i) => (d === 1 ? 0 : st[i])) as MaskTarget;
  return { data: m.data, strides };
}

/** A padding mask [B, T] (1 = data, 0 = padding; values checked by the caller) as a mask on keys: pad[b, j]. */
export function paddingMask(pad: Tensor): ExplicitMask {
  return { data: pad.data, strides: [pad.shape[1], 0, 0, 1] };
}

/**
 * Both masks at once (either may be absent): allowed(b, h, i, j) = a(b, h, i, j) ∧ b(b, h, i, j). The result
 * has an axis only where one of them has (so a custom [T, T] mask and a padding mask [B, T] give [B, 1, T, T]).
 */
export function bothMasks(a: ExplicitMask | undefined, b: ExplicitMask | undefined, target: MaskTarget): ExplicitMask | undefined {
  if (!a || !b) return a ?? b;
  const dims = target.map((n, axis) => (a.strides[axis] !== 0 || b.strides[axis] !== 0 ? n : 1));
  const st = stridesOf(dims);
  const data = new Uint8Array(dims[0] * dims[1] * dims[2] * dims[3]);
  const at = (m: ExplicitMask, i0: number, i1: number, i2: number, i3: number) => m.data[i0 * m.strides[0] + i1 * m.strides[1] + i2 * m.strides[2] + i3 * m.strides[3]];
  let n = 0;
  for (let i0 = 0; i0 < dims[0]; i0++) for (let i1 = 0; i1 < dims[1]; i1++) for (let i2 = 0; i2 < dims[2]; i2++) for (let i3 = 0; i3 < dims[3]; i3++) {
    data[n++] = at(a, i0, i1, i2, i3) !== 0 && at(b, i0, i1, i2, i3) !== 0 ? 1 : 0;
  }
  return { data, strides: dims.map((d, axis) => (d === 1 ? 0 : st[axis])) as MaskTarget };
}

/** The number of keys (of Tk) that query row i of batch row b, head h sees under every rule of `mask`. */
export function visibleKeyCount(mask: MaskSpec, Tq: number, Tk: number, b: number, h: number, i: number): number {
  const geometry = { Tq, Tk, mask };
  const [lo, hi] = keyRange(geometry, b, i);
  let n = 0;
  for (let j = lo; j < hi; j++) if (explicitAllows(geometry, b, h, i, j)) n++;
  return n;
}

/**
 * 1 where query i of batch row b may see key j under `mask` (head 0's rule, repeated over h heads), as a
 * [B, h, M, N] constant; query rows at or past queryCounts[b] (when given) see nothing.
 */
export function visibilityMatrix(mask: MaskSpec, B: number, h: number, M: number, N: number, queryCounts?: readonly number[]): Tensor {
  const data = new Float32Array(B * h * M * N);
  const geometry = { Tq: M, Tk: N, mask };
  for (let b = 0; b < B; b++) {
    const at = b * h * M * N;
    for (let i = 0; i < (queryCounts ? queryCounts[b] : M); i++) {
      const [lo, hi] = keyRange(geometry, b, i);
      for (let j = lo; j < hi; j++) if (explicitAllows(geometry, b, 0, i, j)) data[at + i * N + j] = 1;
    }
    for (let head = 1; head < h; head++) data.copyWithin(at + head * M * N, at, at + M * N);
  }
  return new Tensor(data, [B, h, M, N]);
}
