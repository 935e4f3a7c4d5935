import { Tensor, type TensorLike } from "../tensor.js";
/** softmax along an axis (default the last): e^(x − max) / Σ e^(x − max). */
export declare function softmax(x: TensorLike, axis?: number): Tensor;
/** Softmax restricted to entries where `allowed` ≠ 0 (same shape as x). */
export declare function maskedSoftmax(x: TensorLike, allowed: TensorLike, axis?: number): Tensor;
/** log(softmax(x)) along an axis (default the last), computed stably as x − max − log Σ e^(x − max). */
export declare function logSoftmax(x: TensorLike, axis?: number): Tensor;
