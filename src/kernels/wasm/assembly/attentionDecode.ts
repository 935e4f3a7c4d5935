// Split-K attention forward for decoding (flash-decoding): a few query rows against many keys. The keys
// are cut into fixed chunks of CHUNK keys; one work item is (b, h, chunk), so the threads share the keys
// even when B·H is small. An item runs sweep 1 of the ordinary forward (./attention.ts's sweepKeys: masked
// scores, online softmax, O = Σ e^(s − mᵢ)·v) over its chunk and stores the partial (mᵢ, lᵢ, Oᵢ) of each
// row; attentionDecodeMerge then combines a row's partials in chunk order:
//   m = max mᵢ,  l = Σ lᵢ·e^(mᵢ − m),  out = (Σ Oᵢ·e^(mᵢ − m)) / l
// (Oᵢ is unnormalized, Oᵢ = oᵢ·lᵢ, so the textbook merge Σ oᵢ·lᵢ·e^(mᵢ − m) / l needs no division per chunk). The
// chunks and the merge order depend only on the problem, never on the thread count or on which thread ran
// an item: results are bit-identical for every thread count. They differ from the ordinary forward only by
// rounding (another summation order). A row that sees no key (every mᵢ = −∞) gets zeros, m = −∞ and l = 0.
// Each item also measures the keys and values it reads for the host's range check (see measureRead; not when the
// host measured them already: keysMeasured, a decoding cache resident in memory), and the
// scores come from the row-major keys (no packing pass: attentionTile.ts's rowsTimesKeyRows), so a call reads
// the cache once. Only for forwards without weights or dropout, with TqP ≤ QB rows (one query block; the
// host's rule: ../attention.ts).
import { Problem } from "./attentionProblem";
import { KB, clearedStats, scratchAt, sweepKeys, blockKeyLo, blockKeyHi, measureFinite } from "./attention";
import { exp1 } from "./exp";

const CHUNK = 4 * KB; // keys per work item (a multiple of KB, so chunks start on the key blocks sweepKeys tiles by)
const NEG_INF: f32 = -Infinity;

// @ts-ignore: decorator
@inline function f32At(base: usize, index: i32): usize { return base + (<usize>index << 2); }

/** Keys per chunk (the host sizes the partials as [B·H, chunks, TqP, Dv4 + 2] floats: O, then m and l of each row). */
export function attentionDecodeChunk(): i32 {
  return CHUNK;
}

function chunksOf(p: Problem): i32 {
  return (p.Tk + CHUNK - 1) / CHUNK;
}

/** Work items of attentionDecodePartial: (b, h, chunk). */
export function attentionDecodeItems(params: usize): i32 {
  const p = changetype<Problem>(params);
  return p.B * p.H * chunksOf(p);
}

/** Address of the partial of (flat b·H + h, chunk c): TqP rows of O (Dv4 floats each), then TqP m's and TqP l's. */
function partialAt(p: Problem, partials: usize, bh: i32, c: i32): usize {
  return f32At(partials, (bh * chunksOf(p) + c) * p.TqP * (p.Dv4 + 2));
}

/** The partial softmaxes of work items [first, end): item = (b·H + h)·chunks + chunk. */
export function attentionDecodePartial(params: usize, scratch: usize, partials: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  const sc = scratchAt(scratch, p);
  const chunks = chunksOf(p), rows = p.TqP;
  const live = p.Tq == 1 ? 1 : rows; // one query (a decoding step): one-row tiles, not a 4-row tile of which 3 rows are padding
  for (let item = first; item < end; item++) {
    const bh = item / chunks, c = item % chunks, b = bh / p.H, h = bh % p.H;
    const lo = max(blockKeyLo(p, b, 0, rows) & ~3, c * CHUNK), hi = min(blockKeyHi(p, b, 0, rows), (c + 1) * CHUNK);
    if (p.keysMeasured == 0) measureRead(p, item, b * p.Hkv + (h * p.Hkv) / p.H, lo, hi);
    sweepKeys(p, sc, b, h, 0, live, lo, hi); // lo ≥ hi: m = −∞, l = 0, O = 0
    const at = partialAt(p, partials, bh, c);
    memory.copy(at, sc.o, <usize>(live * p.Dv4) << 2);
    memory.copy(f32At(at, rows * p.Dv4), sc.m, <usize>live << 2);
    memory.copy(f32At(at, rows * (p.Dv4 + 1)), sc.l, <usize>live << 2);
  }
}

/**
 * Measures the keys and values an item reads into its row of p.stats (after the kv heads' rows: see
 * attentionPack and ../attentionRange.ts): rows [lo, ⌈hi⌉₄) of kv head `head`, the tiles sweepKeys runs over
 * (lo is a multiple of 4 and the tiles end on multiples of 4). A key or value it does not read cannot reach a result.
 */
function measureRead(p: Problem, item: i32, head: i32, lo: i32, hi: i32): void {
  const stats = clearedStats(p, p.B * p.Hkv + item);
  if (lo >= hi) return;
  const rows = ((hi + 3) & ~3) - lo;
  measureFinite(f32At(p.k, (head * p.TkP + lo) * p.D4), rows * p.D4, stats, f32At(stats, 2));
  measureFinite(f32At(p.v, (head * p.TkP + lo) * p.Dv4), rows * p.Dv4, stats, f32At(stats, 3));
}

/** Merges the partials of flat rows [first, end) of [B·H, Tq] into out, rowMax and rowSum. */
export function attentionDecodeMerge(params: usize, partials: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  const chunks = chunksOf(p), Dv4 = p.Dv4, rows = p.TqP;
  for (let row = first; row < end; row++) {
    const bh = row / p.Tq, i = row % p.Tq;
    let m = NEG_INF;
    for (let c = 0; c < chunks; c++) m = max(m, load<f32>(f32At(partialAt(p, partials, bh, c), rows * Dv4 + i))); // NaN propagates
    const out = f32At(p.out, (bh * p.TqP + i) * Dv4);
    memory.fill(out, 0, <usize>Dv4 << 2);
    store<f32>(f32At(p.rowMax, row), m);
    if (m == NEG_INF) { store<f32>(f32At(p.rowSum, row), 0); continue; } // sees no key: zeros
    let l: f32 = 0;
    for (let c = 0; c < chunks; c++) {
      const at = partialAt(p, partials, bh, c);
      const f = exp1(load<f32>(f32At(at, rows * Dv4 + i)) - m);
      if (f == 0) continue; // selection: a chunk that saw nothing (or whose weights all round to 0) adds nothing, even ±∞ values
      l += load<f32>(f32At(at, rows * (Dv4 + 1) + i)) * f;
      const o = f32At(at, i * Dv4), fv = f32x4.splat(f);
      for (let d = 0; d < Dv4; d += 4) v128.store(f32At(out, d), f32x4.add(v128.load(f32At(out, d)), f32x4.mul(v128.load(f32At(o, d)), fv)));
    }
    store<f32>(f32At(p.rowSum, row), l);
    const lv = f32x4.splat(l);
    for (let d = 0; d < Dv4; d += 4) v128.store(f32At(out, d), f32x4.div(v128.load(f32At(out, d)), lv));
  }
}
