// Training losses (MATLAB trainnet names).
//   crossentropy: −Σ y·log p over the classes, averaged over examples (sequence-to-label, p [B, K]) or over
//                 valid time steps (sequence-to-sequence, p [B, T, K]; padded steps are ignored).
//                 p are probabilities (the net ends in softmaxLayer); log is taken of max(p, 1e-12), and a NaN
//                 probability at a counted position gives a NaN loss (the clamp must not hide it).
//   mse:          ½·Σ (prediction − target)² averaged over examples (and valid steps), as MATLAB's "mse".
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";
/** Weights that select the target class at every valid position, divided by the number of positions. */
function targetWeights(p, targets, lengths) {
    const K = p.shape[p.rank - 1];
    const w = new Float32Array(p.size);
    if (p.rank === 2) {
        const B = p.shape[0];
        if (targets.length !== B)
            throw new Error(`crossentropy: ${targets.length} targets for a batch of ${B}`);
        targets.forEach((c, b) => {
            if (!Number.isInteger(c) || c < 0 || c >= K)
                throw new Error(`crossentropy: target ${c} of example ${b + 1} is not a class index in [0, ${K})`);
            w[b * K + c] = 1 / B;
        });
        return new Tensor(w, p.shape);
    }
    if (p.rank !== 3)
        throw new Error(`crossentropy: predictions must be [B, K] or [B, T, K], got ${formatShape(p.shape)}`);
    const [B, T] = p.shape;
    const lens = lengths ?? new Array(B).fill(T);
    const total = lens.reduce((s, n) => s + n, 0);
    targets.forEach((seq, b) => {
        if (!Array.isArray(seq))
            throw new Error(`crossentropy: sequence-to-sequence targets need a class per time step (example ${b + 1})`);
        for (let t = 0; t < lens[b]; t++) {
            const c = seq[t];
            if (!Number.isInteger(c) || c < 0 || c >= K)
                throw new Error(`crossentropy: target ${c} at step ${t + 1} of example ${b + 1} is not a class index in [0, ${K})`);
            w[(b * T + t) * K + c] = 1 / total;
        }
    });
    return new Tensor(w, p.shape);
}
/** Crossentropy of probabilities [B, K] (or [B, T, K] with lengths) against class indices, averaged over examples (or valid steps). */
export function crossentropy(probabilities, targets, lengths) {
    if (!(probabilities instanceof Tensor))
        throw new Error(`crossentropy: probabilities must be a Tensor [B, K] or [B, T, K], got ${describe(probabilities)}`);
    if (!Array.isArray(targets))
        throw new Error(`crossentropy: targets must be an array of class indices, got ${describe(targets)}`);
    if (lengths !== undefined && !Array.isArray(lengths))
        throw new Error(`crossentropy: lengths must be an array, got ${describe(lengths)}`);
    const w = targetWeights(probabilities, targets, lengths);
    const loss = ops.neg(ops.sum(ops.mul(w, ops.log(ops.maximum(probabilities, 1e-12)))));
    // the clamp would turn a NaN probability into −log 1e-12 ≈ 27.6: a NaN at a counted position makes the loss NaN
    const K = probabilities.shape[probabilities.rank - 1];
    for (let i = 0; i < w.size; i += K) {
        if (!w.data.subarray(i, i + K).some((v) => v !== 0))
            continue; // a padded step
        for (let k = 0; k < K; k++)
            if (Number.isNaN(probabilities.data[i + k]))
                return ops.add(loss, NaN);
    }
    return loss;
}
/** Half mean squared error, ½·Σ(prediction − target)² per example (or valid step), averaged, as MATLAB's "mse". */
export function mse(predictions, targets, lengths) {
    if (!(predictions instanceof Tensor) || !(targets instanceof Tensor))
        throw new Error(`mse: predictions and targets must be Tensors, got ${describe(predictions)} and ${describe(targets)}`);
    if (predictions.size !== targets.size)
        throw new Error(`mse: predictions ${formatShape(predictions.shape)} and targets ${formatShape(targets.shape)} differ in size`);
    const t = new Tensor(targets.data, predictions.shape);
    const diff = ops.sub(predictions, t);
    const B = predictions.shape[0];
    let weight = 0.5 / B;
    if (lengths && predictions.rank === 3) {
        const [, T] = predictions.shape;
        const total = lengths.reduce((s, n) => s + n, 0);
        const w = new Float32Array(B * T);
        lengths.forEach((len, b) => w.fill(0.5 / total, b * T, b * T + len));
        weight = new Tensor(w, [B, T, 1]);
    }
    return ops.sum(ops.mul(ops.square(diff), weight));
}
/** Index of the largest value along the last axis, per row. */
export function argmaxRows(p) {
    if (!(p instanceof Tensor) || p.rank === 0)
        throw new Error(`argmaxRows: expected a Tensor with a class axis, got ${p instanceof Tensor ? "a scalar" : describe(p)}`);
    const K = p.shape[p.rank - 1];
    const rows = p.size / K;
    return Array.from({ length: rows }, (_, r) => {
        let best = 0;
        for (let k = 1; k < K; k++)
            if (p.data[r * K + k] > p.data[r * K + best])
                best = k;
        return best;
    });
}
