export interface ExplicitMask {
    /** nonzero = attend; indexed with the broadcast strides below (0 along broadcast axes) */
    data: Float32Array | Uint8Array;
    strides: [number, number, number, number];
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
    B: number;
    H: number;
    Hkv: number;
    D: number;
    Dv: number;
    q: Float32Array;
    k: Float32Array;
    v: Float32Array;
    scale: number;
    /** dropout on the attention weights (training); keep(b,h,i,j) is regenerated from the seed */
    dropout?: {
        rate: number;
        seed: number;
    };
}
/** A kernel's forward result: the output [B, H, Tq, Dv], each row's log-sum-exp, and the weights when asked for. */
export interface AttentionForward {
    out: Float32Array;
    /**
     * Per query row, the softmax statistics the backward rebuilds p from: p_ij = exp(s_ij − rowMax_i) / rowSum_i,
     * rowMax_i = max_j s_ij and rowSum_i = Σ_j exp(s_ij − rowMax_i) over visible keys; rowMax = −∞ and rowSum = 0
     * for a row that sees no key. Max and sum are kept apart (not folded into lse = max + log sum): once
     * |max| ≳ 1e15 (float64) or ≳ 1e7 (float32), max + log sum rounds back to max and equal scores would get
     * weight 1 each. A kernel must recompute s_ij bit for bit as its forward did, so exp(s − max) is exact.
     */
    rowMax: Float32Array | Float64Array;
    rowSum: Float32Array | Float64Array;
    /** softmax weights before dropout, when asked for */
    weights?: Float32Array;
}
/** A kernel's backward result: the gradients of q, k and v, in their shapes. */
export interface AttentionGrads {
    dq: Float32Array;
    dk: Float32Array;
    dv: Float32Array;
}
/** A forward/backward pair. The backward recomputes probabilities from the saved row max and row sum. */
export interface AttentionKernel {
    readonly name: string;
    forward(p: AttentionProblem, wantWeights: boolean): AttentionForward;
    backward(p: AttentionProblem, fwd: AttentionForward, dOut: Float32Array | null, dWeights: Float32Array | null): AttentionGrads;
}
/** Key head used by query head h (grouped-query attention). */
export declare function kvHeadOf(h: number, H: number, Hkv: number): number;
/** The half-open range [lo, hi) of keys that causal, window and key-length rules leave visible to row i. */
export declare function keyRange(p: MaskGeometry, b: number, i: number): [number, number];
/** Whether the explicit boolean mask (if any) lets query (b, h, i) see key j. */
export declare function explicitAllows(p: MaskGeometry, b: number, h: number, i: number, j: number): boolean;
/** Number of keys query row (b, h, i) can see under every rule. */
export declare function visibleKeyCount(p: MaskGeometry, b: number, h: number, i: number): number;
