import { Tensor } from "../tensor/tensor.js";
/** Class-index targets: one per example, or one per time step. */
export type ClassTargets = readonly number[] | readonly (readonly number[])[];
/** Crossentropy of probabilities [B, K] (or [B, T, K] with lengths) against class indices, averaged over examples (or valid steps). */
export declare function crossentropy(probabilities: Tensor, targets: ClassTargets, lengths?: readonly number[]): Tensor;
/** Half mean squared error, ½·Σ(prediction − target)² per example (or valid step), averaged, as MATLAB's "mse". */
export declare function mse(predictions: Tensor, targets: Tensor, lengths?: readonly number[]): Tensor;
/** Index of the largest value along the last axis, per row. */
export declare function argmaxRows(p: Tensor): number[];
