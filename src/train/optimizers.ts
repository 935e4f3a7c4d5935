// Optimizers with MATLAB's per-parameter factors: the effective learn rate is learnRate · learnRateFactor,
// and L2 regularization adds l2Regularization · l2Factor · w to the gradient.
//   sgdm: v ← momentum·v − lr·g;  w ← w + v
//   adam: m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr · m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
// Gradient clipping (gradientThreshold): "l2norm" rescales each parameter's gradient to norm ≤ threshold
// (MATLAB's default), "global-l2norm" rescales all of them together.
import type { Tensor } from "../tensor/tensor.js";

export interface TrainableParameter {
  name: string;
  tensor: Tensor;
  learnRateFactor: number;
  l2Factor: number;
}

export interface OptimizerOptions {
  solver: "adam" | "sgdm";
  learnRate: number;
  l2Regularization: number;
  momentum: number;
  gradientDecayFactor: number;
  squaredGradientDecayFactor: number;
  epsilon: number;
  gradientThreshold: number;
  gradientThresholdMethod: "l2norm" | "global-l2norm";
}

export class Optimizer {
  private readonly state = new Map<string, { m: Float32Array; v: Float32Array }>();
  private steps = 0;

  constructor(readonly options: OptimizerOptions) {}

  step(parameters: readonly TrainableParameter[], grads: readonly Tensor[], learnRate = this.options.learnRate): void {
    const o = this.options;
    this.steps++;
    const g = grads.map((gr, i) => {
      const out = Float32Array.from(gr.data);
      const l2 = o.l2Regularization * parameters[i].l2Factor;
      if (l2 !== 0) for (let j = 0; j < out.length; j++) out[j] += l2 * parameters[i].tensor.data[j];
      return out;
    });
    this.clip(g);
    parameters.forEach((p, i) => {
      const lr = learnRate * p.learnRateFactor;
      if (lr === 0) return;
      let s = this.state.get(p.name);
      if (!s) {
        s = { m: new Float32Array(p.tensor.size), v: new Float32Array(p.tensor.size) };
        this.state.set(p.name, s);
      }
      const w = p.tensor.data, gi = g[i];
      if (o.solver === "sgdm") {
        for (let j = 0; j < w.length; j++) {
          s.m[j] = o.momentum * s.m[j] - lr * gi[j];
          w[j] += s.m[j];
        }
      } else {
        const b1 = o.gradientDecayFactor, b2 = o.squaredGradientDecayFactor;
        const c1 = 1 - b1 ** this.steps, c2 = 1 - b2 ** this.steps;
        for (let j = 0; j < w.length; j++) {
          s.m[j] = b1 * s.m[j] + (1 - b1) * gi[j];
          s.v[j] = b2 * s.v[j] + (1 - b2) * gi[j] * gi[j];
          w[j] -= (lr * (s.m[j] / c1)) / (Math.sqrt(s.v[j] / c2) + o.epsilon);
        }
      }
    });
  }

  private clip(g: Float32Array[]): void {
    const t = this.options.gradientThreshold;
    if (!Number.isFinite(t)) return;
    const norm = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0);
    if (this.options.gradientThresholdMethod === "global-l2norm") {
      const n = Math.sqrt(g.reduce((s, a) => s + norm(a), 0));
      if (n > t) for (const a of g) for (let j = 0; j < a.length; j++) a[j] *= t / n;
    } else {
      for (const a of g) {
        const n = Math.sqrt(norm(a));
        if (n > t) for (let j = 0; j < a.length; j++) a[j] *= t / n;
      }
    }
  }
}
