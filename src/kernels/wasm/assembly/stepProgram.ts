// A decoding step as one kernel call: a list of operations (a net's layers, compiled by src/decode/stepProgram.ts)
// that every thread runs from start to end. Each operation is cut into work items (columns of a product, heads of
// an attention); the threads claim items from the operation's counter as they go, and an operation that reads what
// earlier ones wrote first waits until those have finished all their items. A thread that arrives late (or never)
// only changes who runs which item, never what an item computes, so results are bit-identical for every thread
// count: each item calls the kernel the layer-by-layer path calls, on the same range, in the same order.
// The host (../stepProgram.ts) lays out in linear memory, per step:
//   program: a 64-byte header [count, private bytes], then OP_WORDS i32 per operation: [code, items, waitFrom, args…]
//     (byte offsets, sizes); items −1: every thread runs the operation itself, into its own buffers (a layer
//     normalization whose readers are all products: no thread waits for another's)
//   counters: 16 i32 per operation (a cache line): [claimed, done], zeroed before the call
// and gives each thread its own scratch: its private buffers (an address −1 − offset in an operation means offset
// bytes into them), the matrix product's work area, then the attention scratch.
import { gemm } from "./gemm";
import { gemmBias } from "./bias";
import { layerNormForward } from "./layerNorm";
import { geluForward } from "./gelu";
import { attentionPack, attentionScratchFloats, measureFinite, STATS_WORDS } from "./attention";
import { attentionDecodeItems, attentionDecodePartial, attentionDecodeMerge } from "./attentionDecode";
import { Problem } from "./attentionProblem";

const HEADER_BYTES: usize = 64, OP_WORDS = 16;
const COUNTER_BYTES: usize = 64;
/** Bytes of the matrix product's work area at the start of each thread's scratch (gemmFewRows: 1024 column sums). */
const GEMM_WORK_BYTES: usize = 4096;

// operation codes (the host's STEP_OPS, in this order)
const ROW = 1; // dst[0:C] = table[index·C : (index + 1)·C], index an i32 at `indexAt`
const ADD = 2; // dst = x + y (n floats)
const LAYER_NORM = 3; // layerNormForward over `rows` rows
const LINEAR = 4; // out[m×n] = act(x[m×k]·op(W) (+ bias)) (+ residual), items of `cols` columns
const GELU = 5; // y = gelu(x), items of `per` elements
const RELU = 6; // y = max(x, 0), items of `per` elements
const ATTEND = 7; // one position's attention, per kv head (see attendKvHead)

// LINEAR's activations (applied to an item's columns after the bias, before the residual)
const ACT_GELU = 1, ACT_RELU = 2;

