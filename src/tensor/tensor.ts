// The tensor: a Float32Array in row-major order plus a shape. Immutable by convention, except for
// parameters, whose data an optimizer updates in place.
import { formatShape, sizeOf, type Shape } from "./shape.js";
import { describe } from "../util/validate.js";

/** Nested JavaScript arrays of numbers or booleans, e.g. [[1, 2], [3, 4]] for shape [2, 2]. */
export type NestedArray = number | boolean | NestedArray[];

/** True only between uncheckedTensor's request and the constructor call it makes. */
let skipChecks = false;

/**
 * An n-dimensional float32 array: row-major `data` and its `shape`; ops record gradients on it inside valueAndGrad.
 * @example tensor([[1, 2], [3, 4]]).shape // [2, 2]
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;

  constructor(data: Float32Array, shape: Shape) {
    if (skipChecks) skipChecks = false; // uncheckedTensor's call
    else {
      if (!(data instanceof Float32Array)) throw new Error(`Tensor: data must be a Float32Array, got ${describe(data)}`);
      checkShape(shape, "Tensor");
      if (data.length !== sizeOf(shape)) {
        throw new Error(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${data.length}`);
      }
    }
    // a frozen shape (another tensor's) cannot change, so it is shared rather than copied
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.data = data;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new Error(`tensor.item: tensor of shape ${formatShape(this.shape)} is not a single value`);
    return this.data[0];
  }

  /** Nested plain arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[axis];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === this.shape.length - 1 ? this.data[offset + i] : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.data.length);
  }

  toString(): string {
    return `Tensor${formatShape(this.shape)}`;
  }
}

/**
 * A tensor made by library code whose data and shape agree by construction (an op's result, a gradient):
 * the same object as `new Tensor(data, shape)`, without re-checking what the caller's own code guarantees
 * (a Float32Array; a shape of non-negative integers, from validated tensors and arguments; sizeOf(shape)
 * values). Everything a user passes goes through the checked constructor or tensor()/asTensor().
 */
export function uncheckedTensor(data: Float32Array, shape: Shape): Tensor {
  skipChecks = true;
  return new Tensor(data, shape);
}

/** Throws unless `shape` is an array of non-negative integers. */
export function checkShape(shape: unknown, where: string): asserts shape is Shape {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  checkSize(shape, where);
}

/** Largest element count of one tensor (a Float32Array of 2³¹ − 1 values, 8 GiB). */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

/** Throws when a shape holds more values than one Float32Array can (instead of a RangeError from inside). */
export function checkSize(shape: Shape, where: string): void {
  if (sizeOf(shape) > MAX_TENSOR_SIZE) throw new Error(`${where}: shape ${formatShape(shape)} has ${sizeOf(shape)} values, more than a tensor can hold (${MAX_TENSOR_SIZE})`);
}

/** Position of a nested element for messages: [1, 0, 2]. */
const at = (path: number[]) => `[${path.join(", ")}]`;

/**
 * Shape of a rectangular nested array of numbers (or booleans, when `booleans`: masks and tensor() take them,
 * data never); throws on ragged input or other leaves.
 */
export function nestedShape(values: NestedArray, where = "tensor", booleans = true): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  const path: number[] = [];
  const check = (x: NestedArray, axis: number): void => {
    if (axis === shape.length) {
      if (Array.isArray(x)) throw new Error(`${where}: ragged nested array (extra depth at axis ${axis}, element ${at(path)})`);
      if (typeof x !== "number" && !(booleans && typeof x === "boolean")) {
        throw new Error(`${where}: expected numbers ${booleans ? "(or booleans)" : "(booleans only in masks)"}, got ${describe(x)} at ${path.length ? `element ${at(path)}` : "the top level"}`);
      }
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[axis]) {
      const got = Array.isArray(x) ? `length ${x.length}` : describe(x);
      throw new Error(`${where}: ragged nested array: expected length ${shape[axis]} at axis ${axis} (element ${at(path)}), got ${got}`);
    }
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      check(x[i], axis + 1);
      path.pop();
    }
  };
  check(values, 0);
  return shape;
}

/** True for a rectangular nested array (any rank), false for a ragged one. */
export function isRectangular(values: NestedArray): boolean {
  try {
    nestedShape(values);
    return true;
  } catch {
    return false;
  }
}

function flatten(values: NestedArray, out: Float32Array, at: { i: number }): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out, at);
  else out[at.i++] = typeof values === "boolean" ? (values ? 1 : 0) : values;
}

/**
 * Makes a tensor from nested arrays, a flat array or a Float32Array (shape required for flat data
 * of rank ≠ 1). A Float32Array is used as is, not copied.
 */
export function tensor(values: NestedArray | Float32Array | readonly number[], shape?: Shape, where = "tensor"): Tensor {
  if (shape !== undefined) checkShape(shape, where);
  if (values instanceof Float32Array) {
    if (shape !== undefined && sizeOf(shape) !== values.length) throw new Error(`${where}: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}`);
    return uncheckedTensor(values, shape ?? [values.length]); // the checks above are the constructor's
  }
  return fromNested(values as NestedArray, shape, where, true);
}

/** A tensor from nested arrays (the shape, if given, already checked); booleans become 1/0 only when allowed. */
function fromNested(values: NestedArray, shape: Shape | undefined, where: string, booleans: boolean): Tensor {
  const inferred = nestedShape(values, where, booleans);
  const data = new Float32Array(sizeOf(inferred));
  flatten(values, data, { i: 0 });
  if (shape === undefined) return uncheckedTensor(data, inferred);
  if (sizeOf(shape) !== data.length) {
    throw new Error(`${where}: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${data.length} (from ${formatShape(inferred)})`);
  }
  return uncheckedTensor(data, shape);
}

/** A tensor of zeros of the given shape. */
export function zeros(shape: Shape): Tensor {
  checkShape(shape, "zeros");
  return uncheckedTensor(new Float32Array(sizeOf(shape)), shape);
}

/** A tensor of the given shape filled with one value. */
export function full(shape: Shape, value: number): Tensor {
  checkShape(shape, "full");
  if (typeof value !== "number") throw new Error(`full: value must be a number, got ${describe(value)}`);
  return uncheckedTensor(new Float32Array(sizeOf(shape)).fill(value), shape);
}

/** What functions accept as an array: a Tensor, nested arrays of numbers (booleans for masks), or a Float32Array (a vector). */
export type TensorLike = Tensor | NestedArray | Float32Array;

/** What apply gives back for an input of type T: tensors in, a tensor out; nested arrays in, nested arrays out. */
export type Mirror<T> = T extends Tensor ? Tensor : NestedArray[];

/**
 * The result for nested-array input, where one sequence and a ragged list of sequences are told apart only at
 * run time: R, or a list of R (a list of nested arrays is itself nested arrays, so then just R).
 */
export type OneOrList<R> = R extends NestedArray[] ? R : R | R[];

/**
 * A tensor as is, or nested arrays converted; `where` names the caller in errors. Data are numbers: booleans
 * (true → 1, false → 0) only where `booleans` says the value is a mask.
 */
export function asTensor(x: TensorLike, where = "tensor", booleans = false): Tensor {
  if (x instanceof Tensor) return x;
  if (x instanceof Float32Array) return new Tensor(x, [x.length]);
  if (typeof x === "number" || (typeof x === "boolean" && booleans)) return tensor(x);
  if (!Array.isArray(x)) throw new Error(`${where}: expected a Tensor or nested arrays of numbers, got ${describe(x)}`);
  return fromNested(x, undefined, where, booleans);
}
