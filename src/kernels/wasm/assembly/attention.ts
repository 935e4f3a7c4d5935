// Fused attention, forward and backward, FlashAttention-style (see src/kernels/attention/reference.ts
// for the math this reproduces). Work is cut into query blocks of QB rows and key blocks of KB keys:
//   forward, per (b, h, query block): for each key block the rows can see, S = Q' Kᵀ with the query
//     pre-scaled (Q' = scale·Q, so a score costs no extra multiply; masked entries set to −∞ by selection), online softmax (running max m and sum l, earlier output rescaled
//     by e^(m_old − m_new)), O += P̃ V; finally out = O / l and (m, l) saved. With weights asked for,
//     a first sweep finds (m, l) and a second writes p = e^(s − m)/l and accumulates O.
//   backward, after Δ_i = dO_i·O_i + Σ_j p_ij dW_ij: per (b, kv head, key block), over every query
//     block of the heads sharing it, recompute S and P, dV += P̃ᵀ dO, dP = dO Vᵀ ∘ keep + dW,
//     dS = P ∘ (dP − Δ), dK += dSᵀ Q' (= scale·dSᵀ Q); then per (b, h, query block) the same tiles give
//     dQ = scale·Σ dS K. K and V are packed transposed in blocks of KB keys ([D, KB] each, contiguous) by a
//     packing pass; the forward instead transposes each key block into its scratch as it reaches it.
// Every entry point takes a range [first, end) of its work items, so threads can split the work; an
// item writes only its own rows, and sums run in an order that does not depend on the split.
// Blocks that causal, window or key-length rules hide entirely are skipped.
import { exp4, exp1 } from "./exp";
import { Problem, keyLo, keyHi, explicitAllows, keepFactor } from "./attentionProblem";
import { tileProduct, tileProductSkippingZeros, rowsTimesKeyRows } from "./attentionTile";
import { hsum } from "./simd";

export const QB = 64; // query rows per block (a multiple of 4)
export const KB = 64; // keys per block (a multiple of 4)
const NEG_INF: f32 = -Infinity;

const DIRECTORY = 16; // floats at the start of the scratch that hold its directory (a Scratch)

/** Floats of scratch one thread needs (directory, scores, keep factors, dropped-out weights, dS, output rows, m, l, one key block transposed, the tile's visible ends). */
export function attentionScratchFloats(D4: i32, Dv4: i32): i32 {
  return DIRECTORY + 4 * QB * KB + QB * Dv4 + 2 * QB + D4 * KB + QB / 4;
}

/** Query rows per block (the host counts a forward's items, and sizes its measurements, before laying the problem out). */
export function attentionQueryBlock(): i32 {
  return QB;
}

/** Work items of attentionForward and attentionBackwardQuery: (b, h, query block). */
export function attentionQueryItems(params: usize): i32 {
  const p = changetype<Problem>(params);
  return p.B * p.H * ((p.TqP + QB - 1) / QB);
}

/** Work items of attentionBackwardKeyValue: (b, kv head, key block). */
export function attentionKeyValueItems(params: usize): i32 {
  const p = changetype<Problem>(params);
  return p.B * p.Hkv * ((p.TkP + KB - 1) / KB);
}

/** Where each scratch array lives; stored at the start of the scratch itself (kernels allocate nothing). */
@unmanaged export class Scratch {
  s: usize; keep: usize; pd: usize; ds: usize; o: usize; m: usize; l: usize; kt: usize;
  /** QB / 4 i32: where the keys each group of 4 rows sees end in the current tile (see clipTile), used while `clipped` is 1 */
  ends: usize; clipped: i32;
}

export function scratchAt(base: usize, p: Problem): Scratch {
  const sc = changetype<Scratch>(base);
  const tile = <usize>(QB * KB) << 2;
  sc.s = base + (DIRECTORY << 2); sc.keep = sc.s + tile; sc.pd = sc.s + 2 * tile; sc.ds = sc.s + 3 * tile;
  sc.o = sc.s + 4 * tile; sc.m = sc.o + (<usize>(QB * p.Dv4) << 2); sc.l = sc.m + (<usize>QB << 2); sc.kt = sc.l + (<usize>QB << 2);
  sc.ends = sc.kt + (<usize>(p.D4 * KB) << 2);
  return sc;
}

// @ts-ignore: decorator
@inline function f32At(base: usize, index: i32): usize { return base + (<usize>index << 2); }

function roundUp4(n: i32): i32 { return (n + 3) & ~3; }

/** The end of the key range starting at j0 that stays inside one packed block and below hi. */
function blockEnd(j0: i32, hi: i32): i32 { return min((j0 / KB + 1) * KB, hi); }

/** Keys per packed block (the host sizes kt and vt as [B·Hkv, ⌈TkP / KB⌉, D4 or Dv4, KB]). */
export function attentionKeyBlock(): i32 {
  return KB;
}

/** Address of key column j (of a range inside one block) in packed row 0 of kv head `head`; rows are KB floats apart. */
// @ts-ignore: decorator
@inline function packedAt(base: usize, p: Problem, head: i32, rowsPerBlock: i32, j: i32): usize {
  const blocks = (p.TkP + KB - 1) / KB, kb = j / KB;
  return base + (<usize>(((head * blocks + kb) * rowsPerBlock) * KB + j - kb * KB) << 2);
}

