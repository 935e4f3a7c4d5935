import { Random } from "../tensor/random.js";
import { Tensor, type NestedArray } from "../tensor/tensor.js";
export type InitializerFunction = (shape: number[]) => Tensor | NestedArray | Float32Array;
/** A weight initializer: Glorot, He, narrow normal (σ 0.01), zeros, ones, or a function of the shape. */
export type Initializer = "glorot" | "he" | "narrow-normal" | "zeros" | "ones" | InitializerFunction;
export declare function initialize(init: Initializer, shape: number[], fan: {
    numIn: number;
    numOut: number;
}, random: Random, where: string): Tensor;
export declare function checkInitializer(init: unknown, allowed: readonly string[], where: string): void;
