// Optimizers with MATLAB's trainingOptions and per-parameter factors, public for custom loops and the ones
// trainNet uses. Per learnable w with gradient g, learn rate lr·learnRateFactor and L2 factor λ·l2Factor:
//   regularize: g ← g + λ·l2Factor·w                    (the gradient of the loss plus ½λ‖w‖², as MATLAB)
//   clip:       gradientThreshold θ (default ∞), gradientThresholdMethod, applied to the regularized gradients:
//                 "l2norm"         g ← g·θ/‖g‖₂ when ‖g‖₂ > θ, each learnable on its own (MATLAB's default)
//                 "global-l2norm"  every g ← g·θ/L when L = √(Σ over all learnables of ‖g‖₂²) > θ
//                 "absolute-value" each element gᵢ ← sign(gᵢ)·θ when |gᵢ| > θ
//   sgdm:    v ← momentum·v − lr·g;  w ← w + v
//   adam:    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr · m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
//   rmsprop: v ← β₂v + (1−β₂)g²;  w ← w − lr · g / (√v + ε)
// (β₁ = gradientDecayFactor, β₂ = squaredGradientDecayFactor, t = the optimizer's step count.)
import { noteWeightWrites } from "../layers/weightWrites.js";
import { adamUpdate } from "../kernels/adam.js";
import { Layer, type ParameterFactors } from "../layers/layer.js";
import { Tensor } from "../tensor/tensor.js";
import { checkNumber, checkOneOf, checkOptionNames, describe } from "../util/validate.js";
import { copyFloats } from "../util/stepPool.js";

/** The solvers (MATLAB trainingOptions' solverName). */
export type Solver = "sgdm" | "adam" | "rmsprop";
/** MATLAB's GradientThresholdMethod: per learnable L2 norm, global L2 norm, or elementwise absolute value. */
export type GradientThresholdMethod = "l2norm" | "global-l2norm" | "absolute-value";

/** A learnable for a custom loop: its tensor (updated in place) and optional MATLAB factors (1 by default). */
export interface Learnable {
  tensor: Tensor;
  factors?: Partial<ParameterFactors>;
  /** named in messages */
  name?: string;
}

/** Options every optimizer takes (MATLAB trainingOptions names in camelCase). */
export interface OptimizerOptions {
  /** 0.01 for sgdm, 0.001 for adam and rmsprop (MATLAB's defaults) */
  learnRate?: number;
  /** λ of ½λ‖w‖² (times each learnable's l2 factor); default 1e-4 as MATLAB */
  l2Regularization?: number;
  /** default Infinity (no clipping) */
  gradientThreshold?: number;
  /** default "l2norm" */
  gradientThresholdMethod?: GradientThresholdMethod;
}
/** sgdm's options: momentum (default 0.9). */
export interface SgdmOptions extends OptimizerOptions { momentum?: number }
/** adam's options: β₁ = gradientDecayFactor (0.9), β₂ = squaredGradientDecayFactor (0.999), epsilon (1e-8). */
export interface AdamOptions extends OptimizerOptions { gradientDecayFactor?: number; squaredGradientDecayFactor?: number; epsilon?: number }
/** rmsprop's options: β₂ = squaredGradientDecayFactor (0.9), epsilon (1e-8). */
export interface RmspropOptions extends OptimizerOptions { squaredGradientDecayFactor?: number; epsilon?: number }

/** Every option resolved. */
type Settings = Required<SgdmOptions & AdamOptions>;

/** MATLAB's defaults per solver. */
export const solverDefaults = (solver: Solver): Settings => ({
  learnRate: solver === "sgdm" ? 0.01 : 0.001, l2Regularization: 1e-4, gradientThreshold: Infinity, gradientThresholdMethod: "l2norm",
  momentum: 0.9, gradientDecayFactor: 0.9, squaredGradientDecayFactor: solver === "rmsprop" ? 0.9 : 0.999, epsilon: 1e-8,
});

/** The options each solver takes. */
export const solverOptionNames: Record<Solver, readonly (keyof Settings)[]> = {
  sgdm: ["learnRate", "l2Regularization", "gradientThreshold", "gradientThresholdMethod", "momentum"],
  adam: ["learnRate", "l2Regularization", "gradientThreshold", "gradientThresholdMethod", "gradientDecayFactor", "squaredGradientDecayFactor", "epsilon"],
  rmsprop: ["learnRate", "l2Regularization", "gradientThreshold", "gradientThresholdMethod", "squaredGradientDecayFactor", "epsilon"],
};

