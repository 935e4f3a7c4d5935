// Batched matrix product with NumPy semantics: a [..., m, k] · b [..., k, n] → [..., m, n], batch axes
// broadcast; a rank-1 operand is a row (a) or column (b) vector and its axis is dropped from the result.
//   dA = dC · Bᵀ,  dB = Aᵀ · dC  (summed over broadcast batch axes)
import { gemm } from "../../kernels/matmul.js";
import { record } from "../autodiff.js";
import { broadcastIndex, broadcastShapes, formatShape, sizeOf } from "../shape.js";
import { Tensor, checkSize, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { reduceToShape } from "./reduceToShape.js";
import { allocFloats } from "../../util/stepPool.js";

/** Matrix product over the last two axes with NumPy-style broadcasting of the leading axes: [.., m, k] × [.., k, n] → [.., m, n]. */
export function matmul(x: TensorLike, y: TensorLike): Tensor {
  const a0 = asTensor(x, "ops.matmul"), b0 = asTensor(y, "ops.matmul");
  if (a0.rank === 0 || b0.rank === 0) throw new Error("ops.matmul: operands must have rank ≥ 1 (use ops.mul for scalars)");
  const aShape = a0.rank === 1 ? [1, a0.shape[0]] : [...a0.shape];
  const bShape = b0.rank === 1 ? [b0.shape[0], 1] : [...b0.shape];
  const m = aShape[aShape.length - 2], k = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2], n = bShape[bShape.length - 1];
  if (k !== k2) {
    throw new Error(`ops.matmul: inner sizes differ: a ${formatShape(a0.shape)} has ${k} columns, b ${formatShape(b0.shape)} has ${k2} rows`);
  }
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, "ops.matmul (batch axes)");
  const nb = sizeOf(batch);
  const ia = broadcastIndex(aBatch, batch), ib = broadcastIndex(bBatch, batch);
  const shape = [...batch, ...(a0.rank === 1 ? [] : [m]), ...(b0.rank === 1 ? [] : [n])];
  checkSize(shape, "ops.matmul"); // before the output is allocated
  const A = a0.data, B = b0.data;
  const out = allocFloats(nb * m * n);
  // b without batch axes: the batch of a is just more rows of one product ([nb·m, k]·[k, n])
  const fold = bBatch.length === 0;
  if (fold) gemm(A, 0, false, B, 0, false, out, 0, nb * m, k, n, false);
  else for (let t = 0; t < nb; t++) gemm(A, ia[t] * m * k, false, B, ib[t] * k * n, false, out, t * m * n, m, k, n, false);
  const c = uncheckedTensor(out, shape);
  record([c], [a0, b0], ([g], needs) => {
    let ga: Float32Array | null = null, gb: Float32Array | null = null;
    if (needs[0]) {
      const full = allocFloats(nb * m * k); // per broadcast batch element, then reduced
      if (fold) gemm(g!, 0, false, B, 0, true, full, 0, nb * m, n, k, false);
      else for (let t = 0; t < nb; t++) gemm(g!, t * m * n, false, B, ib[t] * k * n, true, full, t * m * k, m, n, k, false);
      ga = reduceToShape(full, [...batch, m, k], aShape);
    }
    if (needs[1]) {
      if (fold) {
        gb = allocFloats(k * n); // Σ over the batch is part of the reduction: Aᵀ [k, nb·m] · dC [nb·m, n]
        gemm(A, 0, true, g!, 0, false, gb, 0, k, nb * m, n, false);
      } else {
        const full = allocFloats(nb * k * n);
        for (let t = 0; t < nb; t++) gemm(A, ia[t] * m * k, true, g!, t * m * n, false, full, t * k * n, k, m, n, false);
        gb = reduceToShape(full, [...batch, k, n], bShape);
      }
    }
    return [ga, gb];
  });
  return c;
}
