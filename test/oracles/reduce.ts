// The oracle of sum's fast path: every case through the general path (an index map).
import { normalizeAxes, sumGeneral } from "../../src/tensor/ops/reduce.js";
import { asTensor, type Tensor, type TensorLike } from "../../src/tensor/tensor.js";

export function sumReference(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const a = asTensor(x, "ops.sum");
  return sumGeneral(a, normalizeAxes(axis, a.rank, "ops.sum"), keepDims);
}
