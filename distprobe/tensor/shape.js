// Shape arithmetic shared by tensors, ops and layers. Shapes are row-major, channels last.
/** Number of elements of a shape (1 for a scalar shape []). */
export function sizeOf(shape) {
    let n = 1;
    for (const d of shape)
        n *= d;
    return n;
}
/** Row-major strides: stride[i] = product of shape[i+1..]. */
export function stridesOf(shape) {
    const strides = new Array(shape.length);
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
        strides[i] = s;
        s *= shape[i];
    }
    return strides;
}
export function formatShape(shape) {
    return `[${shape.join(", ")}]`;
}
export function sameShape(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
}
/** Normalizes a possibly negative axis against a rank; throws on out-of-range axes. */
export function normalizeAxis(axis, rank, where) {
    const a = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(a) || a < 0 || a >= rank) {
        throw new Error(`${where}: axis ${axis} is out of range for a tensor of rank ${rank}`);
    }
    return a;
}
/** NumPy broadcasting: align right, sizes must match or be 1. */
export function broadcastShapes(a, b, where) {
    const rank = Math.max(a.length, b.length);
    const out = new Array(rank);
    for (let i = 0; i < rank; i++) {
        const da = a[a.length - rank + i] ?? 1;
        const db = b[b.length - rank + i] ?? 1;
        if (da !== db && da !== 1 && db !== 1) {
            throw new Error(`${where}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (axis ${i}: ${da} vs ${db})`);
        }
        out[i] = da === 1 ? db : da;
    }
    return out;
}
/** For each flat index of `shape` (row-major), the offset Σ idx[i]·strides[i] (an odometer walk). */
export function stridedIndex(shape, strides) {
    const n = sizeOf(shape);
    const map = new Int32Array(n);
    const idx = new Array(shape.length).fill(0);
    let offset = 0;
    for (let flat = 0; flat < n; flat++) {
        map[flat] = offset;
        for (let ax = shape.length - 1; ax >= 0; ax--) {
            idx[ax]++;
            offset += strides[ax];
            if (idx[ax] < shape[ax])
                break;
            offset -= strides[ax] * idx[ax];
            idx[ax] = 0;
        }
    }
    return map;
}
/**
 * For every flat index of `outShape`, the flat index of the element of `inShape` that broadcasts to it.
 * `inShape` must broadcast to `outShape` (checked by the caller).
 */
export function broadcastIndex(inShape, outShape) {
    const rank = outShape.length;
    const inStrides = stridesOf(inShape);
    // stride of each output axis in the input (0 where the input is broadcast along it)
    const strides = outShape.map((_, i) => {
        const j = inShape.length - rank + i;
        return j >= 0 && inShape[j] !== 1 ? inStrides[j] : 0;
    });
    return stridedIndex(outShape, strides);
}
