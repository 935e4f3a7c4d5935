import { Tensor } from "../tensor.js";
export declare function lstmRecurrence(p: Tensor, r: Tensor, bias: Tensor, lastSteps?: readonly number[]): Tensor;
