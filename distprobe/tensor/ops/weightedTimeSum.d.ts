import { Tensor } from "../tensor.js";
export declare function weightedTimeSum(x: Tensor, w: Float32Array): Tensor;
