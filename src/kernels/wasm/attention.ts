// The "wasm" attention kernel: the host half of assembly/attention.ts. Each call lays the problem out in
// the module's linear memory (rows padded to a multiple of 4 floats, the field block of
// assembly/attentionProblem.ts), runs the work items, and copies the results out.
import type { AttentionForward, AttentionGrads, AttentionKernel, AttentionProblem } from "../attention/problem.js";
import { layout, type Layout } from "./memory.js";
import { wasmKernels } from "./loader.js";
import { getNumThreads, runParallel, type ParallelKernel } from "./threads.js";
import { allocFloats, copyFloats } from "../../util/stepPool.js";
import { readHeadsLast, readHeadsLastAll, writeHeadsLast, writeHeadsLastAll, type HeadsLastPlace } from "./headsLayout.js";

/**
 * Problems below this many multiply-adds (B·H·Tq·Tk·(D + Dv)) run on one thread: a round trip to a
 * worker costs ~11 µs here (see ./gemm.ts), about the time of this much attention work.
 */
const PARALLEL_MIN_MACS = 2 ** 18;

/**
 * The packing pass (measuring, transposing, scaling: one pass over the inputs, before the backward's items and
 * split-K's) runs on the calling thread below this many input floats (decoding's few query rows: a worker's
 * round trip would cost more than the work). Above, it splits: a worker late to wake costs nothing (runParallel
 * does not wait for one that has not started), and one in time halves the pass and is awake for the items that
 * follow. A forward of at most UNPACKED_MAX_QUERY_BLOCKS query blocks per head has no such pass: each item does its
 * own rows' share.
 */
const PARALLEL_PACK_FLOATS = 2 ** 16;

/**
 * A forward by query blocks runs without a packing pass (each item measures and scales its own query rows, and
 * transposes each key block into its scratch as it reaches it) up to this many query blocks per head (Tq ≤ 128);
 * beyond, the pass packs every key block once instead of once per query block that reads it. Measured at B·H = 8,
 * D = 64, 2 threads, unpacked ÷ packed in one process, interleaved (a machine at load ~9: noisy): T = 128 1.06×
 * and 1.06× (medians of two runs), causal 1.06×, 1.09×; T = 256 0.95× to 1.23×, no clear gain, so it packs.
 */
const UNPACKED_MAX_QUERY_BLOCKS = 2;

/**
 * Runs a range kernel over work items [0, items) on every thread (each with its own scratch when the
 * kernel takes one), the threads claiming ranges of items as they go (see Claims in ./threads.ts). Every
 * work item writes its own outputs and sums in a fixed order, so results are bit-identical for every
 * thread count and every claim order.
 */
function overItems(kernel: ParallelKernel, params: number, scratches: readonly number[], items: number, withScratch: boolean, minGrain = 1): void {
  const threads = Math.min(scratches.length, items);
  runParallel(kernel, scratches.slice(0, threads).map((scratch) => (withScratch ? [params, scratch] : [params])), { items, minGrain });
}

interface AttentionExports {
  attentionKeyBlock(): number;
  attentionQueryBlock(): number;
  attentionDecodeChunk(): number;
  attentionDecodeItems(params: number): number;
  attentionScratchFloats(D4: number, Dv4: number): number;
  attentionQueryItems(params: number): number;
  attentionKeyValueItems(params: number): number;
  attentionPack(params: number, first: number, end: number): void;
  attentionStatsWords(): number;
  attentionForward(params: number, scratch: number, first: number, end: number): void;
  attentionBackwardDelta(params: number, first: number, end: number): void;
  attentionBackwardKeyValue(params: number, scratch: number, first: number, end: number): void;
  attentionBackwardQuery(params: number, scratch: number, first: number, end: number): void;
}

/** The fields of assembly/attentionProblem.ts's Problem, in order (one 32-bit word each). */
export const FIELDS = [
  "B", "H", "Hkv", "Tq", "Tk", "D", "Dv", "D4", "Dv4", "TqP", "TkP", "causal", "window", "keyLengths",
  "mask", "maskSb", "maskSh", "maskSi", "maskSj", "dropMode", "dropSeed", "dropThreshold", "keepScale", "scale",
  "careful", "q", "k", "v", "kt", "vt", "out", "rowMax", "rowSum", "weights", "dO", "delta", "dWeights", "dq", "dk", "dv", "stats",
  "splitKeys", "keysMeasured",
] as const;
export type Field = (typeof FIELDS)[number];
const FLOAT_FIELDS = new Set<Field>(["keepScale", "scale"]);

