// Training losses (MATLAB trainnet names).
//   crossentropy: −Σ y·log p over the classes, averaged over examples (sequence-to-label, p [B, K]) or over
//                 valid time steps (sequence-to-sequence, p [B, T, K]; padded steps are ignored).
//                 p are probabilities (the net ends in softmaxLayer); only the counted rows are taken (padded
//                 steps never reach the log), log is taken of max(p, 1e-12), and a NaN anywhere in a counted
//                 row gives a NaN loss (max propagates NaN: the clamp does not hide it).
//   crossentropy-logits: the same loss from logits z (unnormalized scores, a net ending in fullyConnectedLayer),
//                 as PyTorch's CrossEntropyLoss takes them: per counted row, −log softmax(z)_c = lse(z) − z_c with
//                 lse(z) = m + log Σₖ exp(zₖ − m), m = maxₖ zₖ (no exp overflows, no log of 0: finite for any
//                 finite logits), one fused op whose gradient is (softmax(z) − onehot(c)) / rows on counted rows
//                 and exactly 0 on padded ones.
//   mse:          ½·Σ (prediction − target)² averaged over examples (and valid steps), as MATLAB's "mse"; padded
//                 steps are zeroed before the square, so they add nothing whatever they hold.
import { crossentropyLogitsGrad, crossentropyLogitsLse } from "../kernels/crossentropy.js";
import { validSteps } from "../layers/sequenceBatch.js";
import { record } from "../tensor/autodiff.js";
import * as ops from "../tensor/ops/index.js";
import { formatShape, sizeOf } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";

/** Class-index targets: one per example, or one per time step. */
export type ClassTargets = readonly number[] | readonly (readonly number[])[];

/**
 * The counted rows of p seen as [rows, K] (every example of [B, K]; the valid steps b·T + t, t < lengths[b], of
 * [B, T, K]) and each counted row's target class. `loss` names the caller in messages.
 */
function countedRows(p: Tensor, targets: ClassTargets, lengths: readonly number[] | undefined, loss = "crossentropy"): { rows: number[]; classes: number[] } {
  const K = p.shape[p.rank - 1];
  const classIndex = (c: unknown, where: string): number => {
    if (!Number.isInteger(c) || (c as number) < 0 || (c as number) >= K) throw new Error(`${loss}: target ${c} ${where} is not a class index in [0, ${K})`);
    return c as number;
  };
  const rows: number[] = [], classes: number[] = [];
  if (p.rank === 2) {
    const B = p.shape[0];
    if (targets.length !== B) throw new Error(`${loss}: ${targets.length} targets for a batch of ${B}`);
    targets.forEach((c, b) => { rows.push(b); classes.push(classIndex(c, `of example ${b + 1}`)); });
  } else {
    if (p.rank !== 3) throw new Error(`${loss}: predictions must be [B, K] or [B, T, K], got ${formatShape(p.shape)}`);
    const [B, T] = p.shape;
    if (targets.length !== B) throw new Error(`${loss}: ${targets.length} target sequences for a batch of ${B}`);
    const lens = lengths ?? new Array<number>(B).fill(T);
    if (lens.length !== B || lens.some((n) => !Number.isInteger(n) || n < 0 || n > T)) {
      throw new Error(`${loss}: lengths must be ${B} integers in [0, ${T}], got [${lens.join(", ")}]`);
    }
    targets.forEach((seq, b) => {
      if (!Array.isArray(seq)) throw new Error(`${loss}: sequence-to-sequence targets need a class per time step (example ${b + 1})`);
      for (let t = 0; t < lens[b]; t++) { rows.push(b * T + t); classes.push(classIndex(seq[t], `at step ${t + 1} of example ${b + 1}`)); }
    });
  }
  return { rows, classes };
}

/** The arguments every class-target loss takes, checked; `loss` names it. */
function checkClassLossArguments(scores: unknown, targets: unknown, lengths: unknown, loss: string, what: string): void {
  if (!(scores instanceof Tensor)) throw new Error(`${loss}: ${what} must be a Tensor [B, K] or [B, T, K], got ${describe(scores)}`);
  if (!Array.isArray(targets)) throw new Error(`${loss}: targets must be an array of class indices, got ${describe(targets)}`);
  if (lengths !== undefined && !Array.isArray(lengths)) throw new Error(`${loss}: lengths must be an array, got ${describe(lengths)}`);
}

