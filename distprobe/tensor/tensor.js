// The tensor: a Float32Array in row-major order plus a shape. Immutable by convention, except for
// parameters, whose data an optimizer updates in place.
import { formatShape, sizeOf } from "./shape.js";
import { describe } from "../util/validate.js";
/**
 * An n-dimensional float32 array: row-major `data` and its `shape`; ops record gradients on it inside valueAndGrad.
 * @example tensor([[1, 2], [3, 4]]).shape // [2, 2]
 */
export class Tensor {
    shape;
    data;
    constructor(data, shape) {
        if (!(data instanceof Float32Array))
            throw new Error(`Tensor: data must be a Float32Array, got ${describe(data)}`);
        checkShape(shape, "Tensor");
        if (data.length !== sizeOf(shape)) {
            throw new Error(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${data.length}`);
        }
        this.shape = Object.freeze([...shape]);
        this.data = data;
    }
    get rank() {
        return this.shape.length;
    }
    get size() {
        return this.data.length;
    }
    /** The single value of a one-element tensor. */
    item() {
        if (this.data.length !== 1)
            throw new Error(`tensor.item: tensor of shape ${formatShape(this.shape)} is not a single value`);
        return this.data[0];
    }
    /** Nested plain arrays (a number for a scalar). */
    toArray() {
        if (this.shape.length === 0)
            return this.data[0];
        const build = (axis, offset, stride) => {
            const n = this.shape[axis];
            const inner = stride / n;
            const out = new Array(n);
            for (let i = 0; i < n; i++) {
                out[i] = axis === this.shape.length - 1 ? this.data[offset + i] : build(axis + 1, offset + i * inner, inner);
            }
            return out;
        };
        return build(0, 0, this.data.length);
    }
    toString() {
        return `Tensor${formatShape(this.shape)}`;
    }
}
/** Throws unless `shape` is an array of non-negative integers. */
export function checkShape(shape, where) {
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
        throw new Error(`${where}: shape must be an array of non-negative integers, got ${describe(shape)}`);
    }
    checkSize(shape, where);
}
/** Largest element count of one tensor (a Float32Array of 2³¹ − 1 values, 8 GiB). */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;
/** Throws when a shape holds more values than one Float32Array can (instead of a RangeError from inside). */
export function checkSize(shape, where) {
    if (sizeOf(shape) > MAX_TENSOR_SIZE)
        throw new Error(`${where}: shape ${formatShape(shape)} has ${sizeOf(shape)} values, more than a tensor can hold (${MAX_TENSOR_SIZE})`);
}
/** Position of a nested element for messages: [1, 0, 2]. */
const at = (path) => `[${path.join(", ")}]`;
/** Shape of a rectangular nested array of numbers (or booleans); throws on ragged input or other leaves. */
export function nestedShape(values, where = "tensor") {
    const shape = [];
    let v = values;
    while (Array.isArray(v)) {
        shape.push(v.length);
        if (v.length === 0)
            break;
        v = v[0];
    }
    const path = [];
    const check = (x, axis) => {
        if (axis === shape.length) {
            if (Array.isArray(x))
                throw new Error(`${where}: ragged nested array (extra depth at axis ${axis}, element ${at(path)})`);
            if (typeof x !== "number" && typeof x !== "boolean") {
                throw new Error(`${where}: expected numbers (or booleans), got ${describe(x)} at ${path.length ? `element ${at(path)}` : "the top level"}`);
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
export function isRectangular(values) {
    try {
        nestedShape(values);
        return true;
    }
    catch {
        return false;
    }
}
function flatten(values, out, at) {
    if (Array.isArray(values))
        for (const v of values)
            flatten(v, out, at);
    else
        out[at.i++] = typeof values === "boolean" ? (values ? 1 : 0) : values;
}
/**
 * Makes a tensor from nested arrays, a flat array or a Float32Array (shape required for flat data
 * of rank ≠ 1). A Float32Array is used as is, not copied.
 */
export function tensor(values, shape, where = "tensor") {
    if (shape !== undefined)
        checkShape(shape, where);
    if (values instanceof Float32Array) {
        if (shape !== undefined && sizeOf(shape) !== values.length)
            throw new Error(`${where}: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}`);
        return new Tensor(values, shape ?? [values.length]);
    }
    const inferred = nestedShape(values, where);
    const data = new Float32Array(sizeOf(inferred));
    flatten(values, data, { i: 0 });
    if (shape === undefined)
        return new Tensor(data, inferred);
    if (sizeOf(shape) !== data.length) {
        throw new Error(`${where}: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${data.length} (from ${formatShape(inferred)})`);
    }
    return new Tensor(data, shape);
}
/** A tensor of zeros of the given shape. */
export function zeros(shape) {
    checkShape(shape, "zeros");
    return new Tensor(new Float32Array(sizeOf(shape)), shape);
}
/** A tensor of the given shape filled with one value. */
export function full(shape, value) {
    checkShape(shape, "full");
    if (typeof value !== "number")
        throw new Error(`full: value must be a number, got ${describe(value)}`);
    return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape);
}
/** A tensor as is, or nested arrays converted; `where` names the caller in errors. */
export function asTensor(x, where = "tensor") {
    if (x instanceof Tensor)
        return x;
    if (x instanceof Float32Array)
        return new Tensor(x, [x.length]);
    if (typeof x === "number" || typeof x === "boolean")
        return tensor(x);
    if (!Array.isArray(x))
        throw new Error(`${where}: expected a Tensor or nested arrays of numbers, got ${describe(x)}`);
    return tensor(x, undefined, where);
}