/** The solver options' types and ranges (MATLAB's trainingOptions ranges); `where` names the caller. */
export function checkSolverOptions(o: Settings, where: string): void {
  checkNumber(o.learnRate, where, "learnRate", { min: 0, minExclusive: true });
  checkNumber(o.l2Regularization, where, "l2Regularization", { min: 0 });
  checkNumber(o.momentum, where, "momentum", { min: 0, max: 1, maxExclusive: true });
  checkNumber(o.gradientDecayFactor, where, "gradientDecayFactor", { min: 0, max: 1, maxExclusive: true });
  checkNumber(o.squaredGradientDecayFactor, where, "squaredGradientDecayFactor", { min: 0, max: 1, maxExclusive: true });
  checkNumber(o.epsilon, where, "epsilon", { min: 0, minExclusive: true });
  if (o.gradientThreshold !== Infinity) checkNumber(o.gradientThreshold, where, "gradientThreshold", { min: 0, minExclusive: true, orElse: "Infinity" });
  checkOneOf(o.gradientThresholdMethod, ["l2norm", "global-l2norm", "absolute-value"], where, "gradientThresholdMethod");
}

/**
 * Clips gradients in place by MATLAB's rule (header). `grads` are the learnables' gradients, one array each;
 * a threshold of Infinity leaves them as they are.
 */
export function clipGradients(grads: readonly Float32Array[], threshold: number, method: GradientThresholdMethod = "l2norm"): void {
  if (!Array.isArray(grads)) throw new Error(`clipGradients: grads must be a list of Float32Arrays, got ${describe(grads)}`);
  grads.forEach((a, i) => {
    if (!(a instanceof Float32Array)) throw new Error(`clipGradients: grads[${i}] must be a Float32Array (a Tensor's .data), got ${describe(a)}`);
  });
  if (threshold !== Infinity) checkNumber(threshold, "clipGradients", "threshold", { min: 0, minExclusive: true, orElse: "Infinity" });
  checkOneOf(method, ["l2norm", "global-l2norm", "absolute-value"], "clipGradients", "method");
  if (threshold === Infinity) return;
  const sumOfSquares = (a: Float32Array) => { let s = 0; for (const v of a) s += v * v; return s; };
  const scale = (a: Float32Array, norm: number) => { if (norm > threshold) for (let j = 0; j < a.length; j++) a[j] *= threshold / norm; };
  if (method === "global-l2norm") {
    const norm = Math.sqrt(grads.reduce((s, a) => s + sumOfSquares(a), 0));
    for (const a of grads) scale(a, norm);
  } else if (method === "l2norm") {
    for (const a of grads) scale(a, Math.sqrt(sumOfSquares(a)));
  } else {
    for (const a of grads) for (let j = 0; j < a.length; j++) if (Math.abs(a[j]) > threshold) a[j] = Math.sign(a[j]) * threshold;
  }
}

/**
 * One optimizer: `step(learnables, grads)` updates the tensors in place. Learnables are a net or layer (its
 * `parameters` with the factors its layers declare; grads in the order of `Object.values(net.parameters)`, or
 * a record by parameter name) or a list of { tensor, factors? } (grads in the same order). Its state (moments,
 * velocities) is kept per tensor; `learnRate` may be changed between steps (a schedule).
 */
export class Optimizer {
  readonly solver: Solver;
  learnRate: number;
  /** steps taken (t of Adam's bias correction) */
  steps = 0;
  private readonly o: Settings;
  private readonly state = new Map<Tensor, { m: Float32Array; v: Float32Array }>();

  constructor(solver: Solver, options: OptimizerOptions & Partial<Settings> = {}) {
    checkOneOf(solver, ["sgdm", "adam", "rmsprop"], "Optimizer", "solver");
    checkOptionNames(options, solverOptionNames[solver], solver);
    this.solver = solver;
    this.o = { ...solverDefaults(solver), ...stripUndefined(options) };
    checkSolverOptions(this.o, solver);
    this.learnRate = this.o.learnRate;
  }

