// Ops that move values without arithmetic: reshape, transpose, slice, concat, stack, broadcastTo, gather.
// Their gradients move the output gradient back to where each value came from.
import { record } from "../autodiff.js";
import { broadcastIndex, broadcastShapes, formatShape, normalizeAxis, sameShape, sizeOf, stridedIndex, stridesOf } from "../shape.js";
import { Tensor, checkSize, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { reduceToShape } from "./reduceToShape.js";
import { allocFloats, allocZeros, copyFloats } from "../../util/stepPool.js";

/** Same values, new shape (one axis may be −1, inferred). The gradient is reshaped back. */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const a = asTensor(x, "ops.reshape");
  const known = sizeOf(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? a.size / known : d));
  if (sizeOf(resolved) !== a.size || resolved.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`ops.reshape: cannot reshape ${formatShape(a.shape)} (${a.size} values) to ${formatShape(shape)}`);
  }
  if (sameShape(resolved, a.shape)) return a;
  const y = uncheckedTensor(a.data, resolved);
  record([y], [a], ([g]) => [g]);
  return y;
}

/** Permutes axes: y.shape[i] = x.shape[perm[i]] (reverses them when perm is omitted). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const { a, p } = checkedPermutation(x, perm);
  if (p.every((ax, i) => ax === i)) return a;
  const shape = p.map((ax) => a.shape[ax]);
  if (movesOnlySizeOneAxes(a.shape, p)) return reshape(a, shape); // the values keep their order: no copy
  const swap = asSwap(a.shape, p);
  return swap ? transposeSwap(a, shape, swap) : transposeGeneral(a, p);
}

/**
 * True when the axes of size > 1 keep their order under p (only size-1 axes move, e.g. the head split
 * [B, 1, H, D] → [B, H, 1, D] of a decoding step): the row-major values are then the same, a reshape.
 */
function movesOnlySizeOneAxes(shape: readonly number[], p: readonly number[]): boolean {
  let last = -1;
  for (const ax of p) {
    if (shape[ax] === 1) continue;
    if (ax < last) return false;
    last = ax;
  }
  return true;
}

export function checkedPermutation(x: TensorLike, perm: readonly number[] | undefined): { a: Tensor; p: number[] } {
  const a = asTensor(x, "ops.transpose");
  const p = perm ? perm.map((ax) => normalizeAxis(ax, a.rank, "ops.transpose")) : a.shape.map((_, i) => a.rank - 1 - i);
  if (p.length !== a.rank || new Set(p).size !== a.rank) {
    throw new Error(`ops.transpose: ${formatShape(perm ?? [])} is not a permutation of the axes of ${formatShape(a.shape)}`);
  }
  return { a, p };
}

interface Swap { outer: number; X: number; Y: number; inner: number }

/**
 * Most permutations in practice swap two neighbouring groups of axes: [B, T, H, D] ↔ [B, H, T, D] (head
 * split and merge) or [m, n] ↔ [n, m]. Dropping size-1 axes and merging axes that stay neighbours, such a
 * permutation becomes [outer, X, Y, inner] → [outer, Y, X, inner]; anything else gives null (a permutation
 * that only moves size-1 axes, too: transpose has made it a reshape before).
 */
function asSwap(shape: readonly number[], p: readonly number[]): Swap | null {
  // runs of input axes that stay together, in output order
  const runs: number[][] = [];
  for (const ax of p) {
    if (shape[ax] === 1) continue;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] + 1 === ax) last.push(ax);
    else runs.push([ax]);
  }
  const size = (run: number[]) => run.reduce((n, ax) => n * shape[ax], 1);
  const order = runs.map((r) => r[0]);
  const sorted = [...order].sort((u, v) => u - v);
  const rank = runs.length;
  const mismatched = order.map((ax, i) => ax !== sorted[i]);
  const first = mismatched.indexOf(true), last = mismatched.lastIndexOf(true);
  if (first === -1 || last !== first + 1) return null; // nothing moves (transpose reshapes then), or not a single swap of neighbours
  const bySorted = sorted.map((ax) => runs[order.indexOf(ax)]);
  return {
    outer: bySorted.slice(0, first).reduce((n, r) => n * size(r), 1),
    X: size(bySorted[first]),
    Y: size(bySorted[last]),
    inner: bySorted.slice(last + 1, rank).reduce((n, r) => n * size(r), 1),
  };
}

