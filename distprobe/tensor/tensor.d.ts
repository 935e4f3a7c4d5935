import { type Shape } from "./shape.js";
/** Nested JavaScript arrays of numbers or booleans, e.g. [[1, 2], [3, 4]] for shape [2, 2]. */
export type NestedArray = number | boolean | NestedArray[];
/**
 * An n-dimensional float32 array: row-major `data` and its `shape`; ops record gradients on it inside valueAndGrad.
 * @example tensor([[1, 2], [3, 4]]).shape // [2, 2]
 */
export declare class Tensor {
    readonly shape: readonly number[];
    readonly data: Float32Array;
    constructor(data: Float32Array, shape: Shape);
    get rank(): number;
    get size(): number;
    /** The single value of a one-element tensor. */
    item(): number;
    /** Nested plain arrays (a number for a scalar). */
    toArray(): NestedArray;
    toString(): string;
}
/** Throws unless `shape` is an array of non-negative integers. */
export declare function checkShape(shape: unknown, where: string): asserts shape is Shape;
/** Largest element count of one tensor (a Float32Array of 2³¹ − 1 values, 8 GiB). */
export declare const MAX_TENSOR_SIZE: number;
/** Throws when a shape holds more values than one Float32Array can (instead of a RangeError from inside). */
export declare function checkSize(shape: Shape, where: string): void;
/** Shape of a rectangular nested array of numbers (or booleans); throws on ragged input or other leaves. */
export declare function nestedShape(values: NestedArray, where?: string): number[];
/** True for a rectangular nested array (any rank), false for a ragged one. */
export declare function isRectangular(values: NestedArray): boolean;
/**
 * Makes a tensor from nested arrays, a flat array or a Float32Array (shape required for flat data
 * of rank ≠ 1). A Float32Array is used as is, not copied.
 */
export declare function tensor(values: NestedArray | Float32Array | readonly number[], shape?: Shape, where?: string): Tensor;
/** A tensor of zeros of the given shape. */
export declare function zeros(shape: Shape): Tensor;
/** A tensor of the given shape filled with one value. */
export declare function full(shape: Shape, value: number): Tensor;
/** What functions accept as an array: a Tensor, nested arrays of numbers (booleans for masks), or a Float32Array (a vector). */
export type TensorLike = Tensor | NestedArray | Float32Array;
/** What apply gives back for an input of type T: tensors in, a tensor out; nested arrays in, nested arrays out. */
export type Mirror<T> = T extends Tensor ? Tensor : NestedArray[];
/**
 * The result for nested-array input, where one sequence and a ragged list of sequences are told apart only at
 * run time: R, or a list of R (a list of nested arrays is itself nested arrays, so then just R).
 */
export type OneOrList<R> = R extends NestedArray[] ? R : R | R[];
/** A tensor as is, or nested arrays converted; `where` names the caller in errors. */
export declare function asTensor(x: TensorLike, where?: string): Tensor;
