import { gemmWasm } from "./wasm/gemm.js";

// Dense matrix product on flat row-major arrays: C[m×n] (+)= op(A)·op(B),
// op(A) = A stored [m×k], or Aᵀ with A stored [k×m]; op(B) likewise ([k×n] or [n×k]).
// `gemm`, which every op and layer uses, is the WebAssembly kernel (./wasm/gemm.ts); the tests hold it to
// `gemmReference`, a plain-JS loop (test/oracles/gemm.ts). There is no size threshold: even at 1×12×9 the
// WebAssembly call costs only ~0.3 µs more than that loop (and from 8×8×8 up it is faster: 1.0 vs 2.0 µs;
// 64³: 19 vs 556 µs), measured with both in one process on this project's machine.

/** C[m×n] (+)= op(A)·op(B) on flat row-major arrays, each operand at its offset; the contract of every GEMM here. */
export type MatrixProduct = (
  a: Float32Array, aOffset: number, transA: boolean,
  b: Float32Array, bOffset: number, transB: boolean,
  c: Float32Array, cOffset: number,
  m: number, k: number, n: number,
  accumulate: boolean,
) => void;

/** C[m×n] (+)= op(A)·op(B): the WebAssembly kernel. */
export const gemm: MatrixProduct = gemmWasm;