const up4 = (n: number) => (n + 3) & ~3;

/** Sizes of the padded layouts. */
function dims(p: AttentionProblem) {
  const { B, H, Hkv, Tq, Tk, D, Dv } = p;
  const D4 = up4(D), Dv4 = up4(Dv), TqP = up4(Tq), TkP = up4(Tk);
  return { B, H, Hkv, Tq, Tk, D, Dv, D4, Dv4, TqP, TkP };
}
type Dims = ReturnType<typeof dims>;

/** Rows shorter than this are copied element by element: a subarray view per row costs more than it saves. */
const SHORT_ROW = 16;

/** Copies `count` rows of `cols` floats from src (rows `srcStride` apart) to dst (rows `dstStride` apart). */
function copyRows(src: Float32Array, srcAt: number, srcStride: number, dst: Float32Array, dstAt: number, dstStride: number, count: number, cols: number): void {
  if (cols >= SHORT_ROW) {
    for (let r = 0; r < count; r++) dst.set(src.subarray(srcAt + r * srcStride, srcAt + r * srcStride + cols), dstAt + r * dstStride);
    return;
  }
  for (let r = 0; r < count; r++) {
    const from = srcAt + r * srcStride, to = dstAt + r * dstStride;
    for (let c = 0; c < cols; c++) dst[to + c] = src[from + c];
  }
}

/** Copies [groups, rows, cols] into memory as [groups, rowsTo, colsTo], zero padded. */
function writePadded(mem: Layout, offset: number, src: Float32Array, groups: number, rows: number, cols: number, rowsTo: number, colsTo: number): void {
  const dst = mem.f32(offset, groups * rowsTo * colsTo);
  if (rows === rowsTo && cols === colsTo) { dst.set(src); return; }
  if (cols === colsTo) {
    // rows padded only (a decoding step's keys: Tk not a multiple of 4): each group in one copy, then its pad rows zeroed
    for (let g = 0; g < groups; g++) {
      const to = g * rowsTo * cols;
      dst.set(src.subarray(g * rows * cols, (g + 1) * rows * cols), to);
      dst.fill(0, to + rows * cols, to + rowsTo * cols);
    }
    return;
  }
  dst.fill(0);
  for (let g = 0; g < groups; g++) copyRows(src, g * rows * cols, cols, dst, g * rowsTo * colsTo, colsTo, rows, cols);
}

/** The inverse of writePadded: a new [groups, rows, cols] array. */
function readPadded(mem: Layout, offset: number, groups: number, rows: number, cols: number, rowsFrom: number, colsFrom: number): Float32Array {
  const src = mem.f32(offset, groups * rowsFrom * colsFrom);
  if (rows === rowsFrom && cols === colsFrom) return copyFloats(src);
  const out = allocFloats(groups * rows * cols); // every row copied
  for (let g = 0; g < groups; g++) copyRows(src, g * rowsFrom * colsFrom, colsFrom, out, g * rows * cols, cols, rows, cols);
  return out;
}

/** The largest |x| over the finite entries of each input (0 where absent), as laid out for the kernel, and whether any entry is NaN or ±∞. */
export interface Magnitudes { q: number; k: number; v: number; dOut: number; dWeights: number; nonFinite: boolean }

/**
 * Whether the kernel may run a problem of these magnitudes (see ./attentionRange.ts): "fits" (nothing inside
 * can overflow), "verify" (run it, then take the results only if they are all finite) or "refuse".
 */
export type RangeCheck = (p: AttentionProblem, m: Magnitudes) => "fits" | "verify" | "refuse";

/** True unless some entry is NaN or ±∞. */
function allFinite(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] - x[i] !== 0) return false;
  return true;
}

/**
 * Keys and values already in kernel memory (a decoding cache, ../../decode/residentKeys.ts): byte offsets of
 * [Hkv, stride, D4] keys and [Hkv, stride, Dv4] values of one batch row (stride ≥ Tk rounded up to 4, a multiple
 * of 4; rows Tk … up4(Tk) − 1 finite), read in place by the split-K forward instead of p.k and p.v.
 */
export interface ResidentKeys {
  k: number; v: number; stride: number;
  /** the largest finite |k| and |v| over the row's cached positions (at least those the call reads), and whether any is NaN or ±∞ */
  measured: { k: number; v: number; nonFinite: boolean };
}

