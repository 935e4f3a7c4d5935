// The matrix product (and its bias) as a range kernel for claimed work (../threads.ts): a thread computes the
// rows [first, end) of C (byRows) or its columns [first, end), for whatever ranges it claims. Each element's
// summation order depends only on k (./gemm.ts), so every split of C gives the same bits. Split by rows, every range
// reads all of B: packedB (not 0) is B packed once for all of them (gemmPackB), else each range packs its own; split
// by columns, likewise all of A (packedA, gemmPackA).
import { gemmFrom } from "./gemm";
import { gemmBiasFrom } from "./bias";

export function gemmClaimed(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool, packedB: usize, packedA: usize, work: usize, bias: usize, byRows: bool,
  first: i32, end: i32,
): void {
  const i0 = byRows ? first : 0, i1 = byRows ? end : m, j0 = byRows ? 0 : first, j1 = byRows ? n : end;
  // a row range reads only its own rows of A, a column range only its own columns of B
  const pB = byRows ? packedB : 0, pA = byRows ? 0 : packedA;
  if (bias) gemmBiasFrom(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work, bias, pB, pA);
  else gemmFrom(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work, pB, pA);
}