// @ts-ignore: decorator
@inline function word(op: usize, i: i32): i32 { return load<i32>(op + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function addr(op: usize, i: i32): usize { return <usize>load<i32>(op + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function f32At(base: usize, index: i32): usize { return base + (<usize>index << 2); }

/** The next item of the operation whose counters are at `at` (an item number ≥ items means none is left). */
function claim(at: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(at, 1);
  const n = load<i32>(at);
  store<i32>(at, n + 1);
  return n;
}

/** Marks one item of the operation at `at` done; the last one wakes the threads that sleep on it (see awaitDone). */
function finished(at: usize, items: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (atomic.add<i32>(at + 4, 1) + 1 == items) atomic.notify(at + 4, 64);
  } else store<i32>(at + 4, load<i32>(at + 4) + 1);
}

/**
 * Polls of a done counter before a thread sleeps on it: well beyond an operation's longest item, since a wake-up
 * from a sleep costs more than a whole item (fewer polls made the bench's 2-thread decoding slower).
 */
const SPINS = 524288;
/** A sleep lasts at most this long (ns), in case a wake-up was missed. */
const SLEEP_NS: i64 = 1000000;

/**
 * Waits until every item of the operation at `at` is done (each is being run by a thread that claimed it): polls,
 * then sleeps until the last item's thread wakes it. A thread whose item is delayed (the machine's other processes
 * took its core) then does not also lose this thread's core to polling.
 */
function awaitDone(at: usize, items: i32): void {
  if (!ASC_FEATURE_THREADS) return; // one thread: it ran every item itself
  for (let polls = 0, sleeps = 0; ; polls++) {
    const done = atomic.load<i32>(at + 4);
    if (done >= items) return;
    if (polls < SPINS) continue;
    // an item that never finishes (its thread died: a trap in a worker) must not hang this thread: after ~10 s,
    // trap too, so the call fails with an error instead
    if (++sleeps > MAX_SLEEPS) unreachable();
    atomic.wait<i32>(at + 4, done, SLEEP_NS);
  }
}

/** Sleeps (of at most SLEEP_NS each) before a wait gives up. */
const MAX_SLEEPS = 10000;

/** Runs the program (see the header) on this thread: every operation's items it can claim. */
export function stepProgramRun(program: usize, counters: usize, scratch: usize): void {
  const count = load<i32>(program), own = scratch, work = scratch + <usize>load<i32>(program + 4);
  for (let i = 0; i < count; i++) {
    const op = program + HEADER_BYTES + (<usize>(i * OP_WORDS) << 2);
    for (let j = word(op, 2); j < i; j++) awaitDone(counters + <usize>j * COUNTER_BYTES, word(program + HEADER_BYTES + (<usize>(j * OP_WORDS) << 2), 1));
    const at = counters + <usize>i * COUNTER_BYTES, items = word(op, 1);
    if (items < 0) { runItem(op, 0, own, work); continue; } // every thread, for itself (awaitDone on it returns at once)
    for (let item = claim(at); item < items; item = claim(at)) {
      runItem(op, item, own, work);
      finished(at, items);
    }
  }
}

/** Argument i of an operation as an address: a byte offset, or (−1 − offset) into this thread's private buffers at `own`. */
// @ts-ignore: decorator
@inline function place(op: usize, i: i32, own: usize): usize {
  const v = word(op, i);
  return v < 0 ? own + <usize>(-1 - v) : <usize>v;
}

function runItem(op: usize, item: i32, own: usize, scratch: usize): void {
  const code = word(op, 0);
  if (code == ROW) {
    const C = word(op, 6);
    memory.copy(addr(op, 3), addr(op, 4) + (<usize>(load<i32>(addr(op, 5)) * C) << 2), <usize>C << 2);
  } else if (code == ADD) {
    add(addr(op, 3), addr(op, 4), addr(op, 5), 0, word(op, 6));
  } else if (code == LAYER_NORM) {
    layerNormForward(addr(op, 3), addr(op, 4), addr(op, 5), word(op, 6), load<f32>(op + (7 << 2)), place(op, 8, own), place(op, 9, own), place(op, 10, own), 0, word(op, 11));
  } else if (code == LINEAR) {
    const m = word(op, 8), k = word(op, 9), n = word(op, 10), cols = word(op, 11), out = addr(op, 7);
    const j0 = item * cols, j1 = min(n, j0 + cols), bias = addr(op, 6);
    const x = place(op, 3, own);
    if (bias != 0) gemmBias(x, false, addr(op, 4), word(op, 5) != 0, out, m, k, n, false, 0, m, j0, j1, scratch, bias);
    else gemm(x, false, addr(op, 4), word(op, 5) != 0, out, m, k, n, false, 0, m, j0, j1, scratch);
    const act = word(op, 13), residual = addr(op, 12);
    for (let i = 0; i < m; i++) { // the separate layers' elementwise passes, on this item's columns: the same bits
      const row = f32At(out, i * n);
      if (act == ACT_GELU) geluForward(row, row, 0, j0, j1);
      else if (act == ACT_RELU) relu(row, row, j0, j1);
      if (residual != 0) add(row, row, f32At(residual, i * n), j0, j1);
    }
  } else if (code == GELU) {
    const n = word(op, 6), per = word(op, 7);
    geluForward(addr(op, 3), addr(op, 4), word(op, 5), item * per, min(n, (item + 1) * per));
  } else if (code == RELU) {
    const n = word(op, 5), per = word(op, 6);
    relu(addr(op, 3), addr(op, 4), item * per, min(n, (item + 1) * per));
  } else if (code == ATTEND) {
    attendKvHead(changetype<Problem>(addr(op, 3)), item, addr(op, 4), addr(op, 5), addr(op, 6), word(op, 7), scratch + GEMM_WORK_BYTES, addr(op, 8), addr(op, 9));
  }
}

/** dst[i] = x[i] + y[i] for i in [first, end), as ops.add (one float32 add each). */
function add(dst: usize, x: usize, y: usize, first: i32, end: i32): void {
  let i = first;
  for (; i + 4 <= end; i += 4) v128.store(f32At(dst, i), f32x4.add(v128.load(f32At(x, i)), v128.load(f32At(y, i))));
  for (; i < end; i++) store<f32>(f32At(dst, i), load<f32>(f32At(x, i)) + load<f32>(f32At(y, i)));
}

/** y[i] = max(x[i], 0) for i in [first, end), as ops.relu (NaN → 0). */
function relu(x: usize, y: usize, first: i32, end: i32): void {
  for (let i = first; i < end; i++) {
    const v = load<f32>(f32At(x, i));
    store<f32>(f32At(y, i), v > 0 ? v : 0);
  }
}

/**
 * Kv head `kh` of a one-position step (B = 1, Tq = 1), the calls the layer-by-layer path makes, in its order:
 * the query rows of the heads that share it from q [H·D] into the problem's q [H, TqP, D4] (zero padded), this
 * position's key and value from k [Hkv·D], v [Hkv·Dv] into the cache at `position` (zero padded, and zero rows
 * after it up to the next multiple of 4, which the kernel's 4-key tiles read under weight 0); attentionPack (which
 * measures q and scales it), and the new key and value measured into the head's stats row too; then for each of
 * those query heads the split-K partials of its key chunks and their merge, its row copied to out [H·Dv].
 */
function attendKvHead(p: Problem, kh: i32, q: usize, k: usize, v: usize, position: i32, attentionScratch: usize, partials: usize, out: usize): void {
  const group = p.H / p.Hkv;
  for (let h = kh * group; h < (kh + 1) * group; h++) {
    const row = f32At(p.q, h * p.TqP * p.D4);
    memory.fill(row, 0, <usize>(p.TqP * p.D4) << 2);
    memory.copy(row, f32At(q, h * p.D), <usize>p.D << 2);
  }
  placeRow(f32At(p.k, kh * p.TkP * p.D4), f32At(k, kh * p.D), p.D, p.D4, position);
  placeRow(f32At(p.v, kh * p.TkP * p.Dv4), f32At(v, kh * p.Dv), p.Dv, p.Dv4, position);
  attentionPack(changetype<usize>(p), kh, kh + 1); // clears kv head kh's stats row, measures its queries into it
  const stats = p.stats + (<usize>(kh * STATS_WORDS) << 2); // the host's range check also needs the new key and value measured
  measureFinite(f32At(k, kh * p.D), p.D, stats, f32At(stats, 2));
  measureFinite(f32At(v, kh * p.Dv), p.Dv, stats, f32At(stats, 3));
  const chunks = attentionDecodeItems(changetype<usize>(p)) / p.H; // B = 1
  for (let h = kh * group; h < (kh + 1) * group; h++) {
    attentionDecodePartial(changetype<usize>(p), attentionScratch, partials, h * chunks, (h + 1) * chunks);
    attentionDecodeMerge(changetype<usize>(p), partials, h, h + 1);
    memory.copy(f32At(out, h * p.Dv), f32At(p.out, h * p.TqP * p.Dv4), <usize>p.Dv << 2); // one query row (Tq = 1)
  }
}

/** Row `position` of a cache head [·, size4] from `src` (size floats), zero padded; rows after it zeroed up to the next multiple of 4. */
function placeRow(head: usize, src: usize, size: i32, size4: i32, position: i32): void {
  const row = f32At(head, position * size4), end = f32At(head, ((position + 4) & ~3) * size4);
  memory.copy(row, src, <usize>size << 2);
  memory.fill(f32At(row, size), 0, end - f32At(row, size));
}

/** Bytes of scratch one thread needs after its private buffers: the matrix product's area and attention's for these padded head sizes. */
export function stepProgramScratchBytes(D4: i32, Dv4: i32): i32 {
  return <i32>GEMM_WORK_BYTES + (((attentionScratchFloats(D4, Dv4) + 15) & ~15) << 2);
}