interface Extra {
  rowMax?: ArrayLike<number>; rowSum?: ArrayLike<number>; out?: Float32Array; weights?: Float32Array;
  dOut?: Float32Array | null; dWeights?: Float32Array | null; wantWeights: boolean; backward: boolean; splitKeys?: boolean;
  resident?: ResidentKeys;
}

/**
 * Whether a forward runs split-K (assembly/attentionDecode.ts: flash-decoding) instead of by query blocks:
 * decoding's shape, at most 16 queries (one query block of the ordinary forward, mostly padding) against
 * more keys than one chunk (256), without weights or dropout. By shape alone, never by thread count, so
 * a given call takes the same path, and gives the same bits, at every thread count. Query blocks split
 * only B·H ways for such calls (8 work items at B·H = 8); key chunks split B·H·⌈Tk / 256⌉ ways.
 */
function splitsKeys(p: AttentionProblem, wantWeights: boolean): boolean {
  return p.Tq <= 16 && p.Tk > DECODE_MIN_KEYS && !wantWeights && !p.dropout;
}
const DECODE_MIN_KEYS = 256;

let splitKeyCalls = 0;
/** How many forwards ran split-K so far (for the tests: proof of the path taken). */
export function splitKeyRuns(): number {
  return splitKeyCalls;
}

/**
 * Lays out the problem (and, for the backward, the saved forward and the incoming gradients) and packs it
 * (backward, split-K, a forward of more than UNPACKED_MAX_QUERY_BLOCKS query blocks per head); null when `fits`
 * refuses the magnitudes of the inputs measured by the packing. A forward of fewer query blocks is not packed: its
 * items measure, and its caller gives the verdict after them.
 */
