import type { Tensor } from "../../tensor/tensor.js";
import type { OnnxGraph } from "./onnxGraph.js";
import type { OnnxContext, OnnxValue } from "./translator.js";
/** The lowest float32: masked scores become this before softmax (finite, so a row with no allowed key gives a uniform row, then zeros, never NaN). */
export declare const LOWEST_FLOAT32 = -3.4028234663852886e+38;
/** Wᵀ of a [rows, cols] matrix, as [cols, rows] data. */
export declare function transposed(w: Tensor): Float32Array;
/** y = x Wᵀ (+ b) on the last axis; W [out, in]. */
export declare function linear(g: OnnxGraph, x: string, w: Tensor, b: Tensor | undefined, hint: string): string;
/** Shape(x)[axis] as an int64 [1] tensor. */
export declare function dim(g: OnnxGraph, x: string, axis: number, hint: string): string;
/** The sequence mask as bool [B, 1, 1, T] (keys allowed), or undefined when the value is not padded. */
export declare function keyPaddingMask(context: OnnxContext, value: OnnxValue): string | undefined;
/** A [B, T] float mask (nonzero = allowed) as bool [B, 1, 1, T]. */
export declare function boolKeyMask(g: OnnxGraph, mask: string, hint: string): string;
/**
 * Causal attention as bool [Tq, Tk]: query i sees key j when j ≤ i (and, with a window w, j > i − w).
 * Tq and Tk are read from the query and key values' time axes.
 */
export declare function causalMask(g: OnnxGraph, query: string, key: string, window: number | undefined, hint: string): string;
/** AND of the given bool masks (undefined ones are ignored); undefined when none is given. */
export declare function allOf(g: OnnxGraph, masks: (string | undefined)[], hint: string): string | undefined;
/**
 * Attention weights from scores [.., Tq, Tk]: softmax over keys where `allowed`, zero elsewhere, and an
 * all-zero row for a query that sees no key (the library's rule, never NaN).
 */
export declare function maskedSoftmax(g: OnnxGraph, scores: string, allowed: string | undefined, hint: string): string;
