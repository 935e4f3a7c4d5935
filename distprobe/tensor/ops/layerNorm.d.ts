import { Tensor } from "../tensor.js";
export declare function layerNorm(x: Tensor, scale: Tensor, offset: Tensor, epsilon: number): Tensor;
/** The same normalization composed from ops (the reference the fused node is tested against). */
export declare function layerNormReference(x: Tensor, scale: Tensor, offset: Tensor, epsilon: number): Tensor;