/** dst[o, y, x, :] = src[o, x, y, :] for src [outer, X, Y, inner]; dst is written in order. */
function swapBlocks(src: Float32Array, { outer, X, Y, inner }: Swap): Float32Array {
  const dst = allocFloats(src.length);
  const rowIn = Y * inner; // the step of x in src
  let to = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * X * rowIn;
    for (let y = 0; y < Y; y++) {
      let from = base + y * inner;
      for (let x = 0; x < X; x++, from += rowIn) for (let k = 0; k < inner; k++) dst[to++] = src[from + k];
    }
  }
  return dst;
}

function transposeSwap(a: Tensor, shape: number[], swap: Swap): Tensor {
  const y = uncheckedTensor(swapBlocks(a.data, swap), shape);
  // the gradient swaps back
  record([y], [a], ([g]) => [swapBlocks(g!, { outer: swap.outer, X: swap.Y, Y: swap.X, inner: swap.inner })]);
  return y;
}

/** The general path (an index map); test/oracles/layout.ts runs every case through it. */
export function transposeGeneral(a: Tensor, p: number[]): Tensor {
  const shape = p.map((ax) => a.shape[ax]);
  const inStrides = stridesOf(a.shape);
  const src = stridedIndex(shape, p.map((ax) => inStrides[ax]));
  const out = allocFloats(a.size);
  for (let i = 0; i < out.length; i++) out[i] = a.data[src[i]];
  const y = uncheckedTensor(out, shape);
  record([y], [a], ([g]) => {
    const ga = allocFloats(a.size); // src is a permutation: every element written
    for (let i = 0; i < ga.length; i++) ga[src[i]] = g![i];
    return [ga];
  });
  return y;
}

/** The block [start, end) along one axis. */
export function slice(x: TensorLike, axis: number, start: number, end: number): Tensor {
  const a = asTensor(x, "ops.slice");
  const ax = normalizeAxis(axis, a.rank, "ops.slice");
  const len = a.shape[ax];
  if (!(0 <= start && start <= end && end <= len)) {
    throw new Error(`ops.slice: range [${start}, ${end}) is outside axis ${ax} of ${formatShape(a.shape)}`);
  }
  if (start === 0 && end === len) return a;
  const outer = sizeOf(a.shape.slice(0, ax)), inner = sizeOf(a.shape.slice(ax + 1));
  const w = end - start;
  const out = allocFloats(outer * w * inner);
  for (let o = 0; o < outer; o++) out.set(a.data.subarray((o * len + start) * inner, (o * len + end) * inner), o * w * inner);
  const shape = [...a.shape];
  shape[ax] = w;
  const y = uncheckedTensor(out, shape);
  record([y], [a], ([g]) => {
    const ga = allocZeros(a.size);
    for (let o = 0; o < outer; o++) ga.set(g!.subarray(o * w * inner, (o + 1) * w * inner), (o * len + start) * inner);
    return [ga];
  });
  return y;
}

/** Joins tensors along an existing axis; all other axes must agree. */
export function concat(xs: readonly TensorLike[], axis: number): Tensor {
  const ts = xs.map((x) => asTensor(x, "ops.concat"));
  if (ts.length === 0) throw new Error("ops.concat: needs at least one tensor");
  const ax = normalizeAxis(axis, ts[0].rank, "ops.concat");
  for (const t of ts) {
    if (t.rank !== ts[0].rank || t.shape.some((d, i) => i !== ax && d !== ts[0].shape[i])) {
      throw new Error(`ops.concat: shapes ${formatShape(ts[0].shape)} and ${formatShape(t.shape)} differ outside axis ${ax}`);
    }
  }
  const outer = sizeOf(ts[0].shape.slice(0, ax)), inner = sizeOf(ts[0].shape.slice(ax + 1));
  const lens = ts.map((t) => t.shape[ax]);
  const total = lens.reduce((p, d) => p + d, 0);
  const shape = [...ts[0].shape];
  shape[ax] = total;
  checkSize(shape, "ops.concat");
  const out = allocFloats(outer * total * inner);
  let at = 0;
  ts.forEach((t, n) => {
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * lens[n] * inner, (o + 1) * lens[n] * inner), (o * total + at) * inner);
    at += lens[n];
  });
  const y = uncheckedTensor(out, shape);
  record([y], ts, ([g], needs) => {
    let from = 0;
    return ts.map((t, n) => {
      const start = from;
      from += lens[n];
      if (!needs[n]) return null;
      const gt = allocFloats(t.size);
      for (let o = 0; o < outer; o++) gt.set(g!.subarray((o * total + start) * inner, (o * total + start + lens[n]) * inner), o * lens[n] * inner);
      return gt;
    });
  });
  return y;
}