/** Words per kv head that attentionPack measures into p.stats: [any NaN or ±∞ (i32), then the largest finite |x| (f32) of q, k, v, dO, dWeights]. */
export const STATS_WORDS = 6;
export function attentionStatsWords(): i32 {
  return STATS_WORDS;
}

/** Row `row` of p.stats, cleared (nothing measured yet: no NaN or ±∞, magnitudes 0). */
export function clearedStats(p: Problem, row: i32): usize {
  const stats = p.stats + (<usize>(row * STATS_WORDS) << 2);
  store<i32>(stats, 0);
  for (let w = 1; w < STATS_WORDS; w++) store<f32>(f32At(stats, w), 0);
  return stats;
}

/** x[0 … n) *= scale, n a multiple of 4. */
function scaleInPlace(x: usize, n: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  for (let i = 0; i < n; i += 4) v128.store(f32At(x, i), f32x4.mul(v128.load(f32At(x, i)), s));
}

/**
 * For kv heads [first, end) (flat b·Hkv + kh): measures the inputs it touches (q of the heads sharing it, k,
 * v, and in a backward call dO and dWeights; see measureFinite), packs K and V transposed into key blocks (kt, vt), scales
 * the query rows of the heads that share this kv head by `scale` (Q' = scale·Q), then centers K in place
 * (k_j − c), which only the dQ pass reads afterwards:
 * dQ_i = scale Σ_j dS_ij k_j = scale Σ_j dS_ij (k_j − c) because Σ_j dS_ij = Σ_j p_ij dP_ij − Δ_i = 0, and
 * the centered products stay small when every key carries a large common offset (float32 would lose dQ).
 * c is the mean of the keys that EVERY query row of these heads can see (rows that see nothing aside): a key
 * hidden from some row never enters c, so its value cannot reach that row's dQ, not even by rounding.
 * Only the backward, split-K's forward and a forward of more than 2 query blocks per head run it (a forward of
 * fewer does its items' share in prepareQueryBlock); split-K's lays out no kt (nothing to transpose) and needs neither vt nor the centering.
 */
export function attentionPack(params: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  const group = p.H / p.Hkv;
  for (let head = first; head < end; head++) {
    const b = head / p.Hkv;
    const k = p.k + (<usize>(head * p.TkP * p.D4) << 2);
    measureInputs(p, head, group);
    if (p.kt != 0) transposeIntoBlocks(k, p.TkP, p.D4, packedAt(p.kt, p, head, p.D4, 0)); // none laid out: scores from k as it is
    const backward = p.dO != 0; // a forward call lays out no dO, and only the backward reads vt and the centered k
    if (backward) transposeIntoBlocks(p.v + (<usize>(head * p.TkP * p.Dv4) << 2), p.TkP, p.Dv4, packedAt(p.vt, p, head, p.Dv4, 0));
    scaleInPlace(p.q + (<usize>(head * group * p.TqP * p.D4) << 2), group * p.TqP * p.D4, p.scale);
    // this head's dk is written only later (attentionBackwardKeyValue clears it first): its first row serves as the sum
    if (backward) centerOnCommonKeys(p, k, b, head % p.Hkv, f32At(p.dk, head * p.TkP * p.D4));
  }
}

/** Measures kv head `head`'s inputs into its words of p.stats (before packing scales q and centers k). */
function measureInputs(p: Problem, head: i32, group: i32): void {
  const stats = clearedStats(p, head), anyBad = stats;
  const queryRows = group * p.TqP;
  measureFinite(p.q + (<usize>(head * queryRows * p.D4) << 2), queryRows * p.D4, anyBad, f32At(stats, 1));
  if (p.splitKeys != 0) return; // the split-K items measure the keys and values they read (attentionDecode.ts)
  measureFinite(p.k + (<usize>(head * p.TkP * p.D4) << 2), p.TkP * p.D4, anyBad, f32At(stats, 2));
  measureFinite(p.v + (<usize>(head * p.TkP * p.Dv4) << 2), p.TkP * p.Dv4, anyBad, f32At(stats, 3));
  if (p.dO != 0) measureFinite(p.dO + (<usize>(head * queryRows * p.Dv4) << 2), queryRows * p.Dv4, anyBad, f32At(stats, 4));
  const weightsPerHead = group * p.Tq * p.Tk; // the heads sharing this kv head are consecutive rows of dWeights
  if (p.dWeights != 0) measureFinite(p.dWeights + (<usize>(head * weightsPerHead) << 2), weightsPerHead, anyBad, f32At(stats, 5));
}

/**
 * k (kv head kh of batch row b, [TkP, D4]) minus the mean of the keys every non-empty query row of the query
 * heads sharing kh can see: the intersection of their key ranges, less any key the explicit mask hides from
 * one of them. Left alone when that set is empty or its mean is NaN or ±∞ (per lane). Whether a key is common
 * is decided once per key (a scan of the explicit mask over the group's rows), summing its row into `sum`
 * (D4 floats of free memory); each lane still sums its keys in order.
 */
