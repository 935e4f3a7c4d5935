// Reductions. sum over axes: the gradient broadcasts back (∂Σx/∂x_i = 1); mean divides it by the count.
import { record } from "../autodiff.js";
import { normalizeAxis, sizeOf, stridesOf } from "../shape.js";
import { Tensor, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { allocFloats, allocZeros } from "../../util/stepPool.js";

function reducedShape(shape: readonly number[], axes: number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** For each input element, the flat index of the output element it reduces into. */
function reductionIndex(shape: readonly number[], axes: number[]): Int32Array {
  const n = sizeOf(shape);
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStrides = stridesOf(keptShape);
  const inStrides = stridesOf(shape);
  const map = new Int32Array(n);
  for (let flat = 0; flat < n; flat++) {
    let rest = flat, o = 0;
    for (let ax = 0; ax < shape.length; ax++) {
      const idx = Math.floor(rest / inStrides[ax]);
      rest -= idx * inStrides[ax];
      if (!axes.includes(ax)) o += idx * keptStrides[ax];
    }
    map[flat] = o;
  }
  return map;
}

export function normalizeAxes(axis: number | number[] | undefined, rank: number, where: string): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => normalizeAxis(a, rank, where)))];
}

/** Σ over `axis` (all axes when omitted). */
export function sum(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const a = asTensor(x, "ops.sum");
  const axes = normalizeAxes(axis, a.rank, "ops.sum");
  const block = contiguousBlock(a.shape, axes);
  return block ? sumBlock(a, axes, keepDims, block) : sumGeneral(a, axes, keepDims);
}

/**
 * When the reduced axes are one contiguous run (the last axis, the time axis of [B, T, C], ...), the
 * input is [outer, r, inner] and the output [outer, inner]; null otherwise (and for a full reduction,
 * which the general path already does without a map).
 */
function contiguousBlock(shape: readonly number[], axes: number[]): { outer: number; r: number; inner: number } | null {
  if (axes.length === 0 || axes.length === shape.length) return null;
  const lo = Math.min(...axes), hi = Math.max(...axes);
  if (hi - lo + 1 !== axes.length) return null;
  return { outer: sizeOf(shape.slice(0, lo)), r: sizeOf(shape.slice(lo, hi + 1)), inner: sizeOf(shape.slice(hi + 1)) };
}

/** The fast path: y[o, k] = Σ_j x[o, j, k], added in the general path's order with float32 rounding. */
function sumBlock(a: Tensor, axes: number[], keepDims: boolean, { outer, r, inner }: { outer: number; r: number; inner: number }): Tensor {
  const out = inner === 1 ? allocFloats(outer) : allocZeros(outer * inner); // rows are written, columns summed into
  const A = a.data;
  if (inner === 1) {
    // rows: fround of a double sum of two floats is their float32 sum
    for (let o = 0; o < outer; o++) {
      let s = 0;
      for (let j = o * r, end = j + r; j < end; j++) s = Math.fround(s + A[j]);
      out[o] = s;
    }
  } else {
    for (let o = 0; o < outer; o++) for (let j = 0; j < r; j++) {
      const from = (o * r + j) * inner, to = o * inner;
      for (let k = 0; k < inner; k++) out[to + k] += A[from + k];
    }
  }
  const y = uncheckedTensor(out, reducedShape(a.shape, axes, keepDims));
  record([y], [a], ([g]) => {
    // ∂y[o, k]/∂x[o, j, k] = 1: the gradient repeats along the reduced run
    const ga = allocFloats(A.length);
    for (let o = 0; o < outer; o++) for (let j = 0; j < r; j++) {
      const from = o * inner, to = (o * r + j) * inner;
      for (let k = 0; k < inner; k++) ga[to + k] = g![from + k];
    }
    return [ga];
  });
  return y;
}

/** The general path (an index map from input to output elements); test/oracles/reduce.ts runs every case through it. */
export function sumGeneral(a: Tensor, axes: number[], keepDims: boolean): Tensor {
  const shape = reducedShape(a.shape, axes, keepDims);
  const out = allocZeros(sizeOf(shape));
  const map = axes.length === a.rank ? null : reductionIndex(a.shape, axes);
  const A = a.data;
  if (map === null) {
    let s = 0;
    for (let i = 0; i < A.length; i++) s += A[i];
    out[0] = s;
  } else {
    for (let i = 0; i < A.length; i++) out[map[i]] += A[i];
  }
  const y = uncheckedTensor(out, shape);
  record([y], [a], ([g]) => {
    const ga = allocFloats(A.length);
    if (map === null) ga.fill(g![0]);
    else for (let i = 0; i < A.length; i++) ga[i] = g![map[i]];
    return [ga];
  });
  return y;
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const a = asTensor(x, "ops.mean");
  const axes = normalizeAxes(axis, a.rank, "ops.mean");
  const count = axes.reduce((n, ax) => n * a.shape[ax], 1);
  const s = sum(a, axes, keepDims);
  return scaleBy(s, count === 0 ? NaN : 1 / count);
}

// local scale (avoids a cycle with elementwise.ts): y = c·x, dy/dx = c
function scaleBy(x: Tensor, c: number): Tensor {
  const out = allocFloats(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] * c;
  const y = uncheckedTensor(out, x.shape);
  record([y], [x], ([g]) => {
    const gx = allocFloats(x.size);
    for (let i = 0; i < gx.length; i++) gx[i] = g![i] * c;
    return [gx];
  });
  return y;
}
