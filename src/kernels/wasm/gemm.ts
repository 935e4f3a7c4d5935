// Host side of the WebAssembly matrix multiply (assembly/gemm.ts): same contract as gemmReference in
// ../matmul.ts — C[m×n] (+)= op(A)·op(B) on flat row-major arrays at offsets. The operands are copied
// into linear memory (O(mk + kn + mn) against O(mkn) work), the kernel runs, C is copied back.
import { layout } from "./memory.js";

/** The kernel's signature: byte offsets, sizes, and the block C[i0:i1, j0:j1] it computes. */
export type GemmKernel = (
  a: number, transA: boolean, b: number, transB: boolean, c: number,
  m: number, k: number, n: number, accumulate: boolean,
  i0: number, i1: number, j0: number, j1: number, work: number,
) => void;

export function gemmWasm(
  a: Float32Array, aOffset: number, transA: boolean,
  b: Float32Array, bOffset: number, transB: boolean,
  c: Float32Array, cOffset: number,
  m: number, k: number, n: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  const probe = layout([]);
  const workFloats = probe.exports.gemmWorkspaceBytes() / 4;
  const mem = layout([m * k, k * n, m * n, workFloats]);
  const [pa, pb, pc, pw] = mem.offsets;
  mem.write(pa, a.subarray(aOffset, aOffset + m * k));
  mem.write(pb, b.subarray(bOffset, bOffset + k * n));
  if (accumulate) mem.write(pc, c.subarray(cOffset, cOffset + m * n));
  mem.exports.gemm(pa, transA, pb, transB, pc, m, k, n, accumulate, 0, m, 0, n, pw);
  c.set(mem.f32(pc, m * n), cOffset);
}
