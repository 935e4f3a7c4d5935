import { Tensor, type TensorLike } from "../tensor.js";
/** Matrix product over the last two axes with NumPy-style broadcasting of the leading axes: [.., m, k] × [.., k, n] → [.., m, n]. */
export declare function matmul(x: TensorLike, y: TensorLike): Tensor;