function place(p: AttentionProblem, x: Extra, fits?: RangeCheck) {
  const d = dims(p);
  const { B, H, Hkv, Tq, Tk, D, Dv, D4, Dv4, TqP, TkP } = d;
  const k = wasmKernels().exports as unknown as AttentionExports;
  const rowsQ = B * H * TqP, stats = B * H * Tq, weightCount = B * H * Tq * Tk;
  const packedKeys = Math.ceil(TkP / k.attentionKeyBlock()) * k.attentionKeyBlock(); // kt, vt: blocks of keys
  // a forward of few query blocks per head has no packing pass: its items measure and scale their own rows
  // (assembly/attention.ts's prepareQueryBlock); items > 0 when the items measure
  const queryBlocks = Math.ceil(TqP / k.attentionQueryBlock());
  const packs = x.backward || x.splitKeys === true || queryBlocks > UNPACKED_MAX_QUERY_BLOCKS;
  const items = x.splitKeys ? B * H * Math.ceil(Tk / k.attentionDecodeChunk()) : packs ? 0 : B * H * queryBlocks;
  const statsWords = k.attentionStatsWords();
  const explicit = p.mask.explicit;
  const names = ["params", "scratch", "q", "k", "v", "kt", "vt", "out", "rowMax", "rowSum", "weights", "keyLengths", "mask",
    "dO", "delta", "dWeights", "dq", "dk", "dv", "stats", "partials", "stage", "stage2"] as const;
  const sizes: Record<(typeof names)[number], number> = {
    params: FIELDS.length, scratch: 0, q: rowsQ * D4, k: x.resident ? 0 : B * Hkv * TkP * D4, v: x.resident ? 0 : B * Hkv * TkP * Dv4,
    kt: packs && !x.splitKeys ? B * Hkv * packedKeys * D4 : 0, // unpacked, a forward transposes its keys a tile at a time (split-K: not at all)
    vt: x.backward ? B * Hkv * packedKeys * Dv4 : 0, out: rowsQ * Dv4, rowMax: stats, rowSum: stats,
    weights: x.wantWeights || x.dWeights ? weightCount : 0, keyLengths: p.mask.keyLengths ? B : 0,
    mask: explicit ? Math.ceil(explicit.data.length / 4) : 0,
    dO: x.backward ? rowsQ * Dv4 : 0, delta: x.backward ? stats : 0, dWeights: x.dWeights ? weightCount : 0,
    dq: x.backward ? rowsQ * D4 : 0, dk: x.backward ? B * Hkv * TkP * D4 : 0, dv: x.backward ? B * Hkv * TkP * Dv4 : 0,
    // per kv head (the packing's), then per item (what the items measure; resident keys and values were measured by the host)
    stats: (B * Hkv + (x.resident ? 0 : items)) * statsWords,
    partials: x.splitKeys ? items * TqP * (Dv4 + 2) : 0, // per chunk: O, m, l of each row
    stage: p.headsLast ? Math.max(B * H * Tq, B * Hkv * Tk) * Math.max(D, Dv) : 0, // heads-last arrays pass through it (./headsLayout.ts)
    stage2: 0, // several pass through it and stage in turn (set below)
  };
  sizes.stage2 = sizes.stage;
  const threads = B * H * Tq * Tk * (D + Dv) >= PARALLEL_MIN_MACS ? getNumThreads() : 1;
  const scratchFloats = Math.ceil(k.attentionScratchFloats(D4, Dv4) / 16) * 16; // one per thread, 64-byte aligned
  sizes.scratch = scratchFloats * threads;
  const mem = layout(names.map((n) => sizes[n]));
  const at = Object.fromEntries(names.map((n, i) => [n, sizes[n] > 0 ? mem.offsets[i] : 0])) as Record<(typeof names)[number], number>;
  const scratches = Array.from({ length: threads }, (_, t) => at.scratch + t * scratchFloats * 4);

  // the inputs go in together at the end (heads last: through the two staging areas in turn, ./headsLayout.ts)
  const puts: (HeadsLastPlace & { src: Float32Array })[] = [];
  const put = (offset: number, src: Float32Array, heads: number, rows: number, cols: number, rowsP: number, colsP: number) =>
    void puts.push({ offset, src, groups: B * heads, heads, rows, cols, rowsP, colsP });
  put(at.q, p.q, H, Tq, D, TqP, D4);
  if (!x.resident) {
    put(at.k, p.k, Hkv, Tk, D, TkP, D4);
    put(at.v, p.v, Hkv, Tk, Dv, TkP, Dv4);
  }
  if (p.mask.keyLengths) new Int32Array(mem.f32(0, 0).buffer, at.keyLengths, B).set(p.mask.keyLengths);
  if (explicit) {
    const bytes = new Uint8Array(mem.f32(0, 0).buffer, at.mask, explicit.data.length);
    for (let i = 0; i < bytes.length; i++) bytes[i] = explicit.data[i] !== 0 ? 1 : 0;
  }
  if (x.backward) {
    mem.write(at.rowMax, x.rowMax!);
    mem.write(at.rowSum, x.rowSum!);
    put(at.out, x.out!, H, Tq, Dv, TqP, Dv4);
    if (x.dOut) put(at.dO, x.dOut, H, Tq, Dv, TqP, Dv4);
    else mem.f32(at.dO, sizes.dO).fill(0);
    if (x.dWeights) {
      mem.write(at.dWeights, x.dWeights);
      mem.write(at.weights, x.weights!);
    }
  }

  if (p.headsLast) writeHeadsLastAll(mem, [at.stage, at.stage2], puts);
  else for (const a of puts) writePadded(mem, a.offset, a.src, a.groups, a.rows, a.cols, a.rowsP, a.colsP);

  const drop = p.dropout;
  const threshold = drop ? Math.ceil(drop.rate * 2 ** 32) : 0;
  const [sb, sh, si, sj] = explicit ? explicit.strides : [0, 0, 0, 0];
  const values: Record<Field, number> = { // d's fields named one by one: spreading d made this literal a slow object (~5 % of a call at T = 64)
    B, H, Hkv, Tq, Tk, D, Dv, D4, Dv4, TqP, TkP: x.resident?.stride ?? TkP, causal: p.mask.causal === "topLeft" ? 1 : p.mask.causal === "bottomRight" ? 2 : 0, window: p.mask.window ?? 0,
    keyLengths: at.keyLengths, mask: at.mask, maskSb: sb, maskSh: sh, maskSi: si, maskSj: sj,
    dropMode: !drop ? 0 : threshold >= 2 ** 32 ? 2 : 1, dropSeed: drop ? drop.seed | 0 : 0, dropThreshold: threshold >>> 0,
    keepScale: drop ? 1 / (1 - drop.rate) : 1, scale: p.scale, careful: 0, // set below, from what the packing measured
    q: at.q, k: x.resident?.k ?? at.k, v: x.resident?.v ?? at.v, kt: at.kt, vt: at.vt, out: at.out, rowMax: at.rowMax, rowSum: at.rowSum,
    weights: x.wantWeights || x.dWeights ? at.weights : 0, dO: at.dO, delta: at.delta, dWeights: at.dWeights,
    dq: at.dq, dk: at.dk, dv: at.dv, stats: at.stats, splitKeys: x.splitKeys ? 1 : 0, keysMeasured: x.resident ? 1 : 0,
  };
  const buffer = mem.f32(0, 0).buffer;
  const words = new Int32Array(buffer, at.params, FIELDS.length), floats = new Float32Array(buffer, at.params, FIELDS.length);
  FIELDS.forEach((f, i) => { if (FLOAT_FIELDS.has(f)) floats[i] = values[f]; else words[i] = values[f]; });
  const measurements = new Int32Array(buffer, at.stats, sizes.stats);
  if (packs) {
    const packFloats = sizes.q + (x.splitKeys ? 0 : sizes.k + sizes.v) + sizes.dO + sizes.dWeights; // what the packing reads (split-K: q only)
    overItems("attentionPack", at.params, packFloats >= PARALLEL_PACK_FLOATS ? scratches : scratches.slice(0, 1), B * Hkv, false);
  } else measurements.fill(0, 0, B * Hkv * statsWords); // no packing: its rows measured nothing

  // the packing's rows (per kv head) now; with items that measure, all rows once the items have written theirs
  const measured = (words = sizes.stats) => measuredMagnitudes(measurements.subarray(0, words), statsWords);
  const setCareful = (m: Magnitudes) => { words[FIELDS.indexOf("careful")] = m.nonFinite ? 1 : 0; };
  const m = measured(B * Hkv * statsWords);
  setCareful(m);
  // a result [B·heads, rows, cols] (padded to rowsFrom × colsFrom) as a new array, in the problem's layout
  const take = (offset: number, heads: number, rows: number, cols: number, rowsFrom: number, colsFrom: number) =>
    p.headsLast ? readHeadsLast(mem, at.stage, offset, B * heads, heads, rows, cols, rowsFrom, colsFrom) : readPadded(mem, offset, B * heads, rows, cols, rowsFrom, colsFrom);
  const rewriteQueries = () => (p.headsLast ? writeHeadsLast(mem, at.stage, at.q, p.q, B * H, H, Tq, D, TqP, D4) : writePadded(mem, at.q, p.q, B * H, Tq, D, TqP, D4)); // the forward's items scale q in place
  // several results [B·heads, rows, cols] (heads last: through the two staging areas in turn)
  const takeAll = (arrays: readonly HeadsLastPlace[]) => (p.headsLast
    ? readHeadsLastAll(mem, [at.stage, at.stage2], arrays)
    : arrays.map((a) => readPadded(mem, a.offset, a.groups, a.rows, a.cols, a.rowsP, a.colsP)));
  const placed = { mem, at, k, d, scratches, verify: false, measured, setCareful, measuredNonFinite: m.nonFinite, take, takeAll, rewriteQueries };
  if (items > 0) return placed; // the packing measured q only or nothing: the items measure the rest, and the verdict waits for them
  const verdict = fits ? fits(p, m) : "fits";
  return verdict === "refuse" ? null : { ...placed, verify: verdict === "verify" };
}

