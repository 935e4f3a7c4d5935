// The attention problem as the host lays it out in linear memory (src/kernels/wasm/attention.ts writes
// these fields in this order, one 32-bit word each), and the mask and dropout rules of
// src/kernels/attention/problem.ts and src/kernels/hash.ts, bit for bit.
// Padded layouts: D4, Dv4 = D, Dv rounded up to 4; TqP, TkP = Tq, Tk rounded up to 4; padding is zero.
//   q, out, dO, dq  [B, H, TqP, D4 or Dv4]     k, dk [B, Hkv, TkP, D4]    v, dv [B, Hkv, TkP, Dv4]
//   kt [B, Hkv, ⌈TkP/KB⌉, D4, KB] and vt [B, Hkv, ⌈TkP/KB⌉, Dv4, KB] (keys and values transposed in blocks of
//   KB keys, packed by attentionPack, which also scales q by `scale` and centers k in place)
//   rowMax, rowSum, delta [B, H, Tq]   weights, dWeights [B, H, Tq, Tk] (unpadded, as the API has them)

@unmanaged export class Problem {
  B: i32; H: i32; Hkv: i32; Tq: i32; Tk: i32; D: i32; Dv: i32;
  D4: i32; Dv4: i32; TqP: i32; TkP: i32;
  /** 0 none, 1 top-left, 2 bottom-right */
  causal: i32;
  /** 0 = no window */
  window: i32;
  /** i32 per batch row, or 0 */
  keyLengths: usize;
  /** one byte per mask element (nonzero = attend), or 0; strides in elements, 0 along broadcast axes */
  mask: usize; maskSb: i32; maskSh: i32; maskSi: i32; maskSj: i32;
  /** 0 no dropout, 1 dropout, 2 every weight dropped */
  dropMode: i32;
  dropSeed: i32;
  /** keep when the 32-bit hash ≥ this, i.e. hash / 2³² ≥ rate */
  dropThreshold: u32;
  keepScale: f32; // 1 / (1 − rate)
  scale: f32;
  /** 1 when some input holds NaN or ±∞: products then skip zero weights instead of multiplying by them */
  careful: i32;
  q: usize; k: usize; v: usize; kt: usize; vt: usize; out: usize;
  rowMax: usize; rowSum: usize; weights: usize;
  dO: usize; delta: usize; dWeights: usize; dq: usize; dk: usize; dv: usize;
  /** [B·Hkv, attentionStatsWords()]: what attentionPack measured of each kv head's inputs; with splitKeys, then one such row per split-K item */
  stats: usize;
  /** 1: the split-K forward (attentionDecode.ts), whose items measure k and v themselves (attentionPack measures only q) */
  splitKeys: i32;
  /** 1: the host measured k and v itself (a decoding cache resident in memory, measured as it was copied in): the split-K items do not */
  keysMeasured: i32;
}

/** First key row i of batch b sees (causal/window/key-length rules; padding rows i ≥ Tq see none). */
export function keyLo(p: Problem, i: i32): i32 {
  if (p.window == 0) return 0;
  const diagonal = p.causal == 2 ? i + p.Tk - p.Tq : i;
  return max(0, diagonal - p.window + 1);
}

/** One past the last key row i of batch b sees (never below keyLo). */
export function keyHi(p: Problem, b: i32, i: i32): i32 {
  const lo = keyLo(p, i);
  if (i >= p.Tq) return lo;
  let hi = p.Tk;
  if (p.keyLengths != 0) hi = min(hi, load<i32>(p.keyLengths + (<usize>b << 2)));
  const diagonal = p.causal == 2 ? i + p.Tk - p.Tq : i;
  if (p.causal != 0) hi = min(hi, diagonal + 1);
  else if (p.window != 0) hi = min(hi, diagonal + p.window);
  return max(lo, hi);
}

/** Whether the explicit mask lets query (b, h, i) see key j. */
// @ts-ignore: decorator
@inline export function explicitAllows(p: Problem, b: i32, h: i32, i: i32, j: i32): bool {
  if (p.mask == 0) return true;
  return load<u8>(p.mask + <usize>(b * p.maskSb + h * p.maskSh + i * p.maskSi + j * p.maskSj)) != 0;
}

/** MurmurHash3's 32-bit finalizer. */
// @ts-ignore: decorator
@inline function mix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** Dropout multiplier of weight number `counter` (flat index into [B, H, Tq, Tk]): 0 or 1/(1 − rate). */
export function keepFactor(p: Problem, counter: u64): f32 {
  if (p.dropMode == 0) return 1;
  if (p.dropMode == 2) return 0;
  const lo = <u32>counter, hi = <u32>(counter >>> 32);
  const h = mix32(mix32(<u32>p.dropSeed ^ 0x9e3779b9) ^ lo ^ mix32(hi + 0x632be5ab));
  return h >= p.dropThreshold ? p.keepScale : 0;
}
