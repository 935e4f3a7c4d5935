// Softmax family over one axis, computed stably (the row max is subtracted first).
//   softmax:     y = e^(x − max) / Σ e^(x − max);   dx = y ∘ (dy − Σ dy∘y)
//   logSoftmax:  y = x − max − log Σ e^(x − max);   dx = dy − softmax(x) · Σ dy
//   maskedSoftmax: softmax over the allowed entries only; blocked entries get 0 and a row with no
//   allowed entry is all zeros (never NaN). Values at blocked entries are never read.
import { record } from "../autodiff.js";
import { formatShape, normalizeAxis, sameShape, sizeOf } from "../shape.js";
import { Tensor, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { allocFloats, allocZeros } from "../../util/stepPool.js";

/** Calls fn(offset, stride, length) for every line along `axis`. */
function forEachLine(shape: readonly number[], axis: number, fn: (offset: number, stride: number, n: number) => void): void {
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) fn(o * n * inner + i, inner, n);
}

function softmaxLines(x: Float32Array, shape: readonly number[], axis: number, allowed: Float32Array | null, log: boolean): Float32Array {
  const y = allocZeros(x.length); // blocked entries and rows with nothing allowed stay 0
  forEachLine(shape, axis, (off, st, n) => {
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (!allowed || allowed[off + j * st] !== 0) max = Math.max(max, x[off + j * st]);
    if (max === -Infinity) return; // nothing allowed: zeros
    let s = 0;
    for (let j = 0; j < n; j++) if (!allowed || allowed[off + j * st] !== 0) s += Math.exp(x[off + j * st] - max);
    const lse = max + Math.log(s);
    for (let j = 0; j < n; j++) {
      const at = off + j * st;
      if (allowed && allowed[at] === 0) continue;
      y[at] = log ? x[at] - lse : Math.exp(x[at] - lse);
    }
  });
  return y;
}

/** softmax along an axis (default the last): e^(x − max) / Σ e^(x − max). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return maskedSoftmaxImpl(asTensor(x, "ops.softmax"), null, axis, "ops.softmax");
}

/** Softmax restricted to entries where `allowed` ≠ 0 (same shape as x). */
export function maskedSoftmax(x: TensorLike, allowed: TensorLike, axis = -1): Tensor {
  const a = asTensor(x, "ops.maskedSoftmax"), m = asTensor(allowed, "ops.maskedSoftmax", true);
  if (!sameShape(a.shape, m.shape)) {
    throw new Error(`ops.maskedSoftmax: mask shape ${formatShape(m.shape)} must equal the scores shape ${formatShape(a.shape)}`);
  }
  return maskedSoftmaxImpl(a, m.data, axis, "ops.maskedSoftmax");
}

function maskedSoftmaxImpl(a: Tensor, allowed: Float32Array | null, axis: number, where: string): Tensor {
  const ax = normalizeAxis(axis, a.rank, where);
  const out = softmaxLines(a.data, a.shape, ax, allowed, false);
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const gx = allocFloats(a.size);
    forEachLine(a.shape, ax, (off, st, n) => {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += g![off + j * st] * out[off + j * st];
      for (let j = 0; j < n; j++) gx[off + j * st] = out[off + j * st] * (g![off + j * st] - dot);
    });
    return [gx];
  });
  return y;
}

/** log(softmax(x)) along an axis (default the last), computed stably as x − max − log Σ e^(x − max). */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const a = asTensor(x, "ops.logSoftmax");
  const ax = normalizeAxis(axis, a.rank, "ops.logSoftmax");
  const out = softmaxLines(a.data, a.shape, ax, null, true);
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const gx = allocFloats(a.size);
    forEachLine(a.shape, ax, (off, st, n) => {
      let total = 0;
      for (let j = 0; j < n; j++) total += g![off + j * st];
      for (let j = 0; j < n; j++) gx[off + j * st] = g![off + j * st] - Math.exp(out[off + j * st]) * total;
    });
    return [gx];
  });
  return y;
}
