import { Tensor, type TensorLike } from "../tensor.js";
/** x where keep ≠ 0, exactly 0 elsewhere (even where x is NaN); keep broadcasts to x and gets no gradient. */
export declare function keepWhere(x: TensorLike, keep: TensorLike): Tensor;
/** keepWhere through the general index map (the reference for the broadcast-plan path). */
export declare function keepWhereReference(x: TensorLike, keep: TensorLike): Tensor;
