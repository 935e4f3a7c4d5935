import { DataType } from "./onnxSchema.js";
/** The lowest float32: masked scores become this before softmax (finite, so a row with no allowed key gives a uniform row, then zeros, never NaN). */
export const LOWEST_FLOAT32 = -3.4028234663852886e38;
/** Wᵀ of a [rows, cols] matrix, as [cols, rows] data. */
export function transposed(w) {
    const [r, c] = w.shape;
    const out = new Float32Array(r * c);
    for (let i = 0; i < r; i++)
        for (let j = 0; j < c; j++)
            out[j * r + i] = w.data[i * c + j];
    return out;
}
/** y = x Wᵀ (+ b) on the last axis; W [out, in]. */
export function linear(g, x, w, b, hint) {
    const wt = g.floats(`${hint}.weightsT`, transposed(w), [w.shape[1], w.shape[0]]);
    const y = g.op1("MatMul", [x, wt], {}, `${hint}.matmul`);
    return b ? g.op1("Add", [y, g.floats(`${hint}.bias`, b.data, [...b.shape])], {}, `${hint}.linear`) : y;
}
/** Shape(x)[axis] as an int64 [1] tensor. */
export function dim(g, x, axis, hint) {
    return g.op1("Shape", [x], { start: axis, end: axis + 1 }, `${hint}.dim${axis}`);
}
/** The sequence mask as bool [B, 1, 1, T] (keys allowed), or undefined when the value is not padded. */
export function keyPaddingMask(context, value) {
    if (!value.padded || !context.mask)
        return undefined;
    return boolKeyMask(context.g, context.mask, `${context.hint}.keyMask`);
}
/** A [B, T] float mask (nonzero = allowed) as bool [B, 1, 1, T]. */
export function boolKeyMask(g, mask, hint) {
    const b = g.op1("Cast", [mask], { to: DataType.BOOL }, hint);
    return g.op1("Unsqueeze", [b, g.ints([1, 2])], {}, hint);
}
/**
 * Causal attention as bool [Tq, Tk]: query i sees key j when j ≤ i (and, with a window w, j > i − w).
 * Tq and Tk are read from the query and key values' time axes.
 */
export function causalMask(g, query, key, window, hint) {
    const positions = (x, axis) => {
        const n = g.op1("Squeeze", [dim(g, x, 1, hint)], {}, `${hint}.length`); // scalar T
        const range = g.op1("Range", [g.intScalar(0), n, g.intScalar(1)], {}, `${hint}.range`);
        return g.op1("Unsqueeze", [range, g.ints([axis])], {}, `${hint}.positions`);
    };
    const rows = positions(query, 1), cols = positions(key, 0); // [Tq, 1], [1, Tk]
    let allowed = g.op1("Not", [g.op1("Greater", [cols, rows], {}, `${hint}.future`)], {}, `${hint}.causal`);
    if (window !== undefined) {
        const first = g.op1("Sub", [rows, g.ints([window - 1])], {}, `${hint}.windowStart`); // j ≥ i − w + 1
        allowed = g.op1("And", [allowed, g.op1("Not", [g.op1("Less", [cols, first], {}, `${hint}.beforeWindow`)], {}, `${hint}.inWindow`)], {}, `${hint}.causalWindow`);
    }
    return allowed;
}
/** AND of the given bool masks (undefined ones are ignored); undefined when none is given. */
export function allOf(g, masks, hint) {
    const present = masks.filter((m) => m !== undefined);
    return present.reduce((acc, m) => (acc === undefined ? m : g.op1("And", [acc, m], {}, hint)), undefined);
}
/**
 * Attention weights from scores [.., Tq, Tk]: softmax over keys where `allowed`, zero elsewhere, and an
 * all-zero row for a query that sees no key (the library's rule, never NaN).
 */
export function maskedSoftmax(g, scores, allowed, hint) {
    if (!allowed)
        return g.op1("Softmax", [scores], { axis: -1 }, `${hint}.weights`);
    const blocked = g.op1("Where", [allowed, scores, g.scalar(LOWEST_FLOAT32)], {}, `${hint}.maskedScores`);
    const soft = g.op1("Softmax", [blocked], { axis: -1 }, `${hint}.softmax`);
    return g.op1("Where", [allowed, soft, g.scalar(0)], {}, `${hint}.weights`);
}
