// A bias on the rows of a matrix product, as ops.linear uses it:  Y = op(A)·op(B) + bias  (bias [n] on every row),
// and its gradient  dbias[j] = Σ_i dY[i, j]; and ops.linear's whole backward from one copy of dY in kernel memory. The WebAssembly kernels (./wasm/gemm.ts, ./wasm/bias.ts) add the bias
// inside the threaded product and sum the columns split across threads; the references below are the plain loops
// they match bit for bit (the product first rounded to float32, then one add; each column summed in row order).
import { gemm } from "./matmul.js";
import { gemmBiasWasm, linearBackwardWasm } from "./wasm/gemm.js";
import { wasmUsable } from "./wasm/loader.js";
import { allocFloats, allocZeros } from "../util/stepPool.js";

/** C[m×n] = op(A)·op(B) + bias: `gemm` (the library's product, itself tested against the plain-JS gemmReference in test/unit/gemm.test.ts), then bias[j] added to C[i, j] in float32. */
export function gemmBiasReference(a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  gemm(a, 0, transA, b, 0, transB, c, 0, m, k, n, false);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] += bias[j];
}

/** out[j] = Σ_i G[i, j] over the rows of G [m×n], in row order from +0, in float32. */
export function columnSumsReference(g: Float32Array, m: number, n: number): Float32Array {
  const out = allocZeros(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += g[i * n + j];
  return out;
}

/** C[m×n] = op(A)·op(B) + bias, A and B at offset 0: the WebAssembly kernel, or the reference where it cannot run. */
export const gemmBias: typeof gemmBiasReference = (a, transA, b, transB, bias, c, m, k, n) =>
  (wasmUsable() ? gemmBiasWasm : gemmBiasReference)(a, transA, b, transB, bias, c, m, k, n);

/** The gradients of y = x·Wᵀ (+ b), x [rows, k], W [n, k]: dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy (null where not needed). */
export function linearBackwardReference(g: Float32Array, w: Float32Array, x: Float32Array, rows: number, n: number, k: number, needs: readonly boolean[]): [Float32Array | null, Float32Array | null, Float32Array | null] {
  let gx: Float32Array | null = null, gw: Float32Array | null = null;
  if (needs[0]) {
    gx = allocFloats(rows * k);
    gemm(g, 0, false, w, 0, false, gx, 0, rows, n, k, false); // dy [rows, n] · W [n, k]
  }
  if (needs[1]) {
    gw = allocFloats(n * k);
    gemm(g, 0, true, x, 0, false, gw, 0, n, rows, k, false); // dyᵀ [n, rows] · x [rows, k]
  }
  return [gx, gw, needs[2] ? columnSumsReference(g, rows, n) : null];
}

/** ops.linear's backward: the WebAssembly kernels on one copy of dy, or the reference where they cannot run. */
export const linearBackward: typeof linearBackwardReference = (...args) => (wasmUsable() ? linearBackwardWasm : linearBackwardReference)(...args);
