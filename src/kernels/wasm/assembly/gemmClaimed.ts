// The matrix product (and its bias) as a range kernel for claimed work (../threads.ts): a thread computes the
// rows [first, end) of C (byRows) or its columns [first, end), for whatever ranges it claims. Each element's
// summation order depends only on k (./gemm.ts), so every split of C gives the same bits.
import { gemm } from "./gemm";
import { gemmBias } from "./bias";

export function gemmClaimed(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool, work: usize, bias: usize, byRows: bool,
  first: i32, end: i32,
): void {
  const i0 = byRows ? first : 0, i1 = byRows ? end : m, j0 = byRows ? 0 : first, j1 = byRows ? n : end;
  if (bias) gemmBias(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work, bias);
  else gemm(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work);
}
