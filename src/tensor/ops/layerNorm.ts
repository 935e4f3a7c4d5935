// Layer normalization over the last axis (C channels) as one autodiff node:
//   μ = Σx · (1/C);  c = x − μ;  σ² = Σc² · (1/C);  s = √(σ² + ε);  n = c / s;  y = n ∘ γ + β
// It does, per row, exactly the float32 arithmetic of that formula built from ops (sum, scale, sub, square,
// sum, scale, add, sqrt, div, mul, add: test/oracles/layerNorm.ts), in the same order, so values and gradients
// are bit-identical to it, without its eleven nodes and temporaries. The backward walks that
// graph in reverse:
//   dβ = Σ_rows dy;  dγ = Σ_rows dy ∘ n;  dn = dy ∘ γ;  ds = Σ_C dn ∘ (−c / s²);  dσ² = ds · 0.5 / s
//   dc = dn · (1/s) + (dσ² · (1/C)) · 2c;  dμ = Σ_C −dc;  dx = dc + dμ · (1/C)
// The loops are the kernels in ../../kernels/layerNorm.ts (WebAssembly, split across the threads, on large arrays).
import { layerNormBackward, layerNormForward } from "../../kernels/layerNorm.js";
import { isRecording, record } from "../autodiff.js";
import { formatShape } from "../shape.js";
import { type Tensor, uncheckedTensor } from "../tensor.js";

export function layerNorm(x: Tensor, scale: Tensor, offset: Tensor, epsilon: number): Tensor {
  const C = x.shape[x.rank - 1];
  if (x.rank === 0 || scale.size !== C || offset.size !== C) {
    throw new Error(`ops.layerNorm: scale ${formatShape(scale.shape)} and offset ${formatShape(offset.shape)} must have the ${C} channels of x ${formatShape(x.shape)}`);
  }
  const inputs = [x, scale, offset];
  const { out, trace } = layerNormForward(x.data, scale.data, offset.data, C, epsilon, isRecording(inputs)); // the trace only for a backward
  const y = uncheckedTensor(out, x.shape);
  record([y], inputs, ([g], needs) => {
    const { dx, dScale, dOffset } = layerNormBackward(g!, scale.data, C, trace!, needs);
    return [dx, dScale, dOffset];
  });
  return y;
}
