// The attention problem every kernel solves, and the one mask rule that forward, backward and the
// reference all use. Letters: B batch, H query heads, Hkv key/value heads, Tq queries, Tk keys,
// D key size, Dv value size.

export interface ExplicitMask {
  /** nonzero = attend; indexed with the broadcast strides below (0 along broadcast axes) */
  data: Float32Array | Uint8Array;
  strides: [number, number, number, number]; // for [B, H, Tq, Tk]
}

export interface MaskSpec {
  /** query i sees keys j ≤ i + offset; offset = 0 top-left, Tk − Tq bottom-right */
  causal: false | "topLeft" | "bottomRight";
  /** with causal: keys j > diagonal − window; without: |j − diagonal| < window */
  window?: number;
  /** per batch row: keys j < keyLengths[b] */
  keyLengths?: readonly number[];
  explicit?: ExplicitMask;
}

/** Enough to decide which keys a query row sees. */
export interface MaskGeometry {
  Tq: number;
  Tk: number;
  mask: MaskSpec;
}

/** One attention call as a kernel sees it: flat row-major q [B, H, Tq, D], k [B, Hkv, Tk, D], v [B, Hkv, Tk, Dv], scale, masks and dropout. */
export interface AttentionProblem extends MaskGeometry {
  B: number; H: number; Hkv: number; D: number; Dv: number;
  q: Float32Array; // [B, H, Tq, D]
  k: Float32Array; // [B, Hkv, Tk, D]
  v: Float32Array; // [B, Hkv, Tk, Dv]
  /**
   * q [B, Tq, H, D], k [B, Tk, Hkv, D], v [B, Tk, Hkv, Dv] instead, and out, dOut, dq, dk, dv likewise (heads
   * last: a projection's output as it is; ./headsLayout.ts); only for a kernel whose `headsLast` is true
   */
  headsLast?: boolean;
  scale: number;
  /** dropout on the attention weights (training); keep(b,h,i,j) is regenerated from the seed */
  dropout?: { rate: number; seed: number };
}

/** A kernel's forward result: the output [B, H, Tq, Dv], each row's log-sum-exp, and the weights when asked for. */
export interface AttentionForward {
  out: Float32Array; // [B, H, Tq, Dv]
  /**
   * Per query row, the softmax statistics the backward rebuilds p from: p_ij = exp(s_ij − rowMax_i) / rowSum_i,
   * rowMax_i = max_j s_ij and rowSum_i = Σ_j exp(s_ij − rowMax_i) over visible keys; rowMax = −∞ and rowSum = 0
   * for a row that sees no key. Max and sum are kept apart (not folded into lse = max + log sum): once
   * |max| ≳ 1e15 (float64) or ≳ 1e7 (float32), max + log sum rounds back to max and equal scores would get
   * weight 1 each. A kernel must recompute s_ij bit for bit as its forward did, so exp(s − max) is exact.
   */
  rowMax: Float32Array | Float64Array; // [B, H, Tq]
  rowSum: Float32Array | Float64Array; // [B, H, Tq]
  /** softmax weights before dropout, when asked for */
  weights?: Float32Array; // [B, H, Tq, Tk]
}

/** A kernel's backward result: the gradients of q, k and v, in their shapes. */
export interface AttentionGrads {
  dq: Float32Array; dk: Float32Array; dv: Float32Array;
}

/** A forward/backward pair. The backward recomputes probabilities from the saved row max and row sum. */
export interface AttentionKernel {
  readonly name: string;
  /** it also takes problems whose heads are last (AttentionProblem.headsLast) */
  readonly headsLast?: boolean;
  forward(p: AttentionProblem, wantWeights: boolean): AttentionForward;
  backward(p: AttentionProblem, fwd: AttentionForward, dOut: Float32Array | null, dWeights: Float32Array | null): AttentionGrads;
}

/** Key head used by query head h (grouped-query attention). */
export function kvHeadOf(h: number, H: number, Hkv: number): number {
  return Math.floor((h * Hkv) / H);
}

/** The half-open range [lo, hi) of keys that causal, window and key-length rules leave visible to row i. */
export function keyRange(p: MaskGeometry, b: number, i: number): [number, number] {
  const { mask, Tq, Tk } = p;
  let lo = 0;
  let hi = Tk;
  if (mask.keyLengths) hi = Math.min(hi, mask.keyLengths[b]);
  const diagonal = mask.causal === "bottomRight" ? i + Tk - Tq : i;
  if (mask.causal) hi = Math.min(hi, diagonal + 1);
  if (mask.window !== undefined) {
    lo = Math.max(lo, diagonal - mask.window + 1);
    if (!mask.causal) hi = Math.min(hi, diagonal + mask.window);
  }
  return [lo, Math.max(lo, hi)];
}

/** Whether the explicit boolean mask (if any) lets query (b, h, i) see key j. */
export function explicitAllows(p: MaskGeometry, b: number, h: number, i: number, j: number): boolean {
  const e = p.mask.explicit;
  if (!e) return true;
  const [sb, sh, si, sj] = e.strides;
  return e.data[b * sb + h * sh + i * si + j * sj] !== 0;
}
