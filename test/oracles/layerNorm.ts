// The oracle of the fused layer normalization (src/tensor/ops/layerNorm.ts): the same formula composed from ops.
import { add, div, mul, sqrt, square, sub } from "../../src/tensor/ops/elementwise.js";
import { mean } from "../../src/tensor/ops/reduce.js";
import type { Tensor } from "../../src/tensor/tensor.js";

/** The same normalization composed from ops (the reference the fused node is tested against). */
export function layerNormReference(x: Tensor, scale: Tensor, offset: Tensor, epsilon: number): Tensor {
  const centered = sub(x, mean(x, -1, true));
  const variance = mean(square(centered), -1, true);
  const normalized = div(centered, sqrt(add(variance, epsilon)));
  return add(mul(normalized, scale), offset);
}
