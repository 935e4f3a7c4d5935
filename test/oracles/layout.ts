// The oracle of transpose's fast path: every permutation through the general path (an index map).
import { checkedPermutation, transposeGeneral } from "../../src/tensor/ops/layout.js";
import type { Tensor, TensorLike } from "../../src/tensor/tensor.js";

export function transposeReference(x: TensorLike, perm?: readonly number[]): Tensor {
  const { a, p } = checkedPermutation(x, perm);
  return transposeGeneral(a, p);
}