function centerOnCommonKeys(p: Problem, k: usize, b: i32, kh: i32, sum: usize): void {
  let lo = 0, hi = p.Tk;
  for (let i = 0; i < p.Tq; i++) {
    const rlo = keyLo(p, i), rhi = keyHi(p, b, i);
    if (rhi > rlo) { lo = max(lo, rlo); hi = min(hi, rhi); }
  }
  if (hi <= lo) return;
  const group = p.H / p.Hkv, cols = p.D4;
  memory.fill(sum, 0, <usize>cols << 2);
  let n = 0;
  for (let j = lo; j < hi; j++) {
    if (!common(p, b, kh * group, group, j)) continue;
    n++;
    for (let d = 0; d < cols; d += 4) v128.store(f32At(sum, d), f32x4.add(v128.load(f32At(sum, d)), v128.load(f32At(k, j * cols + d))));
  }
  if (n == 0) return;
  const inv = f32x4.splat(<f32>1 / <f32>n);
  for (let d = 0; d < cols; d += 4) {
    const c = f32x4.mul(v128.load(f32At(sum, d)), inv);
    v128.store(f32At(sum, d), v128.and(c, f32x4.eq(f32x4.sub(c, c), f32x4.splat(0)))); // non-finite lanes of the mean → 0
  }
  for (let j = 0; j < p.TkP; j++) {
    for (let d = 0; d < cols; d += 4) { const at = f32At(k, j * cols + d); v128.store(at, f32x4.sub(v128.load(at), v128.load(f32At(sum, d)))); }
  }
}

/** Whether no explicit mask hides key j from a query row (of heads h0 … h0 + count − 1) that sees some key by the range rules. */
// @ts-ignore: decorator
@inline function common(p: Problem, b: i32, h0: i32, count: i32, j: i32): bool {
  return p.mask == 0 || seenByAll(p, b, h0, count, j);
}

/** Whether every query row (of heads h0 … h0 + count − 1) that sees some key by the range rules may see key j. */
function seenByAll(p: Problem, b: i32, h0: i32, count: i32, j: i32): bool {
  for (let h = h0; h < h0 + count; h++) {
    for (let i = 0; i < p.Tq; i++) {
      if (keyHi(p, b, i) > keyLo(p, i) && !explicitAllows(p, b, h, i, j)) return false;
    }
  }
  return true;
}

/** [rows, cols] row-major at src (rows a multiple of 4) → blocks of [cols, KB] at dst, by 4×4 transposes. */
function transposeIntoBlocks(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let j = 0; j < rows; j += 4) {
    const kb = j / KB, block = dst + (<usize>(kb * cols * KB + j - kb * KB) << 2);
    for (let d = 0; d < cols; d += 4) {
      const r0 = v128.load(f32At(src, j * cols + d)), r1 = v128.load(f32At(src, (j + 1) * cols + d));
      const r2 = v128.load(f32At(src, (j + 2) * cols + d)), r3 = v128.load(f32At(src, (j + 3) * cols + d));
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const out = block + (<usize>(d * KB) << 2), row = <usize>KB << 2;
      v128.store(out, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(out + row, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(out + 2 * row, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(out + 3 * row, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    }
  }
}

/**
 * Measures n floats at x for the host's checks (see ../attentionRange.ts): sets the i32 at `anyBad` to 1 if
 * one of them is NaN or ±∞, and raises the f32 at `largest` to their largest finite |x|. The usual case, all
 * finite, takes one pass of |x|, pmax and a compare per vector (|x| < ∞ is false for NaN and ±∞, and pmax
 * then compares |x| = ∞ or passes over NaN, harmlessly); a non-finite entry sends the span to measureMasked.
 */
export function measureFinite(x: usize, n: i32, anyBad: usize, largest: usize): void {
  const inf = f32x4.splat(Infinity);
  let m0 = f32x4.splat(0), m1 = f32x4.splat(0), ok0 = f32x4.eq(inf, inf), ok1 = ok0;
  let i = 0;
  for (; i + 8 <= n; i += 8) { // two chains, so the compares of one overlap the other's
    const a0 = f32x4.abs(v128.load(f32At(x, i))), a1 = f32x4.abs(v128.load(f32At(x, i + 4)));
    m0 = f32x4.pmax(m0, a0); m1 = f32x4.pmax(m1, a1);
    ok0 = v128.and(ok0, f32x4.lt(a0, inf)); ok1 = v128.and(ok1, f32x4.lt(a1, inf));
  }
  let best = load<f32>(largest);
  for (; i < n; i++) {
    const a = abs(load<f32>(f32At(x, i)));
    if (!(a < Infinity)) { measureMasked(x, n, anyBad, largest); return; }
    best = max(best, a);
  }
  if (!v128.all_true<i32>(v128.and(ok0, ok1))) { measureMasked(x, n, anyBad, largest); return; }
  let m = f32x4.pmax(m0, m1);
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  store<f32>(largest, max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), best));
}

/**
 * measureFinite for spans that hold NaN or ±∞: the largest finite |x| with non-finite lanes masked to 0.
 * pmax (one instruction) is safe here: the lanes it compares are finite or masked to 0, never NaN.
 */
function measureMasked(x: usize, n: i32, anyBad: usize, largest: usize): void {
  let bad = i32x4.splat(0), m = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(f32At(x, i));
    const finite = f32x4.eq(f32x4.sub(v, v), f32x4.splat(0)); // x − x is 0 exactly when x is finite
    bad = v128.or(bad, v128.not(finite));
    m = f32x4.pmax(m, v128.and(f32x4.abs(v), finite));
  }
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  let best = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), load<f32>(largest));
  let anyNonFinite = v128.any_true(bad);
  for (; i < n; i++) {
    const v = load<f32>(f32At(x, i));
    if (v - v == 0) best = max(best, abs(v));
    else anyNonFinite = true;
  }
  store<f32>(largest, best);
  if (anyNonFinite) store<i32>(anyBad, 1);
}

