import type { ExplicitMask } from "../kernels/attention/problem.js";
import { Tensor, type NestedArray, type TensorLike } from "../tensor/tensor.js";
/** Options of dotProductAttention: scale, causal/window/key-length/boolean masks (true = attend), dropout, returned weights, kernel. */
export interface DotProductAttentionOptions {
    /** multiplies q·k; default 1/√D */
    scale?: number;
    /** true / "topLeft": query i sees keys j ≤ i; "bottomRight": j ≤ i + Tk − Tq (incremental decoding) */
    causal?: boolean | "topLeft" | "bottomRight";
    /** local window: with causal, keys diagonal − window < j ≤ diagonal; without, |j − diagonal| < window */
    window?: number;
    /** per batch row: only keys j < keyLengths[b] are visible */
    keyLengths?: readonly number[];
    /** boolean mask broadcastable to [B, H, Tq, Tk]; true (nonzero) = attend */
    mask?: TensorLike;
    /** dropout on the attention weights (apply only in training); same seed, same result */
    dropout?: {
        rate: number;
        seed: number;
    };
    /** also return the softmax weights [B, H, Tq, Tk] (before dropout) */
    returnWeights?: boolean;
    /** kernel name: "wasm" (the default, fused WebAssembly SIMD) or "reference" (plain loops), or a registered one */
    implementation?: string;
}
/**
 * Scaled dot-product attention as one autodiff node: query [B, H, Tq, D], key [B, Hkv, Tk, D], value [B, Hkv, Tk, Dv] → [B, H, Tq, Dv] (H a multiple of Hkv); a query that sees no key gets zeros.
 * @example const y = dotProductAttention(q, k, v, { causal: true })
 */
export declare function dotProductAttention(query: Tensor, key: TensorLike, value: TensorLike, options: DotProductAttentionOptions & {
    returnWeights: true;
}): {
    output: Tensor;
    weights: Tensor;
};
export declare function dotProductAttention(query: Tensor, key: TensorLike, value: TensorLike, options?: DotProductAttentionOptions): Tensor;
export declare function dotProductAttention(query: NestedArray, key: TensorLike, value: TensorLike, options: DotProductAttentionOptions & {
    returnWeights: true;
}): {
    output: NestedArray;
    weights: NestedArray;
};
export declare function dotProductAttention(query: NestedArray, key: TensorLike, value: TensorLike, options?: DotProductAttentionOptions): NestedArray;
/** Throws unless every value is 0 or 1 (false or true): a mask of 2 or NaN is a mistake, not "attend". */
export declare function checkMaskValues(m: Tensor, where: string, port: string): void;
/** A boolean mask broadcast (right-aligned) to [B, H, Tq, Tk], as data plus strides. */
export declare function explicitMask(mask: TensorLike, target: [number, number, number, number], where?: string, port?: string): ExplicitMask;