/** What the kernels measured (words of [any NaN or ±∞, then the largest finite |x| of q, k, v, dO, dWeights] each), reduced by max and "any", so which thread measured what does not matter. */
function measuredMagnitudes(stats: Int32Array, statsWords: number): Magnitudes {
  const floats = new Float32Array(stats.buffer, stats.byteOffset, stats.length);
  let nonFinite = 0;
  const m: Magnitudes = { q: 0, k: 0, v: 0, dOut: 0, dWeights: 0, nonFinite: false };
  for (let s = 0; s < stats.length; s += statsWords) {
    nonFinite |= stats[s];
    m.q = Math.max(m.q, floats[s + 1]); m.k = Math.max(m.k, floats[s + 2]); m.v = Math.max(m.v, floats[s + 3]);
    m.dOut = Math.max(m.dOut, floats[s + 4]); m.dWeights = Math.max(m.dWeights, floats[s + 5]);
  }
  m.nonFinite = nonFinite !== 0;
  return m;
}

/**
 * The forward pass; null when `fits` refuses the problem, or asked to verify and the output is not all finite.
 * With `resident` keys and values (B = 1, Tq ≤ 16, no weights, no dropout), p.k and p.v are not read: the
 * split-K forward reads the resident ones in place.
 */
export function wasmForward(p: AttentionProblem, wantWeights: boolean, fits?: RangeCheck, resident?: ResidentKeys): AttentionForward | null {
  const splitKeys = resident !== undefined || splitsKeys(p, wantWeights);
  const placed = place(p, { wantWeights, backward: false, splitKeys, resident }, fits);
  if (!placed) return null;
  const { mem, at, k, d, scratches, take } = placed;
  if (splitKeys) splitKeyCalls++;
  const run = splitKeys
    ? () => runParallel("attentionDecodePartial", scratches.map((scratch) => [at.params, scratch, at.partials]), { items: k.attentionDecodeItems(at.params), minGrain: 1 })
    : () => overItems("attentionForward", at.params, scratches, k.attentionQueryItems(at.params), true);
  let m: Magnitudes;
  if (resident) { // the keys and values were measured as they were copied in: the verdict comes first
    m = placed.measured();
    m.k = resident.measured.k; m.v = resident.measured.v; m.nonFinite ||= resident.measured.nonFinite;
    placed.setCareful(m);
  } else {
    // the items measure what they read as they go (one pass over the inputs instead of two), so the range check
    // runs after them: a NaN or ±∞ they found reruns them with the products skipping zero weights (on a fresh copy
    // of q, which the query-block items scale in place), unless the check refuses the problem anyway
    run();
    m = placed.measured();
  }
  const verdict = fits ? fits(p, m) : "fits";
  if (verdict === "refuse") return null;
  if (resident) run();
  else if (m.nonFinite && !placed.measuredNonFinite) {
    placed.setCareful(m);
    if (!splitKeys) placed.rewriteQueries();
    run();
  }
  const verify = verdict === "verify";
  if (splitKeys) runParallel("attentionDecodeMerge", [[at.params, at.partials]], { items: d.B * d.H * d.Tq, minGrain: 1 }); // O(1/256) of the work: one thread
  const stats = d.B * d.H * d.Tq;
  const out = take(at.out, d.H, d.Tq, d.Dv, d.TqP, d.Dv4);
  if (verify && !allFinite(out)) return null; // something overflowed float32 inside
  return {
    out,
    rowMax: copyFloats(mem.f32(at.rowMax, stats)),
    rowSum: copyFloats(mem.f32(at.rowSum, stats)),
    weights: wantWeights ? copyFloats(mem.f32(at.weights, d.B * d.H * d.Tq * d.Tk)) : undefined,
  };
}

