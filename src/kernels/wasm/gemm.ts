// Host side of the WebAssembly matrix multiply (assembly/gemm.ts): same contract as gemmReference in
// ../matmul.ts — C[m×n] (+)= op(A)·op(B) on flat row-major arrays at offsets. The operands are copied
// into linear memory (O(mk + kn + mn) against O(mkn) work), the kernel runs, C is copied back.
// With several threads, C is split into bands of rows (multiples of the 4-row register tile) or, when it
// is wider than tall, of columns (multiples of 8): each element is still summed by one thread in the
// kernel's fixed order, so results are bit-identical for every thread count.
import type { MatrixProduct } from "../matmul.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
import { residentOffset } from "./resident.js";
import { getNumThreads, runParallel, splitRange } from "./threads.js";

/** The kernel's signature: byte offsets, sizes, and the block C[i0:i1, j0:j1] it computes (flags 0/1). */
export type GemmKernel = (
  a: number, transA: number, b: number, transB: number, c: number,
  m: number, k: number, n: number, accumulate: number,
  i0: number, i1: number, j0: number, j1: number, work: number,
) => void;

/**
 * Products below this many multiply-adds run on one thread. A round trip to a worker (runParallel with an
 * empty range) costs ~11 µs median here (7–16 µs p10–p90, 2000 calls), and a 64³ product takes 20–40 µs
 * on one thread, so below that size a split gains nothing (measured on this project's 2-core machine).
 */
const PARALLEL_MIN_MACS = 64 ** 3;
/**
 * Products of fewer than 4 rows (decoding's, ./assembly/gemmFewRows.ts) stream B once from memory with little
 * arithmetic per float, so a split over columns pays off from a smaller B: this many of its floats (128 KiB; a
 * 256×256 projection of a decoding step splits, its 24 µs or so halved at the ~11 µs round trip's cost).
 */
const PARALLEL_MIN_FEW_ROWS_B = 2 ** 15;

export const gemmWasm: MatrixProduct = (a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate) =>
  product(a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate, null);

/**
 * C[m×n] = op(A)·op(B) + bias (bias [n] added to every row, after the product is rounded: the bits of gemmWasm
 * followed by a float32 add); each thread adds the bias to its own band (assembly/bias.ts).
 */
export function gemmBiasWasm(a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  product(a, 0, transA, b, 0, transB, c, 0, m, k, n, false, bias);
}

function product(
  a: Float32Array, aOffset: number, transA: boolean, b: Float32Array, bOffset: number, transB: boolean,
  c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean, bias: Float32Array | null,
): void {
  if (m === 0 || n === 0) return;
  const threads = m * k * n >= PARALLEL_MIN_MACS || (m < 4 && k * n >= PARALLEL_MIN_FEW_ROWS_B) ? getNumThreads() : 1;
  const byRows = m >= n;
  const bands = splitRange(byRows ? m : n, threads, byRows ? 4 : 8);
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const resident = bOffset === 0 && b.length === k * n ? residentOffset(b) : undefined; // a decoding step's weights (./resident.ts)
  const mem = layout([m * k, resident === undefined ? k * n : 0, m * n, bias ? n : 0, ...bands.map(() => workFloats)]);
  const [pa, copied, pc, pbias, ...works] = mem.offsets;
  const pb = resident ?? copied;
  mem.write(pa, a.subarray(aOffset, aOffset + m * k));
  if (resident === undefined) mem.write(pb, b.subarray(bOffset, bOffset + k * n));
  if (accumulate) mem.write(pc, c.subarray(cOffset, cOffset + m * n));
  if (bias) mem.write(pbias, bias);
  const flag = (v: boolean) => (v ? 1 : 0);
  runParallel(bias ? "gemmBias" : "gemm", bands.map(([start, end], t) => [
    pa, flag(transA), pb, flag(transB), pc, m, k, n, flag(accumulate),
    byRows ? start : 0, byRows ? end : m, byRows ? 0 : start, byRows ? n : end, works[t], ...(bias ? [pbias] : []),
  ]));
  c.set(mem.f32(pc, m * n), cOffset);
}
