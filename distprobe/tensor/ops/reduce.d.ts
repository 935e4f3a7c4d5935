import { Tensor, type TensorLike } from "../tensor.js";
/** Σ over `axis` (all axes when omitted). */
export declare function sum(x: TensorLike, axis?: number | number[], keepDims?: boolean): Tensor;
/** The general path of sum (an index map from input to output elements), for testing the fast one. */
export declare function sumReference(x: TensorLike, axis?: number | number[], keepDims?: boolean): Tensor;
/** Mean over `axis` (all axes when omitted). */
export declare function mean(x: TensorLike, axis?: number | number[], keepDims?: boolean): Tensor;
