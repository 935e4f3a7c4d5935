import { Tensor, type TensorLike } from "../tensor.js";
/** x·Wᵀ for weights stored [n, k]: x [.., k] → [.., n], leading axes folded into one matrix product. */
export declare function linear(x: TensorLike, weights: TensorLike): Tensor;