/** Crossentropy of probabilities [B, K] (or [B, T, K] with lengths) against class indices, averaged over examples (or valid steps). */
export function crossentropy(probabilities: Tensor, targets: ClassTargets, lengths?: readonly number[]): Tensor {
  checkClassLossArguments(probabilities, targets, lengths, "crossentropy", "probabilities");
  const { rows, classes } = countedRows(probabilities, targets, lengths);
  const K = probabilities.shape[probabilities.rank - 1];
  // per counted row, a weight selecting its target class divided by the number of rows
  const w = new Float32Array(rows.length * K);
  classes.forEach((c, r) => (w[r * K + c] = 1 / rows.length));
  const weights = new Tensor(w, [rows.length, K]);
  const allRows = sizeOf(probabilities.shape.slice(0, -1));
  // the masked log: only the counted rows reach the log, so a padded step (whatever it holds, NaN included)
  // adds nothing to the loss and gets a gradient of exactly 0; a NaN anywhere in a counted row gives a NaN
  // loss (0·log NaN = NaN: ops.maximum propagates NaN, the clamp at 1e-12 does not hide it)
  const counted = ops.gather(ops.reshape(probabilities, [allRows, K]), rows);
  return ops.neg(ops.sum(ops.mul(weights, ops.log(ops.maximum(counted, 1e-12)))));
}

/**
 * Crossentropy of logits [B, K] (or [B, T, K] with lengths) against class indices, averaged over examples (or
 * valid steps): the fused, numerically stable log-softmax + negative log-likelihood (header), one autodiff op.
 */
export function crossentropyLogits(logits: Tensor, targets: ClassTargets, lengths?: readonly number[]): Tensor {
  checkClassLossArguments(logits, targets, lengths, "crossentropyLogits", "logits");
  const { rows, classes } = countedRows(logits, targets, lengths, "crossentropyLogits");
  const K = logits.shape[logits.rank - 1], z = logits.data, N = rows.length;
  // per counted row: lse = m + log Σ exp(z − m) (../kernels/crossentropy.ts); the loss is the mean of lse − z_c (float64)
  const rowIndex = Int32Array.from(rows), classIndex = Int32Array.from(classes);
  const lse = crossentropyLogitsLse(z, rowIndex, K);
  let total = 0;
  rows.forEach((row, r) => (total += lse[r] - z[row * K + classes[r]]));
  const loss = new Tensor(Float32Array.of(N > 0 ? total / N : 0), []);
  // ∂loss/∂z = (softmax(z) − onehot(c)) / N on counted rows; padded rows stay 0
  record([loss], [logits], ([g]) => [crossentropyLogitsGrad(z, rowIndex, classIndex, K, lse, g![0] / N)]);
  return loss;
}

/** Half mean squared error, ½·Σ(prediction − target)² per example (or valid step), averaged, as MATLAB's "mse". */
export function mse(predictions: Tensor, targets: Tensor, lengths?: readonly number[]): Tensor {
  if (!(predictions instanceof Tensor) || !(targets instanceof Tensor)) throw new Error(`mse: predictions and targets must be Tensors, got ${describe(predictions)} and ${describe(targets)}`);
  if (predictions.size !== targets.size) throw new Error(`mse: predictions ${formatShape(predictions.shape)} and targets ${formatShape(targets.shape)} differ in size`);
  const t = ops.reshape(targets, predictions.shape); // a reshape, not a copy: gradients reach the targets too
  const B = predictions.shape[0];
  if (!(lengths && predictions.rank === 3)) return ops.sum(ops.mul(ops.square(ops.sub(predictions, t)), 0.5 / B));
  const [, T] = predictions.shape;
  if (lengths.length !== B || lengths.some((n) => !Number.isInteger(n) || n < 0 || n > T)) {
    throw new Error(`mse: lengths must be ${B} integers in [0, ${T}], got [${lengths.join(", ")}]`);
  }
  const total = lengths.reduce((s, n) => s + n, 0);
  // padded steps are zeroed before squaring, so whatever they hold (NaN included) adds nothing and gets gradient 0
  const diff = ops.keepWhere(ops.sub(predictions, t), validSteps(lengths, T));
  return ops.sum(ops.mul(ops.square(diff), total > 0 ? 0.5 / total : 0)); // no valid step: 0, as before (not 0·∞)
}

/** Index of the largest value along the last axis, per row. */
export function argmaxRows(p: Tensor): number[] {
  if (!(p instanceof Tensor) || p.rank === 0) throw new Error(`argmaxRows: expected a Tensor with a class axis, got ${p instanceof Tensor ? "a scalar" : describe(p)}`);
  const K = p.shape[p.rank - 1];
  const rows = p.size / K;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (p.data[r * K + k] > p.data[r * K + best]) best = k;
    return best;
  });
}
