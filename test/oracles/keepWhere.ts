// The oracle of keepWhere's broadcast-plan path: every case through the index map.
import { keepWhereWith } from "../../src/tensor/ops/keepWhere.js";
import type { Tensor, TensorLike } from "../../src/tensor/tensor.js";

export const keepWhereReference = (x: TensorLike, keep: TensorLike): Tensor => keepWhereWith(x, keep, true);