/** The key span [lo, hi) that rows [i0, i0 + rows) of batch b see together (rows that see nothing do not count; lo ≥ hi: none). */
export function blockKeyLo(p: Problem, b: i32, i0: i32, rows: i32): i32 {
  let lo = p.Tk;
  for (let r = 0; r < rows; r++) { const l = keyLo(p, i0 + r); if (keyHi(p, b, i0 + r) > l) lo = min(lo, l); }
  return lo;
}
export function blockKeyHi(p: Problem, b: i32, i0: i32, rows: i32): i32 {
  let hi = 0;
  for (let r = 0; r < rows; r++) { const h = keyHi(p, b, i0 + r); if (h > keyLo(p, i0 + r)) hi = max(hi, h); }
  return hi;
}

/** Sets the entries of the score tile of rows [i0, i0 + rows) × keys [j0, j0 + n) that are blocked to −∞ (selection). */
function maskScores(p: Problem, s: usize, b: i32, h: i32, i0: i32, rows: i32, j0: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const i = i0 + r, lo = keyLo(p, i), hi = keyHi(p, b, i);
    if (lo <= j0 && j0 + n <= hi && p.mask == 0) continue; // the whole row is visible
    const row = s + (<usize>(r * KB) << 2);
    for (let jj = 0; jj < n; jj += 4) {
      const j = j0 + jj;
      if (j >= lo && j + 4 <= hi && p.mask == 0) continue;
      for (let t = 0; t < 4; t++) {
        if (!(j + t >= lo && j + t < hi && explicitAllows(p, b, h, i, j + t))) store<f32>(f32At(row, jj + t), NEG_INF);
      }
    }
  }
}

/** Max of a row of n scores; NaN if any is NaN (pmax is one instruction but would skip NaN, so NaN is tracked apart). */
function rowMaxOf(row: usize, n: i32): f32 {
  let m = f32x4.splat(NEG_INF), nan = f32x4.splat(0);
  for (let j = 0; j < n; j += 4) {
    const x = v128.load(f32At(row, j));
    m = f32x4.pmax(m, x);
    nan = v128.or(nan, f32x4.ne(x, x));
  }
  if (v128.any_true(nan)) return NaN;
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  return max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
}

/** Multiplies the tile's weights by their dropout factors into `pd` (and keeps the factors in `keep`). */
function applyDropout(p: Problem, sc: Scratch, b: i32, h: i32, i0: i32, rows: i32, j0: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const i = i0 + r;
    const counter = (<u64>((b * p.H + h) * p.Tq + i)) * <u64>p.Tk;
    const off = r * KB;
    for (let jj = 0; jj < n; jj++) {
      const f = i < p.Tq && j0 + jj < p.Tk ? keepFactor(p, counter + <u64>(j0 + jj)) : 0;
      store<f32>(f32At(sc.keep, off + jj), f);
      store<f32>(f32At(sc.pd, off + jj), f * load<f32>(f32At(sc.s, off + jj)));
    }
  }
}

// The three shapes of tile product the kernels use, each one compiled copy of tileProduct with its
// constant strides folded in (inlining everywhere would be as fast but several times the module size).

/** Scores-like tiles: C [M, N] (ld KB) = A·B, A row-major with row stride am, B a packed key block (rows KB apart). */
function rowsTimesPackedKeys(M: i32, N: i32, K: i32, a: usize, am: i32, b: usize, c: usize): void {
  tileProduct(M, N, K, a, am, 1, b, KB, c, KB, false);
}

/** Scores-like tiles of M rows by N keys: from the packed keys (`packed`), or for split-K from the row-major ones (`keys`: see rowsTimesKeyRows). */
function scoresOfRows(p: Problem, M: i32, N: i32, q: usize, keys: usize, packed: usize, c: usize): void {
  if (p.splitKeys != 0) rowsTimesKeyRows(M, N, p.D, q, p.D4, keys, p.D4, c, KB);
  else rowsTimesPackedKeys(M, N, p.D, q, p.D4, packed, c);
}

/** C += W·B with W a weight tile [M, K] (ld KB) and B row-major (ld = ldc); skips zero weights when inputs are not all finite. */
function accumulateWeightsTimesRows(p: Problem, M: i32, N: i32, K: i32, w: usize, b: usize, c: usize, ld: i32): void {
  if (p.careful != 0) tileProductSkippingZeros(M, N, K, w, KB, 1, b, ld, c, ld, true);
  else tileProduct(M, N, K, w, KB, 1, b, ld, c, ld, true);
}

/** C += Wᵀ·B with W a weight tile [K, M] (ld KB) and B row-major (ld = ldc); skips zero weights likewise. */
function accumulateWeightsTransposedTimesRows(p: Problem, M: i32, N: i32, K: i32, w: usize, b: usize, c: usize, ld: i32): void {
  if (p.careful != 0) tileProductSkippingZeros(M, N, K, w, 1, KB, b, ld, c, ld, true);
  else tileProduct(M, N, K, w, 1, KB, b, ld, c, ld, true);
}

