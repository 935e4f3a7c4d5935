// Reductions. sum over axes: the gradient broadcasts back (∂Σx/∂x_i = 1); mean divides it by the count.
import { record } from "../autodiff.js";
import { normalizeAxis, sizeOf, stridesOf } from "../shape.js";
import { Tensor, asTensor, type TensorLike } from "../tensor.js";

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

function normalizeAxes(axis: number | number[] | undefined, rank: number, where: string): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => normalizeAxis(a, rank, where)))];
}

/** Σ over `axis` (all axes when omitted). */
export function sum(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const a = asTensor(x, "ops.sum");
  const axes = normalizeAxes(axis, a.rank, "ops.sum");
  const shape = reducedShape(a.shape, axes, keepDims);
  const out = new Float32Array(sizeOf(shape));
  const map = axes.length === a.rank ? null : reductionIndex(a.shape, axes);
  const A = a.data;
  if (map === null) {
    let s = 0;
    for (let i = 0; i < A.length; i++) s += A[i];
    out[0] = s;
  } else {
    for (let i = 0; i < A.length; i++) out[map[i]] += A[i];
  }
  const y = new Tensor(out, shape);
  record([y], [a], ([g]) => {
    const ga = new Float32Array(A.length);
    for (let i = 0; i < A.length; i++) ga[i] = g![map ? map[i] : 0];
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
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] * c;
  const y = new Tensor(out, x.shape);
  record([y], [x], ([g]) => [g!.map((v) => v * c)]);
  return y;
}
