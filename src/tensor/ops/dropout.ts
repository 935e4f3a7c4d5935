// Inverted dropout: y = x · keep / (1 − rate), keep drawn from the counter-based generator so the same
// seed gives the same mask;  dy/dx = keep / (1 − rate).
import { dropoutKeeps } from "../../kernels/hash.js";
import { record } from "../autodiff.js";
import { Tensor, uncheckedTensor, asTensor, type TensorLike } from "../tensor.js";
import { checkSeed } from "../../util/validate.js";
import { allocFloats } from "../../util/stepPool.js";

/** Inverted dropout: x·keep/(1 − rate) with a keep mask determined by the seed; same shape as x. */
export function dropout(x: TensorLike, rate: number, seed: number): Tensor {
  const a = asTensor(x, "ops.dropout");
  if (!(rate >= 0 && rate < 1)) throw new Error(`ops.dropout: rate must be in [0, 1), got ${rate}`);
  checkSeed(seed, "ops.dropout");
  if (rate === 0) return a;
  const factor = allocFloats(a.size);
  for (let i = 0; i < factor.length; i++) factor[i] = dropoutKeeps(seed, i, rate) ? 1 / (1 - rate) : 0;
  const out = allocFloats(a.size);
  for (let i = 0; i < out.length; i++) out[i] = factor[i] === 0 ? 0 : a.data[i] * factor[i];
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const gx = allocFloats(a.size);
    for (let i = 0; i < gx.length; i++) gx[i] = g![i] * factor[i];
    return [gx];
  });
  return y;
}
