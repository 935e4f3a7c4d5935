export type Shape = readonly number[];
/** Number of elements of a shape (1 for a scalar shape []). */
export declare function sizeOf(shape: Shape): number;
/** Row-major strides: stride[i] = product of shape[i+1..]. */
export declare function stridesOf(shape: Shape): number[];
export declare function formatShape(shape: Shape): string;
export declare function sameShape(a: Shape, b: Shape): boolean;
/** Normalizes a possibly negative axis against a rank; throws on out-of-range axes. */
export declare function normalizeAxis(axis: number, rank: number, where: string): number;
/** NumPy broadcasting: align right, sizes must match or be 1. */
export declare function broadcastShapes(a: Shape, b: Shape, where: string): number[];
/** For each flat index of `shape` (row-major), the offset Σ idx[i]·strides[i] (an odometer walk). */
export declare function stridedIndex(shape: Shape, strides: readonly number[]): Int32Array;
/**
 * For every flat index of `outShape`, the flat index of the element of `inShape` that broadcasts to it.
 * `inShape` must broadcast to `outShape` (checked by the caller).
 */
export declare function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array;
