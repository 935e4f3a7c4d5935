// Host side of the WebAssembly matrix multiply (assembly/gemm.ts): same contract as gemmReference in
// ../matmul.ts — C[m×n] (+)= op(A)·op(B) on flat row-major arrays at offsets. The operands are copied
// into linear memory (O(mk + kn + mn) against O(mkn) work), the kernel runs, C is copied back.
// With several threads, the threads claim ranges of C's rows (multiples of the 4-row register tile) or, when it
// is wider than tall, of its columns (multiples of 8) as they go, so a worker late to wake takes less: each
// element is still summed by one thread in the kernel's fixed order, so results are bit-identical for every
// thread count and every claim order. Split by rows, every range reads all of B: it is packed once for them all
// (pack below); split by columns, likewise all of A. And split by rows, a product goes in chunks of rows (./pipeline.ts): this thread copies the next
// chunk of A in and the previous chunk of C out while the threads compute one.
import type { MatrixProduct } from "../matmul.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
import { residentOffset } from "./resident.js";
import { getNumThreads, runClaimed, startClaimed, wakeWorkers } from "./threads.js";
import { columnSumsAt } from "./bias.js";
import { allocFloats, copyFloats } from "../../util/stepPool.js";
import { chunksOf, pipelined } from "./pipeline.js";

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
 * Products of fewer than 4 rows (decoding's, ./assembly/gemmFewRows.ts) split over columns only from a B of this
 * many floats (4 MiB, the size of one core's L2 here), whatever m·k·n. They stream B at ~28 GB/s, so a decoding
 * step's 256×1024 product takes ~40 µs on one thread, and splitting it (as from 128 KiB before) made the bench's
 * 2-thread decoding slower than 1 thread: ~600 against ~700 tokens/s, each of its 33 products per token paying
 * the round trip (~11 µs) and the join; with none split, 2 threads decode at 1 thread's rate (measured with
 * the bench's decoding model, bench/training/decoding.mjs, 2026-12-07).
 */
const PARALLEL_MIN_FEW_ROWS_B = 2 ** 20;

export const gemmWasm: MatrixProduct = (a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate) =>
  product(a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n, accumulate, null);

/**
 * C[m×n] = op(A)·op(B) + bias (bias [n] added to every row, after the product is rounded: the bits of gemmWasm
 * followed by a float32 add); each thread adds the bias to the ranges it computes (assembly/gemmClaimed.ts).
 */
export function gemmBiasWasm(a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  product(a, 0, transA, b, 0, transB, c, 0, m, k, n, false, bias);
}

/**
 * Claimed ranges of C's columns (and rows, when B is not packed once) are at least this many: a column range packs its own copy of A, m·k floats against its
 * 32·m·k multiply-adds (a packed float costs several multiply-adds' time: strided scalar loads).
 */
const MIN_CLAIM = 32;
/** With the shared operand packed once for all ranges (pack below), a range packs only its own part of the other: claims can be smaller, so the threads finish closer together. */
const MIN_CLAIM_PACKED = 8;

/**
 * How C is shared out for an m×k·k×n product: its rows (ranges of multiples of the 4-row register tile) or, when
 * wider than tall, its columns (of 8), claimed as they go by `threads` threads (claimAll in ./threads.ts).
 */
function splitOf(m: number, k: number, n: number): { byRows: boolean; items: number; quantum: number; threads: number } {
  const threads = (m < 4 ? k * n >= PARALLEL_MIN_FEW_ROWS_B : m * k * n >= PARALLEL_MIN_MACS) ? getNumThreads() : 1;
  const byRows = m >= n, items = byRows ? m : n, quantum = byRows ? 4 : 8;
  return { byRows, items, quantum, threads: Math.min(threads, Math.ceil(items / quantum)) };
}

/** The gemm kernel that adds a bias (byte offset `bias`) to its block after the product (assembly/bias.ts). */
type GemmBiasKernel = (...args: [...Parameters<GemmKernel>, bias: number]) => void;

/** The kernel's scratch per thread, in floats (a constant of the module, asked once per instance). */
let workspace: { exports: object; floats: number } | null = null;
function workFloats(): number {
  const { exports } = wasmKernels();
  if (workspace?.exports !== exports) workspace = { exports, floats: exports.gemmWorkspaceBytes() / 4 };
  return workspace.floats;
}

const joined = () => {};

/**
 * A product whose operands are in memory (byte offsets; `pbias` 0 for none), `works` the threads' scratch, split as
 * `split`; `packed` (0 for none) the operand every range reads whole, packed once (pack below): op(B) when split by
 * rows, op(A) by columns.
 */
interface Product {
  pa: number; transA: boolean; pb: number; transB: boolean; pc: number; m: number; k: number; n: number; accumulate: boolean;
  pbias: number; packed: number; works: readonly number[]; split: ReturnType<typeof splitOf>;
}

/** A product of operands in memory, split as splitOf says, packing nothing ahead (the fields of Product). */
const productOf = (pa: number, transA: boolean, pb: number, transB: boolean, pc: number, m: number, k: number, n: number, accumulate: boolean, works: readonly number[]): Product =>
  ({ pa, transA, pb, transB, pc, m, k, n, accumulate, pbias: 0, packed: 0, works, split: splitOf(m, k, n) });

/**
 * Starts the product over C's rows [first, end) when split by rows (default all of C); the returned function joins it
 * (startClaimed in ./threads.ts: in between, this thread may copy other arrays). On one thread (a decoding step's
 * products) it runs the kernel straight away, without startClaimed's argument lists.
 */
function startProduct(p: Product, [first, end]: readonly [number, number] = [0, p.m]): () => void {
  const { pa, pb, pc, m, k, n, pbias, works, split: { byRows, items, quantum, threads } } = p;
  const [transA, transB, accumulate] = [p.transA, p.transB, p.accumulate].map((v) => (v ? 1 : 0));
  if (threads === 1) {
    const { exports } = wasmKernels();
    const [i0, i1] = byRows ? [first, end] : [0, m];
    if (pbias) (exports.gemmBias as GemmBiasKernel)(pa, transA, pb, transB, pc, m, k, n, accumulate, i0, i1, 0, n, works[0], pbias);
    else exports.gemm(pa, transA, pb, transB, pc, m, k, n, accumulate, i0, i1, 0, n, works[0]);
    return joined;
  }
  const minGrain = p.packed ? MIN_CLAIM_PACKED : MIN_CLAIM;
  return startClaimed("gemmClaimed", threads, [pa, transA, pb, transB, pc, m, k, n, accumulate, byRows ? p.packed : 0, byRows ? 0 : p.packed],
    byRows ? { first, items: end, minGrain, quantum } : { items, minGrain, quantum }, works.map((work) => [work, pbias, byRows ? 1 : 0]));
}

/**
 * Floats of the operand a product's ranges would each pack for themselves (op(B) [k×n] split by rows, op(A) [m×k] by
 * columns), packed whole instead (assembly/gemm.ts gemmPackB, gemmPackA); 0 on one thread or for fewer than 4 rows.
 */
function packedFloats(m: number, k: number, n: number, split: ReturnType<typeof splitOf>): number {
  if (split.threads === 1 || m < 4) return 0;
  return split.byRows ? k * Math.ceil(n / 8) * 8 : k * Math.ceil(m / 4) * 4;
}

/** An operand of at least this many floats is packed by all the threads (claiming its panels), a smaller one by this thread alone. */
const PACK_PARALLEL_MIN = 2 ** 17;

/** Packs the shared operand at `packed` when the product has room for it (packedFloats), so its ranges read it. */
function pack(p: Product): void {
  if (!p.packed) return;
  const [kernel, args, panels] = p.split.byRows
    ? ["gemmPackB", [p.pb, p.transB ? 1 : 0, p.k, p.n, p.packed], Math.ceil(p.n / 8)] as const // 8-column panels
    : ["gemmPackA", [p.pa, p.transA ? 1 : 0, p.m, p.k, p.packed], Math.ceil(p.m / 4)] as const; // 4-row panels
  runClaimed(kernel, p.k * (p.split.byRows ? p.n : p.m) >= PACK_PARALLEL_MIN ? p.split.threads : 1, args, { items: panels, minGrain: 4 });
}

/**
 * A product split by rows on several threads goes in chunks of about this many rows (at most CHUNKS, at least
 * MIN_CHUNK_ROWS each): this thread copies the next chunk of A in and the previous chunk of C out while the threads
 * compute one (./pipeline.ts).
 */
const CHUNKS = 4, MIN_CHUNK_ROWS = 128;

/** The row chunks of an m-row product split as `split` (one chunk [0, m] unless it goes by rows on several threads). */
function rowChunks(m: number, split: ReturnType<typeof splitOf>): [number, number][] {
  return split.byRows ? chunksOf(m, split.threads, split.quantum, CHUNKS, MIN_CHUNK_ROWS) : [[0, m]];
}

function product(
  a: Float32Array, aOffset: number, transA: boolean, b: Float32Array, bOffset: number, transB: boolean,
  c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean, bias: Float32Array | null,
): void {
  if (m === 0 || n === 0) return;
  const resident = bOffset === 0 && b.length === k * n ? residentOffset(b) : undefined; // a decoding step's weights (./resident.ts)
  const split = splitOf(m, k, n), work = workFloats();
  wakeWorkers(split.threads); // their wake-up overlaps the copies
  const mem = layout([m * k, resident === undefined ? k * n : 0, m * n, bias ? n : 0, packedFloats(m, k, n, split), ...Array.from({ length: split.threads }, () => work)]);
  const [pa, copied, pc, pbias, packed, ...works] = mem.offsets;
  const pb = resident ?? copied;
  if (resident === undefined) mem.write(pb, b.subarray(bOffset, bOffset + k * n));
  if (bias) mem.write(pbias, bias);
  // A stored [m×k] (transA false) of a product split by rows goes in by the rows of each chunk, else whole first
  const rowwise = split.byRows && !transA;
  if (!rowwise) mem.write(pa, a.subarray(aOffset, aOffset + m * k));
  const p: Product = { pa, transA, pb, transB, pc, m, k, n, accumulate, pbias: bias ? pbias : 0, packed: packedFloats(m, k, n, split) ? packed : 0, works, split };
  pack(p); // B when split by rows, A (in memory whole then) by columns
  pipelined(split.byRows ? rowChunks(m, split) : [[0, m]], (i0, i1) => startProduct(p, [i0, i1]), {
    copyIn: (i0, i1) => {
      if (rowwise) mem.write(pa + i0 * k * 4, a.subarray(aOffset + i0 * k, aOffset + i1 * k));
      if (accumulate) mem.write(pc + i0 * n * 4, c.subarray(cOffset + i0 * n, cOffset + i1 * n));
    },
    copyOut: (i0, i1) => c.set(mem.f32(pc + i0 * n * 4, (i1 - i0) * n), cOffset + i0 * n),
  });
}

/**
 * The gradients of y = x·Wᵀ (+ b) for x [rows, k], W [n, k], from one copy of dy [rows, n] in memory (the products
 * would each copy it): dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy (null where not needed). The same kernel calls as
 * gemmWasm and columnSumsWasm (./bias.ts) make, so the same bits. dx goes by chunks of rows (./pipeline.ts): while
 * the threads compute one, this thread copies the next chunk's rows of dy in, this chunk's rows of x (for dW), and
 * the previous chunk's rows of dx out; the last chunk of dx goes out while the threads compute dW. dW sums over all rows, so it waits for all of
 * dy and x.
 */
export function linearBackwardWasm(
  g: Float32Array, w: Float32Array, x: Float32Array, rows: number, n: number, k: number, [needX, needW, needB]: readonly boolean[],
): [Float32Array | null, Float32Array | null, Float32Array | null] {
  const dxSplit = splitOf(rows, n, k), dwSplit = splitOf(n, rows, k), threads = Math.max(dxSplit.threads, dwSplit.threads), work = workFloats();
  const dxPacked = needX ? packedFloats(rows, n, k, dxSplit) : 0, dwPacked = needW ? packedFloats(n, rows, k, dwSplit) : 0;
  wakeWorkers(threads);
  const mem = layout([rows * n, needX ? n * k : 0, needW ? rows * k : 0, needX ? rows * k : 0, needW ? n * k : 0, needB ? n : 0, dxPacked, dwPacked, ...Array.from({ length: threads }, () => work)]);
  const [pg, pw, px, pgx, pgw, pgb, pdxPacked, pdwPacked, ...works] = mem.offsets;
  const copyG = (i0: number, i1: number) => mem.write(pg + i0 * n * 4, g.subarray(i0 * n, i1 * n));
  const copyX = (i0: number, i1: number) => { if (needW) mem.write(px + i0 * k * 4, x.subarray(i0 * k, i1 * k)); };
  const dw = () => { // dyᵀ [n, rows] · x [rows, k]
    if (!needW || n === 0 || k === 0) return joined;
    const p = { ...productOf(pg, true, px, false, pgw, n, rows, k, false, works), packed: dwPacked ? pdwPacked : 0 };
    pack(p); // dy and x are all in by now
    return startProduct(p);
  };
  let gx: Float32Array | null = null, gw: Float32Array | null = null, gb: Float32Array | null = null;
  if (needX && rows > 0 && k > 0) {
    mem.write(pw, w.subarray(0, n * k));
    const p = { ...productOf(pg, false, pw, false, pgx, rows, n, k, false, works), packed: dxPacked ? pdxPacked : 0 }; // dy [rows, n] · W [n, k]
    if (!dxSplit.byRows) copyG(0, rows); // split by columns (k > rows): dy goes in whole, for the packing
    pack(p);
    const out = (gx = allocFloats(rows * k));
    pipelined(rowChunks(rows, dxSplit), (i0, i1) => startProduct(p, [i0, i1]),
      { copyIn: dxSplit.byRows ? copyG : () => {}, alongside: copyX, copyOut: (i0, i1) => out.set(mem.f32(pgx + i0 * k * 4, (i1 - i0) * k), i0 * k) }, dw);
  } else {
    if (needX) gx = allocFloats(rows * k); // rows or k is 0: nothing to compute
    copyG(0, rows);
    copyX(0, rows);
    dw()();
  }
  if (needW) gw = copyFloats(mem.f32(pgw, n * k));
  if (needB) gb = columnSumsAt(mem, pg, pgb, rows, n);
  return [gx, gw, gb];
}
