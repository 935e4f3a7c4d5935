import { formatShape, stridesOf } from "../tensor/shape.js";
import { Tensor, asTensor } from "../tensor/tensor.js";
import { checkOptionNames } from "../util/checkOptions.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionsObject, checkSeed, checkString, describe } from "../util/validate.js";
import { attend } from "./attentionNode.js";
const WHERE = "dotProductAttention";
export function dotProductAttention(query, key, value, options = {}) {
    checkOptionsObject(options, WHERE);
    checkOptionNames(options, ["scale", "causal", "window", "keyLengths", "mask", "dropout", "returnWeights", "implementation"], WHERE);
    if (options.returnWeights !== undefined)
        checkBoolean(options.returnWeights, WHERE, "returnWeights");
    if (options.implementation !== undefined)
        checkString(options.implementation, WHERE, "implementation");
    if (options.causal !== undefined)
        checkOneOf(options.causal, [true, false, "topLeft", "bottomRight"], WHERE, "causal");
    const q = asTensor(query, `${WHERE}: query`), k = asTensor(key, `${WHERE}: key`), v = asTensor(value, `${WHERE}: value`);
    checkShapes(q, k, v);
    const [B, H, Tq, D] = q.shape;
    const Tk = k.shape[2];
    const scale = options.scale === undefined ? 1 / Math.sqrt(D) : checkNumber(options.scale, WHERE, "scale");
    const mask = {
        causal: options.causal === true || options.causal === "topLeft" ? "topLeft" : options.causal === "bottomRight" ? "bottomRight" : false,
        window: options.window === undefined ? undefined : checkInteger(options.window, WHERE, "window"),
        keyLengths: checkKeyLengths(options.keyLengths, B, Tk),
        explicit: options.mask === undefined ? undefined : explicitMask(options.mask, [B, H, Tq, Tk]),
    };
    const dropout = options.dropout === undefined ? undefined : checkDropout(options.dropout);
    const { output, weights } = attend(q, k, v, { scale, mask, dropout, implementation: options.implementation }, options.returnWeights === true);
    const mirror = (t) => (query instanceof Tensor ? t : t.toArray());
    return options.returnWeights ? { output: mirror(output), weights: mirror(weights) } : mirror(output);
}
function checkShapes(q, k, v) {
    for (const [port, t, dims] of [["query", q, "[B, H, Tq, D]"], ["key", k, "[B, Hkv, Tk, D]"], ["value", v, "[B, Hkv, Tk, Dv]"]]) {
        if (t.rank !== 4)
            throw new Error(`${WHERE}: ${port} must have rank 4 ${dims}, got ${formatShape(t.shape)}`);
    }
    const [B, H, , D] = q.shape;
    const [Bk, Hkv, Tk, Dk] = k.shape;
    const [Bv, Hv, Tv] = v.shape;
    if (Bk !== B || Bv !== B)
        throw new Error(`${WHERE}: batch sizes differ: query ${formatShape(q.shape)}, key ${formatShape(k.shape)}, value ${formatShape(v.shape)}`);
    if (Dk !== D)
        throw new Error(`${WHERE}: key size ${Dk} (key ${formatShape(k.shape)}) differs from query size ${D} (query ${formatShape(q.shape)})`);
    if (Hv !== Hkv || Tv !== Tk)
        throw new Error(`${WHERE}: value ${formatShape(v.shape)} must match key ${formatShape(k.shape)} in heads and length`);
    if (D === 0)
        throw new Error(`${WHERE}: query and key vectors must have size D ≥ 1, got query ${formatShape(q.shape)}, key ${formatShape(k.shape)}`);
    if (Hkv === 0 || H % Hkv !== 0)
        throw new Error(`${WHERE}: query heads (${H}) must be a multiple of key/value heads (${Hkv})`);
}
function checkKeyLengths(lengths, B, Tk) {
    if (lengths === undefined)
        return undefined;
    if (!Array.isArray(lengths))
        throw new Error(`${WHERE}: keyLengths must be an array of ${B} integers, got ${describe(lengths)}`);
    if (lengths.length !== B)
        throw new Error(`${WHERE}: keyLengths has ${lengths.length} entries but the batch has ${B}`);
    lengths.forEach((n, b) => {
        if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > Tk)
            throw new Error(`${WHERE}: keyLengths[${b}] must be an integer in [0, ${Tk}] (Tk), got ${describe(n)}`);
    });
    return lengths;
}
function checkDropout(d) {
    if (d === null || typeof d !== "object" || Array.isArray(d))
        throw new Error(`${WHERE}: dropout must be { rate, seed }, got ${describe(d)}`);
    checkOptionNames(d, ["rate", "seed"], `${WHERE}: dropout`);
    checkNumber(d.rate, WHERE, "dropout.rate", { min: 0, max: 1, maxExclusive: true });
    checkSeed(d.seed, WHERE, "dropout.seed");
    return d;
}
/** Throws unless every value is 0 or 1 (false or true): a mask of 2 or NaN is a mistake, not "attend". */
export function checkMaskValues(m, where, port) {
    const i = m.data.findIndex((v) => v !== 0 && v !== 1);
    if (i >= 0)
        throw new Error(`${where}: ${port} values must be true/false or 1/0, got ${describe(m.data[i])} at flat index ${i}`);
}
/** A boolean mask broadcast (right-aligned) to [B, H, Tq, Tk], as data plus strides. */
export function explicitMask(mask, target, where = WHERE, port = "mask") {
    const m = asTensor(mask, `${where}: ${port}`);
    checkMaskValues(m, where, port);
    if (m.rank > 4 || m.shape.some((d, i) => d !== 1 && d !== target[4 - m.rank + i])) {
        throw new Error(`${where}: ${port} of shape ${formatShape(m.shape)} does not broadcast to ${formatShape(target)}`);
    }
    const full = [...new Array(4 - m.rank).fill(1), ...m.shape];
    const st = stridesOf(full);
    const strides = full.map((d, i) => (d === 1 ? 0 : st[i]));
    return { data: m.data, strides };
}
