// Padded sequence batches: a list of [Tᵢ, ...] tensors ↔ one [B, T_max, ...] tensor plus lengths.
// Both directions are differentiable (stackPadded / slice), so nets can pad inside a traced computation.
import * as ops from "../tensor/ops/index.js";
import { stackPadded } from "../tensor/ops/layout.js";
import { Tensor } from "../tensor/tensor.js";
import type { NetValue } from "./layer.js";

/** Stacks sequences [Tᵢ, ...rest] into [B, T_max, ...rest], zero-padded at the end. */
export function padSequences(sequences: readonly Tensor[]): { x: Tensor; lengths: number[] } {
  const lengths = sequences.map((s) => s.shape[0]);
  return { x: stackPadded(sequences, Math.max(0, ...lengths)), lengths };
}

/** Row b of a batch, cut to its length when lengths are given: [B, T, ...] → [T_b, ...]. */
export function batchRow(x: Tensor, b: number, lengths?: readonly number[]): Tensor {
  const row = ops.reshape(ops.slice(x, 0, b, b + 1), x.shape.slice(1));
  return lengths ? ops.slice(row, 0, 0, lengths[b]) : row;
}

/** Example b of a net value, as if its sequence had been alone: time axes cut to the example's length. */
export function exampleOf(v: NetValue, b: number): Tensor {
  if (!v.steps) return batchRow(v.x, b, v.lengths);
  let row = batchRow(v.x, b);
  for (const axis of v.steps.axes) row = ops.slice(row, axis, 0, v.steps.lengths[b]);
  return row;
}
