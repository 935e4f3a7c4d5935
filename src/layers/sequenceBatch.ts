// Padded sequence batches: a list of [Tᵢ, ...] tensors ↔ one [B, T_max, ...] tensor plus lengths.
// Both directions are differentiable (stackPadded / slice), so nets can pad inside a traced computation.
import * as ops from "../tensor/ops/index.js";
import { stackPadded } from "../tensor/ops/layout.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";
import type { NetValue } from "./layer.js";

/** Stacks sequences [Tᵢ, ...rest] into [B, T_max, ...rest], zero-padded at the end. */
export function padSequences(sequences: readonly Tensor[]): { x: Tensor; lengths: number[] } {
  if (!Array.isArray(sequences) || sequences.length === 0) throw new Error(`padSequences: needs a non-empty list of tensors [Tᵢ, ...], got ${describe(sequences)}`);
  sequences.forEach((s, i) => {
    if (!(s instanceof Tensor) || s.rank === 0) throw new Error(`padSequences: sequence ${i + 1} must be a tensor [T, ...], got ${s instanceof Tensor ? "a scalar" : describe(s)}`);
    if (!sameShape(s.shape.slice(1), sequences[0].shape.slice(1))) {
      throw new Error(`padSequences: sequence ${i + 1} has shape ${formatShape(s.shape)} but sequence 1 has ${formatShape(sequences[0].shape)}; only the first axis may differ`);
    }
  });
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

/** 1 on each row's first lengths[b] steps and 0 on its padding: a [B, T, 1, …] constant (`trailingAxes` ones) that broadcasts over a padded batch. */
export function validSteps(lengths: readonly number[], T: number, trailingAxes = 1): Tensor {
  const valid = new Float32Array(lengths.length * T);
  lengths.forEach((len, b) => valid.fill(1, b * T, b * T + len));
  return new Tensor(valid, [lengths.length, T, ...new Array<number>(trailingAxes).fill(1)]);
}
