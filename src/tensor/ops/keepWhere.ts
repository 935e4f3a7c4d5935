// keepWhere(x, keep): y = x where keep ≠ 0, else exactly 0 (also where x is NaN or ±∞);  dy/dx = keep ≠ 0 ? 1 : 0.
// `keep` is a constant (no gradient) that broadcasts to x's shape. Masked and padded positions go
// through it so that nothing there, not even a NaN, reaches the outputs or the gradients.
import { record } from "../autodiff.js";
import { broadcastIndex, formatShape, sameShape } from "../shape.js";
import { Tensor, asTensor, type TensorLike } from "../tensor.js";

/** x where keep ≠ 0, exactly 0 elsewhere (even where x is NaN); keep broadcasts to x and gets no gradient. */
export function keepWhere(x: TensorLike, keep: TensorLike): Tensor {
  const a = asTensor(x, "ops.keepWhere"), k = asTensor(keep, "ops.keepWhere");
  if (k.rank > a.rank || k.shape.some((d, i) => d !== 1 && d !== a.shape[a.rank - k.rank + i])) {
    throw new Error(`ops.keepWhere: keep of shape ${formatShape(k.shape)} does not broadcast to x ${formatShape(a.shape)}`);
  }
  const n = a.size;
  const ik = sameShape(k.shape, a.shape) ? null : broadcastIndex(k.shape, a.shape);
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) kept[i] = k.data[ik ? ik[i] : i] !== 0 ? 1 : 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = kept[i] ? a.data[i] : 0;
  const y = new Tensor(out, a.shape);
  record([y], [a], ([g]) => [g!.map((v, i) => (kept[i] ? v : 0))]);
  return y;
}
