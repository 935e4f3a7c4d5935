// A bias on the rows of a matrix product, as ops.linear uses it:  Y = op(A)·op(B) + bias  (bias [n] on every row),
// and its gradient  dbias[j] = Σ_i dY[i, j]. The WebAssembly kernels (./wasm/gemm.ts, ./wasm/bias.ts) add the bias
// inside the threaded product and sum the columns split across threads; the references below are the plain loops
// they match bit for bit (the product first rounded to float32, then one add; each column summed in row order).
import { gemm } from "./matmul.js";
import { gemmBiasWasm } from "./wasm/gemm.js";
import { columnSumsWasm } from "./wasm/bias.js";
import { wasmUsable } from "./wasm/loader.js";

/** C[m×n] = op(A)·op(B) + bias: `gemm`, then bias[j] added to C[i, j] in float32. */
export function gemmBiasReference(a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  gemm(a, 0, transA, b, 0, transB, c, 0, m, k, n, false);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] += bias[j];
}

/** out[j] = Σ_i G[i, j] over the rows of G [m×n], in row order from +0, in float32. */
export function columnSumsReference(g: Float32Array, m: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += g[i * n + j];
  return out;
}

/** C[m×n] = op(A)·op(B) + bias, A and B at offset 0: the WebAssembly kernel, or the reference where it cannot run. */
export const gemmBias: typeof gemmBiasReference = (...args) => (wasmUsable() ? gemmBiasWasm : gemmBiasReference)(...args);

/** The column sums of G [m×n] (a bias gradient): the WebAssembly kernel, or the reference where it cannot run. */
export const columnSums: typeof columnSumsReference = (g, m, n) => (wasmUsable() ? columnSumsWasm : columnSumsReference)(g, m, n);
