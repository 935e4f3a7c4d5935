// keepWhere(x, keep): y = x where keep ≠ 0, else exactly 0 (also where x is NaN or ±∞);  dy/dx = keep ≠ 0 ? 1 : 0.
// `keep` is a constant (no gradient) that broadcasts to x's shape. Masked and padded positions go
// through it so that nothing there, not even a NaN, reaches the outputs or the gradients.
import { record } from "../autodiff.js";
import { broadcastPlan } from "../broadcastPlan.js";
import { broadcastIndex, formatShape } from "../shape.js";
import { Tensor, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { allocFloats } from "../../util/stepPool.js";

/** x where keep ≠ 0, exactly 0 elsewhere (even where x is NaN); keep broadcasts to x and gets no gradient. */
export function keepWhere(x: TensorLike, keep: TensorLike): Tensor {
  return keepWhereWith(x, keep, false);
}

/** keepWhere on a broadcast plan, or (general, and where no plan fits) through the index map; test/oracles/keepWhere.ts forces the latter. */
export function keepWhereWith(x: TensorLike, keep: TensorLike, general: boolean): Tensor {
  const a = asTensor(x, "ops.keepWhere"), k = asTensor(keep, "ops.keepWhere", true);
  if (k.rank > a.rank || k.shape.some((d, i) => d !== 1 && d !== a.shape[a.rank - k.rank + i])) {
    throw new Error(`ops.keepWhere: keep of shape ${formatShape(k.shape)} does not broadcast to x ${formatShape(a.shape)}`);
  }
  const n = a.size, K = k.data;
  const kept = new Uint8Array(n);
  const plan = general ? null : broadcastPlan([k.shape], a.shape);
  if (plan) {
    // same shape, a row or a column of flags ([B, T, 1] on [B, T, C]): no index map
    const { outer, inner, walks: [w] } = plan;
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) kept[o * inner + i] = K[o * w.outerStep + i * w.innerStep] !== 0 ? 1 : 0;
  } else {
    const ik = broadcastIndex(k.shape, a.shape);
    for (let i = 0; i < n; i++) kept[i] = K[ik[i]] !== 0 ? 1 : 0;
  }
  const out = allocFloats(n);
  for (let i = 0; i < n; i++) out[i] = kept[i] ? a.data[i] : 0;
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const gx = allocFloats(n);
    for (let i = 0; i < n; i++) gx[i] = kept[i] ? g![i] : 0;
    return [gx];
  });
  return y;
}
