import { gemmWasm } from "./wasm/gemm.js";
import { wasmUsable } from "./wasm/loader.js";

// Dense matrix product on flat row-major arrays: C[m×n] (+)= op(A)·op(B),
// op(A) = A stored [m×k], or Aᵀ with A stored [k×m]; op(B) likewise ([k×n] or [n×k]).
// `gemm`, which every op and layer uses, is the WebAssembly kernel (./wasm/gemm.ts). `gemmReference`, the
// plain-JS loop below, is its reference in the tests, and runs instead where WebAssembly cannot (./wasm/loader.ts). There is no size threshold: even at 1×12×9 the
// WebAssembly call costs only ~0.3 µs more than the loop (and from 8×8×8 up it is faster: 1.0 vs 2.0 µs;
// 64³: 19 vs 556 µs), measured with both in one process on this project's machine.
// The reference's loops are unrolled by four along the reduction axis, so each pass over a row of C reads and
// writes it once for four products (the main cost in plain JS is memory traffic, not arithmetic).

/** C[m×n] (+)= op(A)·op(B) on flat row-major arrays, each operand at its offset; the contract of every GEMM here. */
export type MatrixProduct = (
  a: Float32Array, aOffset: number, transA: boolean,
  b: Float32Array, bOffset: number, transB: boolean,
  c: Float32Array, cOffset: number,
  m: number, k: number, n: number,
  accumulate: boolean,
) => void;

export const gemmReference: MatrixProduct = (a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate) => {
  if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
  // strides of A(i, p) in its storage
  const ai = transA ? 1 : k, ap = transA ? m : 1;
  if (!transB) {
    // C(i, :) += Σ_p A(i, p) · B(p, :), four values of p per pass over the row
    for (let i = 0; i < m; i++) {
      const cRow = cOffset + i * n, aRow = aOffset + i * ai;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        const a0 = a[aRow + p * ap], a1 = a[aRow + (p + 1) * ap], a2 = a[aRow + (p + 2) * ap], a3 = a[aRow + (p + 3) * ap];
        const b0 = bOffset + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
        for (let j = 0; j < n; j++) c[cRow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
      for (; p < k; p++) {
        const av = a[aRow + p * ap], b0 = bOffset + p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += av * b[b0 + j];
      }
    }
    return;
  }
  // B stored [n×k]: C(i, j) = A(i, :) · B(j, :), four partial sums
  for (let i = 0; i < m; i++) {
    const cRow = cOffset + i * n, aRow = aOffset + i * ai;
    for (let j = 0; j < n; j++) {
      const bRow = bOffset + j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        s0 += a[aRow + p * ap] * b[bRow + p];
        s1 += a[aRow + (p + 1) * ap] * b[bRow + p + 1];
        s2 += a[aRow + (p + 2) * ap] * b[bRow + p + 2];
        s3 += a[aRow + (p + 3) * ap] * b[bRow + p + 3];
      }
      for (; p < k; p++) s0 += a[aRow + p * ap] * b[bRow + p];
      c[cRow + j] += s0 + s1 + s2 + s3;
    }
  }
};

/** C[m×n] (+)= op(A)·op(B): the WebAssembly kernel (same arguments as gemmReference), or gemmReference where WebAssembly cannot run. */
export const gemm: MatrixProduct = (a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate) =>
  (wasmUsable() ? gemmWasm : gemmReference)(a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate);
