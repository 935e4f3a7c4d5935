import { Tensor, type TensorLike } from "../tensor.js";
/** Same values, new shape (one axis may be −1, inferred). The gradient is reshaped back. */
export declare function reshape(x: TensorLike, shape: readonly number[]): Tensor;
/** Permutes axes: y.shape[i] = x.shape[perm[i]] (reverses them when perm is omitted). */
export declare function transpose(x: TensorLike, perm?: readonly number[]): Tensor;
/** The general path of transpose (an index map), for testing the fast one. */
export declare function transposeReference(x: TensorLike, perm?: readonly number[]): Tensor;
/** The block [start, end) along one axis. */
export declare function slice(x: TensorLike, axis: number, start: number, end: number): Tensor;
/** Joins tensors along an existing axis; all other axes must agree. */
export declare function concat(xs: readonly TensorLike[], axis: number): Tensor;
/** Joins equally shaped tensors along a new axis. */
export declare function stack(xs: readonly TensorLike[], axis?: number): Tensor;
/**
 * Stacks [Tᵢ, ...rest] tensors into [B, T, ...rest] (T ≥ every Tᵢ), zero-filled after each Tᵢ: padding a
 * mini-batch in one copy. The gradient of row i is its first Tᵢ steps.
 */
export declare function stackPadded(xs: readonly TensorLike[], T: number): Tensor;
/** Broadcasts to a larger shape (NumPy rules); the gradient sums over the broadcast axes. */
export declare function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor;
/** Rows of a table: table [V, D], indices (integers in [0, V)) → [...indices shape, D]; the gradient scatter-adds. */
export declare function gather(table: TensorLike, indices: readonly number[], indexShape?: readonly number[]): Tensor;