/**
 * Masked scores of a tile, bit for bit the same in every pass: from the packed keys; without a packing pass, from
 * the tile's keys transposed into the scratch first (the same product on the same values), or for split-K's few
 * query rows from the row-major keys (see rowsTimesKeyRows).
 */
// @ts-ignore: decorator
@inline function scoreTile(p: Problem, sc: Scratch, b: i32, h: i32, kh: i32, i0: i32, rows: i32, j0: i32, n: i32): void {
  const qBlock = p.q + (<usize>(((b * p.H + h) * p.TqP + i0) * p.D4) << 2);
  const keys = f32At(p.k, ((b * p.Hkv + kh) * p.TkP + j0) * p.D4);
  const seen = clipTile(p, sc, b, i0, rows, j0, n);
  if (p.kt == 0 && p.splitKeys == 0) transposeIntoBlocks(keys, seen, p.D4, sc.kt); // only the keys some row sees
  const packed = p.kt != 0 ? packedAt(p.kt, p, b * p.Hkv + kh, p.D4, j0) : sc.kt;
  if (sc.clipped == 0) scoresOfRows(p, rows, n, qBlock, keys, packed, sc.s);
  else {
    for (let g = 0; g < rows; g += 4) {
      const end = visibleEnd(sc, g);
      if (end > 0) scoresOfRows(p, 4, end, qBlock + (<usize>(g * p.D4) << 2), keys, packed, sc.s + (<usize>(g * KB) << 2));
    }
  }
  maskScores(p, sc.s, b, h, i0, rows, j0, n);
}

/**
 * Where, in the tile of keys [j0, j0 + n), the keys that each group of 4 rows (i0 + g … i0 + g + 3) can see end:
 * sc.ends[g / 4] = the group's largest keyHi − j0, rounded up to 4 and kept in [0, n]. Sets sc.clipped to whether
 * some group ends before n (never without causal, window or key-length rules) and returns the largest end. The tile's
 * products stop there: the scores beyond are masked to −∞ anyway, and the weights there are exactly 0, so
 * leaving their products out changes no bit of any sum (a product by 0 of a finite value adds ±0, and the sums
 * are never −0; with non-finite inputs the products skip zero weights anyway). A causal diagonal tile so does
 * about half of its work.
 */
function clipTile(p: Problem, sc: Scratch, b: i32, i0: i32, rows: i32, j0: i32, n: i32): i32 {
  sc.clipped = 0;
  if (p.causal == 0 && p.window == 0 && p.keyLengths == 0) return n;
  let largest = 0;
  for (let g = 0; g < rows; g += 4) {
    let hi = 0;
    for (let r = g; r < g + 4; r++) hi = max(hi, keyHi(p, b, i0 + r));
    const end = min(n, max(0, roundUp4(hi - j0)));
    store<i32>(sc.ends + (<usize>g), end); // g / 4 words in
    if (end < n) sc.clipped = 1;
    largest = max(largest, end);
  }
  return largest;
}

// @ts-ignore: decorator
@inline function visibleEnd(sc: Scratch, g: i32): i32 { return load<i32>(sc.ends + (<usize>g)); }

/** O += W·V over the tile's rows (ld Dv4), each group of 4 rows over only the keys it sees when the tile is clipped (see clipTile). */
function accumulateVisible(p: Problem, sc: Scratch, rows: i32, n: i32, w: usize, values: usize): void {
  if (sc.clipped == 0) { accumulateWeightsTimesRows(p, rows, p.Dv4, n, w, values, sc.o, p.Dv4); return; }
  for (let g = 0; g < rows; g += 4) {
    const end = visibleEnd(sc, g);
    if (end > 0) accumulateWeightsTimesRows(p, 4, p.Dv4, end, w + (<usize>(g * KB) << 2), values, sc.o + (<usize>(g * p.Dv4) << 2), p.Dv4);
  }
}

/** Turns the masked scores into p = e^(s − m)/l with each row's final statistics (0 for rows that see nothing). */
function finalWeights(sc: Scratch, rows: i32, n: i32, m: usize, l: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = sc.s + (<usize>(r * KB) << 2);
    const mr = load<f32>(f32At(m, r)), lr = load<f32>(f32At(l, r));
    if (mr == NEG_INF) { memory.fill(row, 0, <usize>n << 2); continue; }
    const mv = f32x4.splat(mr), inv = f32x4.splat(<f32>1 / lr);
    for (let j = 0; j < n; j += 4) {
      const at = f32At(row, j);
      v128.store(at, f32x4.mul(exp4(f32x4.sub(v128.load(at), mv)), inv));
    }
  }
}

// ---------------------------------------------------------------- forward

/**
 * Forward for work items [first, end): item = (b·H + h)·blocks + query block, blocks = ⌈TqP / QB⌉. Without a
 * packing pass (p.kt = 0: the host's choice for a forward call), each item first does the packing's part for its
 * rows (see prepareQueryBlock), so a call is one run over the items, with no pass and no wait before it.
 */