  step(learnables: Layer | readonly Learnable[], grads: readonly Tensor[] | Readonly<Record<string, Tensor>>): void {
    const where = `${this.solver}.step`;
    const list = learnablesOf(learnables, where);
    const g = gradientsOf(list, grads, where);
    checkNumber(this.learnRate, where, "learnRate", { min: 0, minExclusive: true });
    const o = this.o;
    this.steps++;
    noteWeightWrites(); // the updates below write into the live weights
    list.forEach((p, i) => {
      const l2 = o.l2Regularization * (p.factors?.l2 ?? 1);
      if (l2 !== 0) for (let j = 0; j < g[i].length; j++) g[i][j] += l2 * p.tensor.data[j];
    });
    clipGradients(g, o.gradientThreshold, o.gradientThresholdMethod);
    list.forEach((p, i) => {
      const lr = this.learnRate * (p.factors?.learnRate ?? 1);
      if (lr === 0) return;
      let s = this.state.get(p.tensor);
      if (!s) this.state.set(p.tensor, (s = { m: new Float32Array(p.tensor.size), v: new Float32Array(p.tensor.size) }));
      const w = p.tensor.data, gi = g[i], { m, v } = s;
      if (this.solver === "sgdm") {
        for (let j = 0; j < w.length; j++) {
          m[j] = o.momentum * m[j] - lr * gi[j];
          w[j] += m[j];
        }
      } else if (this.solver === "adam") {
        const b1 = o.gradientDecayFactor, b2 = o.squaredGradientDecayFactor;
        adamUpdate(w, gi, m, v, { b1, b2, lr, c1: 1 - b1 ** this.steps, c2: 1 - b2 ** this.steps, epsilon: o.epsilon });
      } else {
        const b2 = o.squaredGradientDecayFactor;
        for (let j = 0; j < w.length; j++) {
          v[j] = b2 * v[j] + (1 - b2) * gi[j] * gi[j];
          w[j] -= (lr * gi[j]) / (Math.sqrt(v[j]) + o.epsilon);
        }
      }
    });
  }
}

/** Stochastic gradient descent with momentum (MATLAB "sgdm"). */
export const sgdm = (options: SgdmOptions = {}): Optimizer => new Optimizer("sgdm", options);
/** Adam (MATLAB "adam"). */
export const adam = (options: AdamOptions = {}): Optimizer => new Optimizer("adam", options);
/** RMSProp (MATLAB "rmsprop"). */
export const rmsprop = (options: RmspropOptions = {}): Optimizer => new Optimizer("rmsprop", options);

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A net's or layer's parameters with their factors, or a checked list. */
function learnablesOf(learnables: Layer | readonly Learnable[], where: string): Learnable[] {
  if (learnables instanceof Layer) {
    return Object.entries(learnables.parameters).map(([name, tensor]) => ({ name, tensor, factors: learnables.parameterFactors(name) }));
  }
  if (!Array.isArray(learnables)) throw new Error(`${where}: learnables must be a net, a layer or a list of { tensor, factors? }, got ${describe(learnables)}`);
  learnables.forEach((p, i) => {
    if (!p || !(p.tensor instanceof Tensor)) throw new Error(`${where}: learnables[${i}] must be { tensor: Tensor, factors? }, got ${describe(p)}`);
  });
  return learnables as Learnable[];
}

/** Copies of the gradients (clipping and L2 must not touch the caller's), one per learnable, shapes checked. */
function gradientsOf(list: readonly Learnable[], grads: readonly Tensor[] | Readonly<Record<string, Tensor>>, where: string): Float32Array[] {
  const byName = !Array.isArray(grads);
  if (!byName && (grads as Tensor[]).length !== list.length) throw new Error(`${where}: ${(grads as Tensor[]).length} gradients for ${list.length} learnables`);
  return list.map((p, i) => {
    const name = p.name ?? `learnable ${i}`;
    const g = byName ? (grads as Record<string, Tensor>)[p.name ?? ""] : (grads as Tensor[])[i];
    if (!(g instanceof Tensor)) throw new Error(`${where}: the gradient of ${name} must be a Tensor, got ${describe(g)}`);
    if (g.size !== p.tensor.size) throw new Error(`${where}: the gradient of ${name} has ${g.size} values but the learnable has ${p.tensor.size}`);
    return copyFloats(g.data);
  });
}
