// Layer normalization over the last axis (C channels) as one autodiff node:
//   μ = Σx · (1/C);  c = x − μ;  σ² = Σc² · (1/C);  s = √(σ² + ε);  n = c / s;  y = n ∘ γ + β
// It does, per row, exactly the float32 arithmetic of that formula built from ops (sum, scale, sub, square,
// sum, scale, add, sqrt, div, mul, add: test/oracles/layerNorm.ts), in the same order, so values and gradients
// are bit-identical to it, without its eleven nodes and temporaries. The backward walks that
// graph in reverse:
//   dβ = Σ_rows dy;  dγ = Σ_rows dy ∘ n;  dn = dy ∘ γ;  ds = Σ_C dn ∘ (−c / s²);  dσ² = ds · 0.5 / s
//   dc = dn · (1/s) + (dσ² · (1/C)) · 2c;  dμ = Σ_C −dc;  dx = dc + dμ · (1/C)
// (Math.fround of a double sum or product of two floats is the float32 one.)
import { record } from "../autodiff.js";
import { formatShape } from "../shape.js";
import { type Tensor, uncheckedTensor } from "../tensor.js";

const f = Math.fround;

export function layerNorm(x: Tensor, scale: Tensor, offset: Tensor, epsilon: number): Tensor {
  const C = x.shape[x.rank - 1];
  if (x.rank === 0 || scale.size !== C || offset.size !== C) {
    throw new Error(`ops.layerNorm: scale ${formatShape(scale.shape)} and offset ${formatShape(offset.shape)} must have the ${C} channels of x ${formatShape(x.shape)}`);
  }
  const rows = C === 0 ? 0 : x.size / C;
  const X = x.data, G = scale.data, Bt = offset.data;
  const invC = 1 / C, eps = f(epsilon);
  const centered = new Float32Array(x.size), normalized = new Float32Array(x.size), sd = new Float32Array(rows);
  const out = new Float32Array(x.size);
  for (let r = 0; r < rows; r++) {
    const at = r * C;
    let s = 0;
    for (let i = 0; i < C; i++) s = f(s + X[at + i]);
    const mu = f(s * invC);
    let ss = 0;
    for (let i = 0; i < C; i++) {
      const c = f(X[at + i] - mu);
      centered[at + i] = c;
      ss = f(ss + f(c * c));
    }
    const sdr = f(Math.sqrt(f(f(ss * invC) + eps)));
    sd[r] = sdr;
    for (let i = 0; i < C; i++) {
      const n = f(centered[at + i] / sdr);
      normalized[at + i] = n;
      out[at + i] = f(n * G[i]) + Bt[i];
    }
  }
  const y = uncheckedTensor(out, x.shape);
  record([y], [x, scale, offset], ([g], needs) => {
    const dy = g!;
    const dScale = needs[1] ? new Float32Array(C) : null, dOffset = needs[2] ? new Float32Array(C) : null;
    const dx = needs[0] ? new Float32Array(x.size) : null;
    const dn = new Float32Array(C), dc = new Float32Array(C);
    for (let r = 0; r < rows; r++) {
      const at = r * C;
      if (dOffset) for (let i = 0; i < C; i++) dOffset[i] += dy[at + i];
      if (dScale) for (let i = 0; i < C; i++) dScale[i] += f(dy[at + i] * normalized[at + i]);
      if (!dx) continue;
      const s = sd[r];
      let ds = 0;
      for (let i = 0; i < C; i++) {
        dn[i] = f(dy[at + i] * G[i]);
        const c = centered[at + i];
        ds = f(ds + f(dn[i] * (-c / (s * s))));
      }
      const dVarScaled = f(f(f(ds * (0.5 / s)) * invC)); // dσ² · (1/C), the gradient of each c²
      let dMu = 0;
      for (let i = 0; i < C; i++) {
        const c = centered[at + i];
        dc[i] = f(f(dn[i] * (1 / s)) + f(dVarScaled * (2 * c)));
        dMu = f(dMu + -dc[i]);
      }
      const dSum = f(dMu * invC);
      for (let i = 0; i < C; i++) dx[at + i] = dc[i] + dSum;
    }
    return [dx, dScale, dOffset];
  });
  return y;
}
