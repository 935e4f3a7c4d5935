// x·Wᵀ for a weight stored [n, k] (the [out, in] layout of fullyConnectedLayer, the projections and the
// LSTM): x [..., k] → [..., n], all leading axes folded into the rows of one matrix product, Wᵀ never
// materialized (the GEMM reads W transposed while packing).
//   y = x·Wᵀ (+ b);  dx = dy·W;  dW = dyᵀ·x;  db = Σ dy  (summed over all leading axes)
// With a bias, y has the bits of ops.add(ops.linear(x, W), b) and db those of its broadcast gradient, but the
// bias is added inside the threaded product and db summed by threads (../../kernels/bias.ts).
import { gemmBias, linearBackward } from "../../kernels/bias.js";
import { gemm } from "../../kernels/matmul.js";
import { record } from "../autodiff.js";
import { formatShape, sizeOf } from "../shape.js";
import { Tensor, checkSize, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { allocFloats } from "../../util/stepPool.js";

/** x·Wᵀ (+ bias [n]) for weights stored [n, k]: x [.., k] → [.., n], leading axes folded into one matrix product. */
export function linear(x: TensorLike, weights: TensorLike, bias?: TensorLike): Tensor {
  const x0 = asTensor(x, "ops.linear"), w = asTensor(weights, "ops.linear"), b = bias === undefined ? null : asTensor(bias, "ops.linear");
  if (w.rank !== 2) throw new Error(`ops.linear: weights must be [outputs, inputs], got shape ${formatShape(w.shape)}`);
  if (x0.rank === 0) throw new Error("ops.linear: x must have rank ≥ 1");
  const [n, k] = w.shape;
  if (x0.shape[x0.rank - 1] !== k) {
    throw new Error(`ops.linear: x ${formatShape(x0.shape)} has ${x0.shape[x0.rank - 1]} channels, weights ${formatShape(w.shape)} expect ${k}`);
  }
  if (b && (b.rank !== 1 || b.shape[0] !== n)) throw new Error(`ops.linear: bias must be [${n}] for weights ${formatShape(w.shape)}, got shape ${formatShape(b.shape)}`);
  const rows = sizeOf(x0.shape.slice(0, -1)), shape = [...x0.shape.slice(0, -1), n];
  checkSize(shape, "ops.linear"); // before the output is allocated
  const out = allocFloats(rows * n);
  if (b) gemmBias(x0.data, false, w.data, true, b.data, out, rows, k, n); // [rows, k]·[n, k]ᵀ + b
  else gemm(x0.data, 0, false, w.data, 0, true, out, 0, rows, k, n, false); // [rows, k]·[n, k]ᵀ
  const y = uncheckedTensor(out, shape);
  record([y], b ? [x0, w, b] : [x0, w], ([g], needs) => {
    const [gx, gw, gb] = linearBackward(g!, w.data, x0.data, rows, n, k, [needs[0], needs[1], b !== null && needs[2]]);
    return b ? [gx, gw, gb] : [gx, gw];
  });
  return y;
}
