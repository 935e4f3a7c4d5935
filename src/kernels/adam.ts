// Adam's update of one parameter array in place (the optimizer in ../train/optimizers.ts):
//   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr · (m/c₁) / (√(v/c₂) + ε),  c₁ = 1−β₁ᵗ, c₂ = 1−β₂ᵗ
// in float64, each stored value rounded once to float32. adamUpdateReference is the plain-JS loop; adamUpdate runs
// the WebAssembly kernel (./wasm/adam.ts: the same operations in the same order, so the same bits; f64x2, split
// across the threads) on large arrays where WebAssembly can run.
import { wasmUsable } from "./wasm/loader.js";
import { adamUpdateWasm } from "./wasm/adam.js";

/** Adam's constants for one step: β₁, β₂, the learn rate, the bias corrections c₁ and c₂, and ε. */
export interface AdamStep { b1: number; b2: number; lr: number; c1: number; c2: number; epsilon: number }

export function adamUpdateReference(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
  const { b1, b2, lr, c1, c2, epsilon } = s;
  for (let j = 0; j < w.length; j++) {
    m[j] = b1 * m[j] + (1 - b1) * g[j];
    v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
    w[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + epsilon);
  }
}

/** Below this many parameters the reference runs (the copies into the kernels' memory cost more than they save). */
const WASM_MIN = 4096;

export const adamUpdate: typeof adamUpdateReference = (w, g, m, v, s) =>
  (w.length >= WASM_MIN && wasmUsable() ? adamUpdateWasm : adamUpdateReference)(w, g, m, v, s);
