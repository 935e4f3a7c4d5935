import { Tensor, type TensorLike } from "../tensor.js";
/** Inverted dropout: x·keep/(1 − rate) with a keep mask determined by the seed; same shape as x. */
export declare function dropout(x: TensorLike, rate: number, seed: number): Tensor;