/** The backward pass from a forward of this kernel; null when `fits` refuses the problem, or asked to verify and a gradient is not all finite. */
export function wasmBackward(
  p: AttentionProblem, fwd: AttentionForward, dOut: Float32Array | null, dWeights: Float32Array | null, fits?: RangeCheck,
): AttentionGrads | null {
  if (dWeights && !fwd.weights) throw new Error("wasm attention kernel: dWeights given but the forward kept no weights");
  const placed = place(p, {
    rowMax: fwd.rowMax, rowSum: fwd.rowSum, out: fwd.out, weights: fwd.weights, dOut, dWeights, wantWeights: false, backward: true,
  }, fits);
  if (!placed) return null;
  const { at, k, d, scratches, verify, takeAll } = placed;
  overItems("attentionBackwardDelta", at.params, scratches, d.B * d.H * d.Tq, false, 64); // items are rows: cheap
  overItems("attentionBackwardKeyValue", at.params, scratches, k.attentionKeyValueItems(at.params), true); // dK, dV by key blocks
  overItems("attentionBackwardQuery", at.params, scratches, k.attentionQueryItems(at.params), true); // then dQ by query blocks
  const padded = (offset: number, heads: number, rows: number, cols: number, rowsP: number, colsP: number): HeadsLastPlace => ({ offset, groups: d.B * heads, heads, rows, cols, rowsP, colsP });
  const [dq, dk, dv] = takeAll([padded(at.dq, d.H, d.Tq, d.D, d.TqP, d.D4), padded(at.dk, d.Hkv, d.Tk, d.D, d.TkP, d.D4), padded(at.dv, d.Hkv, d.Tk, d.Dv, d.TkP, d.Dv4)]);
  const grads = { dq, dk, dv };
  return verify && !(allFinite(grads.dq) && allFinite(grads.dk) && allFinite(grads.dv)) ? null : grads;
}

/** The fused kernel with no range check (the tests compare it with the reference as it is). */
export const wasmAttentionKernel: AttentionKernel = {
  name: "wasm",
  headsLast: true, // heads-last arrays pass through a staging area of memory (./headsLayout.ts)
  forward: (p, wantWeights) => wasmForward(p, wantWeights)!,
  backward: (p, fwd, dOut, dWeights) => wasmBackward(p, fwd, dOut, dWeights)!,
};