export function attentionForward(params: usize, scratch: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  const sc = scratchAt(scratch, p);
  const blocks = (p.TqP + QB - 1) / QB;
  for (let item = first; item < end; item++) {
    const bh = item / blocks, i0 = (item % blocks) * QB, rows = min(QB, p.TqP - i0);
    if (p.kt == 0) prepareQueryBlock(p, item, bh, i0, rows);
    forwardBlock(p, sc, bh / p.H, bh % p.H, i0, rows);
  }
}

/**
 * The packing pass's part for one forward item that has none: measures its query rows (and, as the first item of
 * the first head sharing a kv head, that head's keys and values) into its row of p.stats (after the kv heads'
 * rows: see ../attentionRange.ts), then scales the rows in place (Q' = scale·Q). The keys are transposed a tile
 * at a time as the scores need them (scoreTile).
 */
function prepareQueryBlock(p: Problem, item: i32, bh: i32, i0: i32, rows: i32): void {
  const stats = clearedStats(p, p.B * p.Hkv + item);
  const q = f32At(p.q, (bh * p.TqP + i0) * p.D4);
  measureFinite(q, rows * p.D4, stats, f32At(stats, 1));
  const h = bh % p.H, group = p.H / p.Hkv;
  if (i0 == 0 && h % group == 0) {
    const head = (bh / p.H) * p.Hkv + h / group;
    measureFinite(f32At(p.k, head * p.TkP * p.D4), p.TkP * p.D4, stats, f32At(stats, 2));
    measureFinite(f32At(p.v, head * p.TkP * p.Dv4), p.TkP * p.Dv4, stats, f32At(stats, 3));
  }
  scaleInPlace(q, rows * p.D4, p.scale);
}

function forwardBlock(p: Problem, sc: Scratch, b: i32, h: i32, i0: i32, rows: i32): void {
  const kh = (h * p.Hkv) / p.H;
  const vHead = p.v + (<usize>((b * p.Hkv + kh) * p.TkP * p.Dv4) << 2);
  const Dv4 = p.Dv4;
  const lo = blockKeyLo(p, b, i0, rows) & ~3, hi = blockKeyHi(p, b, i0, rows);
  const wantWeights = p.weights != 0;
  const pv = p.dropMode != 0 ? sc.pd : sc.s;
  // sweep 1: online softmax (and, without weights, the output too)
  sweepKeys(p, sc, b, h, i0, rows, lo, hi);
  // sweep 2 (weights asked for): exact weights from the final statistics, and the output from them
  if (wantWeights) {
    for (let r = 0; r < rows && i0 + r < p.Tq; r++) {
      memory.fill(f32At(p.weights, ((b * p.H + h) * p.Tq + i0 + r) * p.Tk), 0, <usize>p.Tk << 2);
    }
    for (let j0 = lo; j0 < hi; j0 = blockEnd(j0, hi)) {
      const n = roundUp4(blockEnd(j0, hi) - j0);
      scoreTile(p, sc, b, h, kh, i0, rows, j0, n);
      finalWeights(sc, rows, n, sc.m, sc.l);
      for (let r = 0; r < rows && i0 + r < p.Tq; r++) {
        const w = f32At(p.weights, ((b * p.H + h) * p.Tq + i0 + r) * p.Tk + j0);
        memory.copy(w, f32At(sc.s, r * KB), <usize>(min(n, p.Tk - j0)) << 2);
      }
      if (p.dropMode != 0) applyDropout(p, sc, b, h, i0, rows, j0, n);
      accumulateVisible(p, sc, rows, n, pv, f32At(vHead, j0 * Dv4));
    }
  }
  // out = O / l (already normalized with weights); rows that see no key stay exactly zero
  for (let r = 0; r < rows && i0 + r < p.Tq; r++) {
    const row = (b * p.H + h) * p.Tq + i0 + r;
    const m = load<f32>(f32At(sc.m, r)), l = load<f32>(f32At(sc.l, r));
    store<f32>(f32At(p.rowMax, row), m);
    store<f32>(f32At(p.rowSum, row), l);
    const out = f32At(p.out, ((b * p.H + h) * p.TqP + i0 + r) * Dv4), o = f32At(sc.o, r * Dv4);
    if (m == NEG_INF) { memory.fill(out, 0, <usize>Dv4 << 2); continue; }
    const inv = f32x4.splat(wantWeights ? 1 : l);
    for (let d = 0; d < Dv4; d += 4) v128.store(f32At(out, d), f32x4.div(v128.load(f32At(o, d)), inv));
  }
}

/**
 * Sweep 1 of the forward for rows [i0, i0 + rows) of head h over keys [lo, hi) (lo a multiple of 4, the
 * range inside what the rows see): from m = −∞, l = 0, O = 0, the online softmax of each key tile into sc.m
 * and sc.l, and (unless the weights are asked for, which a second sweep then writes) the unnormalized output
 * O = Σ_j e^(s_j − m)·p̃_j v_j into sc.o.
 */