/** Joins equally shaped tensors along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  const ts = xs.map((x) => asTensor(x, "ops.stack"));
  if (ts.length === 0) throw new Error("ops.stack: needs at least one tensor");
  const ax = normalizeAxis(axis, ts[0].rank + 1, "ops.stack");
  checkSize([...ts[0].shape.slice(0, ax), ts.length, ...ts[0].shape.slice(ax)], "ops.stack");
  const expanded = ts.map((t) => reshape(t, [...t.shape.slice(0, ax), 1, ...t.shape.slice(ax)]));
  return concat(expanded, ax);
}

/**
 * Stacks [Tᵢ, ...rest] tensors into [B, T, ...rest] (T ≥ every Tᵢ), zero-filled after each Tᵢ: padding a
 * mini-batch in one copy. The gradient of row i is its first Tᵢ steps.
 */
export function stackPadded(xs: readonly TensorLike[], T: number): Tensor {
  const ts = xs.map((x) => asTensor(x, "ops.stackPadded"));
  if (ts.length === 0) throw new Error("ops.stackPadded: needs at least one tensor");
  const rest = ts[0].shape.slice(1), step = sizeOf(rest);
  ts.forEach((t, i) => {
    if (t.rank < 1 || !sameShape(t.shape.slice(1), rest) || t.shape[0] > T) {
      throw new Error(`ops.stackPadded: tensor ${i + 1} has shape ${formatShape(t.shape)}; expected [≤ ${T}, ${rest.join(", ")}]`);
    }
  });
  checkSize([ts.length, T, ...rest], "ops.stackPadded");
  const out = allocZeros(ts.length * T * step);
  ts.forEach((t, i) => out.set(t.data, i * T * step));
  const y = new Tensor(out, [ts.length, T, ...rest]);
  record([y], ts, ([g], needs) => ts.map((t, i) => (needs[i] ? copyFloats(g!.subarray(i * T * step, i * T * step + t.size)) : null)));
  return y;
}

/** Broadcasts to a larger shape (NumPy rules); the gradient sums over the broadcast axes. */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const a = asTensor(x, "ops.broadcastTo");
  const target = broadcastShapes(a.shape, shape, "ops.broadcastTo");
  if (!sameShape(target, shape)) throw new Error(`ops.broadcastTo: ${formatShape(a.shape)} does not broadcast to ${formatShape(shape)}`);
  if (sameShape(a.shape, shape)) return a;
  checkSize(shape, "ops.broadcastTo");
  // trailing axes the input has in full are copied as one block per position of the axes before them
  let axis = shape.length, block = 1;
  while (axis > 0 && a.rank - shape.length + axis - 1 >= 0 && a.shape[a.rank - shape.length + axis - 1] === shape[axis - 1]) block *= shape[--axis];
  const map = broadcastIndex(a.shape.slice(0, a.rank - (shape.length - axis)), shape.slice(0, axis));
  const out = allocFloats(map.length * block);
  if (block >= 16) for (let i = 0; i < map.length; i++) out.set(a.data.subarray(map[i] * block, (map[i] + 1) * block), i * block);
  else for (let i = 0; i < map.length; i++) for (let j = 0; j < block; j++) out[i * block + j] = a.data[map[i] * block + j];
  const y = new Tensor(out, shape);
  record([y], [a], ([g]) => [reduceToShape(g!, shape, a.shape)]);
  return y;
}

/** Rows of a table: table [V, D], indices (integers in [0, V)) → [...indices shape, D]; the gradient scatter-adds. */
export function gather(table: TensorLike, indices: readonly number[], indexShape: readonly number[] = [indices.length]): Tensor {
  const t = asTensor(table, "ops.gather");
  if (t.rank !== 2) throw new Error(`ops.gather: the table must be [rows, size], got ${formatShape(t.shape)}`);
  const [V, D] = t.shape;
  checkSize([...indexShape, D], "ops.gather");
  const out = allocFloats(indices.length * D);
  indices.forEach((r, n) => {
    if (!Number.isInteger(r) || r < 0 || r >= V) throw new Error(`ops.gather: indices[${n}] must be an integer in [0, ${V}) (the rows of table ${formatShape(t.shape)}), got ${r}`);
    out.set(t.data.subarray(r * D, (r + 1) * D), n * D);
  });
  const y = new Tensor(out, [...indexShape, D]);
  record([y], [t], ([g]) => {
    const gt = allocZeros(t.size);
    indices.forEach((r, n) => {
      for (let d = 0; d < D; d++) gt[r * D + d] += g![n * D + d];
    });
    return [gt];
  });
  return y;
}
