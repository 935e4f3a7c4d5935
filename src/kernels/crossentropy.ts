// Cross-entropy on logits, fused, over the counted rows of z [·, K] (the loss's math in ../train/losses.ts):
//   lse_r = m + log Σₖ exp(zₖ − m), m = maxₖ zₖ, per counted row;  ∂/∂z = exp(z − lse)·scale, minus scale at the class.
// Plain-JS loops here (the references, float64); crossentropyLogitsLse and crossentropyLogitsGrad run the
// WebAssembly kernels (./wasm/crossentropy.ts: f32x4 exponentials, float32 sums, rows split across the threads)
// where WebAssembly can run; they agree within float32 rounding.
import { wasmUsable } from "./wasm/loader.js";
import { crossentropyLogitsGradWasm, crossentropyLogitsLseWasm } from "./wasm/crossentropy.js";
import { allocZeros } from "../util/stepPool.js";

/** lse per counted row (`rows`: row indices into z seen as [·, K]). */
export function crossentropyLogitsLseReference(z: Float32Array, rows: Int32Array, K: number): Float64Array {
  const lse = new Float64Array(rows.length);
  rows.forEach((row, r) => {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, z[row * K + k]); // a NaN makes m NaN, and the loss NaN
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[row * K + k] - m);
    lse[r] = m + Math.log(sum);
  });
  return lse;
}

/** dz = (softmax(z) − onehot(class))·scale on the counted rows; rows not counted stay 0. */
export function crossentropyLogitsGradReference(z: Float32Array, rows: Int32Array, classes: Int32Array, K: number, lse: Float64Array, scale: number): Float32Array {
  const dz = allocZeros(z.length); // rows not counted stay 0
  rows.forEach((row, r) => {
    for (let k = 0; k < K; k++) dz[row * K + k] = Math.exp(z[row * K + k] - lse[r]) * scale;
    dz[row * K + classes[r]] -= scale;
  });
  return dz;
}

/** Below this many logits the reference runs (the copies into the kernels' memory cost more than they save). */
const WASM_MIN = 4096;

export const crossentropyLogitsLse: typeof crossentropyLogitsLseReference = (z, rows, K) =>
  (rows.length * K >= WASM_MIN && wasmUsable() ? crossentropyLogitsLseWasm : crossentropyLogitsLseReference)(z, rows, K);

export const crossentropyLogitsGrad: typeof crossentropyLogitsGradReference = (z, rows, classes, K, lse, scale) =>
  (rows.length * K >= WASM_MIN && wasmUsable() ? crossentropyLogitsGradWasm : crossentropyLogitsGradReference)(z, rows, classes, K, lse, scale);