export function sweepKeys(p: Problem, sc: Scratch, b: i32, h: i32, i0: i32, rows: i32, lo: i32, hi: i32): void {
  const kh = (h * p.Hkv) / p.H;
  const vHead = p.v + (<usize>((b * p.Hkv + kh) * p.TkP * p.Dv4) << 2);
  const Dv4 = p.Dv4;
  memory.fill(sc.o, 0, <usize>(rows * Dv4) << 2);
  for (let r = 0; r < rows; r++) { store<f32>(f32At(sc.m, r), NEG_INF); store<f32>(f32At(sc.l, r), 0); }
  const wantWeights = p.weights != 0;
  const pv = p.dropMode != 0 ? sc.pd : sc.s;
  for (let j0 = lo; j0 < hi; j0 = blockEnd(j0, hi)) {
    const n = roundUp4(blockEnd(j0, hi) - j0);
    scoreTile(p, sc, b, h, kh, i0, rows, j0, n);
    onlineSoftmax(sc, rows, n, Dv4, !wantWeights);
    if (wantWeights) continue;
    if (p.dropMode != 0) applyDropout(p, sc, b, h, i0, rows, j0, n);
    accumulateVisible(p, sc, rows, n, pv, f32At(vHead, j0 * Dv4));
  }
}

/**
 * One key tile of the online softmax: m_new = max(m, tile max), P = e^(S − m_new) in place,
 * l = l·e^(m − m_new) + Σ P, and (when the output is accumulated here) O·e^(m − m_new).
 */
function onlineSoftmax(sc: Scratch, rows: i32, n: i32, Dv4: i32, rescaleOutput: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = sc.s + (<usize>(r * KB) << 2);
    const mOld = load<f32>(f32At(sc.m, r));
    const mNew = max(mOld, rowMaxOf(row, n));
    if (mNew == NEG_INF) { memory.fill(row, 0, <usize>n << 2); continue; } // nothing visible yet
    const mv = f32x4.splat(mNew);
    let sum = f32x4.splat(0);
    for (let j = 0; j < n; j += 4) {
      const at = f32At(row, j);
      const e = exp4(f32x4.sub(v128.load(at), mv));
      v128.store(at, e);
      sum = f32x4.add(sum, e);
    }
    const alpha = exp1(mOld - mNew); // 0 when mOld = −∞
    store<f32>(f32At(sc.l, r), load<f32>(f32At(sc.l, r)) * alpha + hsum(sum));
    store<f32>(f32At(sc.m, r), mNew);
    if (rescaleOutput && alpha != 1) {
      const av = f32x4.splat(alpha), o = sc.o + (<usize>(r * Dv4) << 2);
      for (let d = 0; d < Dv4; d += 4) v128.store(f32At(o, d), f32x4.mul(v128.load(f32At(o, d)), av));
    }
  }
}

// ---------------------------------------------------------------- backward

/** Δ_i = dO_i·O_i + Σ_j p_ij dW_ij over visible keys, for flat rows [first, end) of [B, H, Tq]. */
export function attentionBackwardDelta(params: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  for (let row = first; row < end; row++) {
    const bh = row / p.Tq, i = row % p.Tq, b = bh / p.H, h = bh % p.H;
    if (load<f32>(f32At(p.rowMax, row)) == NEG_INF) { store<f32>(f32At(p.delta, row), 0); continue; }
    const at = (bh * p.TqP + i) * p.Dv4;
    let acc = f32x4.splat(0);
    for (let d = 0; d < p.Dv4; d += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(f32At(p.dO, at + d)), v128.load(f32At(p.out, at + d))));
    let delta = hsum(acc);
    if (p.dWeights != 0) {
      const lo = keyLo(p, i), hi = keyHi(p, b, i), w = row * p.Tk;
      for (let j = lo; j < hi; j++) {
        if (explicitAllows(p, b, h, i, j)) delta += load<f32>(f32At(p.weights, w + j)) * load<f32>(f32At(p.dWeights, w + j));
      }
    }
    store<f32>(f32At(p.delta, row), delta);
  }
}

/**
 * The gradient tile of rows [i0, i0 + rows) × keys [j0, j0 + n): P (in sc.s), P̃ (in sc.pd with dropout),
 * and dS = P ∘ (dO Vᵀ ∘ keep + dW − Δ) in sc.ds, exactly 0 where P is 0.
 */
function gradientTile(p: Problem, sc: Scratch, b: i32, h: i32, kh: i32, i0: i32, rows: i32, j0: i32, n: i32): void {
  scoreTile(p, sc, b, h, kh, i0, rows, j0, n);
  // final statistics of the rows (padding rows see nothing)
  const stat = (b * p.H + h) * p.Tq + i0;
  for (let r = 0; r < rows; r++) {
    const real = i0 + r < p.Tq;
    store<f32>(f32At(sc.m, r), real ? load<f32>(f32At(p.rowMax, stat + r)) : NEG_INF);
    store<f32>(f32At(sc.l, r), real ? load<f32>(f32At(p.rowSum, stat + r)) : 0);
  }
  finalWeights(sc, rows, n, sc.m, sc.l);
  if (p.dropMode != 0) applyDropout(p, sc, b, h, i0, rows, j0, n);
  const dOBlock = p.dO + (<usize>(((b * p.H + h) * p.TqP + i0) * p.Dv4) << 2);
  rowsTimesPackedKeys(rows, n, p.Dv, dOBlock, p.Dv4, packedAt(p.vt, p, b * p.Hkv + kh, p.Dv4, j0), sc.ds); // dP
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    if (i0 + r >= p.Tq) { memory.fill(sc.ds + (<usize>(r * KB) << 2), 0, <usize>n << 2); continue; }
    const delta = f32x4.splat(load<f32>(f32At(p.delta, stat + r)));
    const off = r * KB;
    const dW = p.dWeights != 0 ? f32At(p.dWeights, (stat + r) * p.Tk + j0) : 0;
    for (let j = 0; j < n; j += 4) {
      let dP = v128.load(f32At(sc.ds, off + j));
      if (p.dropMode != 0) dP = f32x4.mul(dP, v128.load(f32At(sc.keep, off + j)));
      if (dW != 0) {
        dP = f32x4.add(dP, loadPartial(dW, j, p.Tk - j0));
      }
      const pr = v128.load(f32At(sc.s, off + j));
      const dS = f32x4.mul(pr, f32x4.sub(dP, delta));
      v128.store(f32At(sc.ds, off + j), v128.bitselect(zero, dS, f32x4.eq(pr, zero)));
    }
  }
}

