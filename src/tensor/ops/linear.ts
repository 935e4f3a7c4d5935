// x·Wᵀ for a weight stored [n, k] (the [out, in] layout of fullyConnectedLayer, the projections and the
// LSTM): x [..., k] → [..., n], all leading axes folded into the rows of one matrix product, Wᵀ never
// materialized (the GEMM reads W transposed while packing).
//   y = x·Wᵀ;  dx = dy·W;  dW = dyᵀ·x  (summed over all leading axes)
import { gemm } from "../../kernels/matmul.js";
import { record } from "../autodiff.js";
import { formatShape, sizeOf } from "../shape.js";
import { Tensor, checkSize, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";

/** x·Wᵀ for weights stored [n, k]: x [.., k] → [.., n], leading axes folded into one matrix product. */
export function linear(x: TensorLike, weights: TensorLike): Tensor {
  const x0 = asTensor(x, "ops.linear"), w = asTensor(weights, "ops.linear");
  if (w.rank !== 2) throw new Error(`ops.linear: weights must be [outputs, inputs], got shape ${formatShape(w.shape)}`);
  if (x0.rank === 0) throw new Error("ops.linear: x must have rank ≥ 1");
  const [n, k] = w.shape;
  if (x0.shape[x0.rank - 1] !== k) {
    throw new Error(`ops.linear: x ${formatShape(x0.shape)} has ${x0.shape[x0.rank - 1]} channels, weights ${formatShape(w.shape)} expect ${k}`);
  }
  const rows = sizeOf(x0.shape.slice(0, -1)), shape = [...x0.shape.slice(0, -1), n];
  checkSize(shape, "ops.linear"); // before the output is allocated
  const out = new Float32Array(rows * n);
  gemm(x0.data, 0, false, w.data, 0, true, out, 0, rows, k, n, false); // [rows, k]·[n, k]ᵀ
  const y = uncheckedTensor(out, shape);
  record([y], [x0, w], ([g], needs) => {
    let gx: Float32Array | null = null, gw: Float32Array | null = null;
    if (needs[0]) {
      gx = new Float32Array(rows * k);
      gemm(g!, 0, false, w.data, 0, false, gx, 0, rows, n, k, false); // dy [rows, n] · W [n, k]
    }
    if (needs[1]) {
      gw = new Float32Array(n * k);
      gemm(g!, 0, true, x0.data, 0, false, gw, 0, n, rows, k, false); // dyᵀ [n, rows] · x [rows, k]
    }
    return [gx, gw];
  });
  return y;
}
