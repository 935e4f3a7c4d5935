// The time reduction of sequence pooling as one autodiff node: x [B, T, C], weights w [B, T] (constants)
//   y[b, c] = Σ_t x[b, t, c] · w[b, t];   ∂y[b, c]/∂x[b, t, c] = w[b, t]
// the float32 arithmetic of sum(mul(x, w[B, T, 1]), 1), in the same order, without the [B, T, C] product.
import { record } from "../autodiff.js";
import { formatShape } from "../shape.js";
import { Tensor, uncheckedTensor } from "../tensor.js";
import { allocFloats, allocZeros } from "../../util/stepPool.js";

export function weightedTimeSum(x: Tensor, w: Float32Array): Tensor {
  if (x.rank !== 3 || w.length !== x.shape[0] * x.shape[1]) {
    throw new Error(`ops.weightedTimeSum: x must be [B, T, C] with one weight per (b, t), got x ${formatShape(x.shape)} and ${w.length} weights`);
  }
  const [B, T, C] = x.shape;
  const X = x.data;
  const out = allocZeros(B * C);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
    const wt = w[b * T + t], from = (b * T + t) * C, to = b * C;
    for (let c = 0; c < C; c++) out[to + c] += Math.fround(X[from + c] * wt);
  }
  const y = uncheckedTensor(out, [B, C]);
  record([y], [x], ([g]) => {
    const dx = allocFloats(x.size);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
      const wt = w[b * T + t], at = (b * T + t) * C, from = b * C;
      for (let c = 0; c < C; c++) dx[at + c] = g![from + c] * wt;
    }
    return [dx];
  });
  return y;
}