/** Four floats of `base` starting at index j, zero for indices ≥ limit. */
function loadPartial(base: usize, j: i32, limit: i32): v128 {
  if (j + 4 <= limit) return v128.load(f32At(base, j));
  let v = f32x4.splat(0);
  if (j < limit) v = f32x4.replace_lane(v, 0, load<f32>(f32At(base, j)));
  if (j + 1 < limit) v = f32x4.replace_lane(v, 1, load<f32>(f32At(base, j + 1)));
  if (j + 2 < limit) v = f32x4.replace_lane(v, 2, load<f32>(f32At(base, j + 2)));
  return v;
}

/** dK and dV for work items [first, end): item = (b·Hkv + kh)·blocks + key block, blocks = ⌈TkP / KB⌉. */
export function attentionBackwardKeyValue(params: usize, scratch: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  const sc = scratchAt(scratch, p);
  const blocks = (p.TkP + KB - 1) / KB;
  const group = p.H / p.Hkv;
  for (let item = first; item < end; item++) {
    const bkh = item / blocks, j0 = (item % blocks) * KB;
    const b = bkh / p.Hkv, kh = bkh % p.Hkv;
    const n = min(KB, p.TkP - j0);
    const dk = f32At(p.dk, (bkh * p.TkP + j0) * p.D4), dv = f32At(p.dv, (bkh * p.TkP + j0) * p.Dv4);
    memory.fill(dk, 0, <usize>(n * p.D4) << 2);
    memory.fill(dv, 0, <usize>(n * p.Dv4) << 2);
    for (let h = kh * group; h < (kh + 1) * group; h++) {
      for (let i0 = 0; i0 < p.TqP; i0 += QB) {
        const rows = min(QB, p.TqP - i0);
        if (blockKeyLo(p, b, i0, rows) >= j0 + n || blockKeyHi(p, b, i0, rows) <= j0) continue; // sees none of these keys
        gradientTile(p, sc, b, h, kh, i0, rows, j0, n);
        const qBlock = p.q + (<usize>(((b * p.H + h) * p.TqP + i0) * p.D4) << 2);
        const dOBlock = p.dO + (<usize>(((b * p.H + h) * p.TqP + i0) * p.Dv4) << 2);
        accumulateWeightsTransposedTimesRows(p, n, p.Dv4, rows, p.dropMode != 0 ? sc.pd : sc.s, dOBlock, dv, p.Dv4); // dV += P̃ᵀ dO
        accumulateWeightsTransposedTimesRows(p, n, p.D4, rows, sc.ds, qBlock, dk, p.D4); // dK += dSᵀ Q' = scale·dSᵀ Q
      }
    }
  }
}

/** dQ for work items [first, end): item = (b·H + h)·blocks + query block, as in the forward. */
export function attentionBackwardQuery(params: usize, scratch: usize, first: i32, end: i32): void {
  const p = changetype<Problem>(params);
  const sc = scratchAt(scratch, p);
  const blocks = (p.TqP + QB - 1) / QB;
  for (let item = first; item < end; item++) {
    const bh = item / blocks, i0 = (item % blocks) * QB;
    const b = bh / p.H, h = bh % p.H, kh = (h * p.Hkv) / p.H;
    const rows = min(QB, p.TqP - i0);
    const dq = f32At(p.dq, (bh * p.TqP + i0) * p.D4);
    memory.fill(dq, 0, <usize>(rows * p.D4) << 2);
    const kHead = f32At(p.k, (b * p.Hkv + kh) * p.TkP * p.D4);
    const lo = blockKeyLo(p, b, i0, rows) & ~3, hi = blockKeyHi(p, b, i0, rows);
    for (let j0 = lo; j0 < hi; j0 = blockEnd(j0, hi)) {
      const n = roundUp4(blockEnd(j0, hi) - j0);
      gradientTile(p, sc, b, h, kh, i0, rows, j0, n);
      accumulateWeightsTimesRows(p, rows, p.D4, n, sc.ds, f32At(kHead, j0 * p.D4), dq, p.D4); // dQ += dS (K − c)
    }
    const scale = f32x4.splat(p.scale);
    for (let x = 0; x < rows * p.D4; x += 4) v128.store(f32At(dq, x), f32x4.mul(v128.load(f32At(dq, x)), scale));
  }
}
