// Attention as one autodiff node: inputs (q, k, v), outputs (out, and the weights when asked for).
// The forward keeps only what the kernel's backward needs (q, k, v, out, log-sum-exp).
// Shapes (already validated by the caller): q [B, H, Tq, D], k [B, Hkv, Tk, D], v [B, Hkv, Tk, Dv]; with headsLast
// q [B, Tq, H, D], k [B, Tk, Hkv, D], v [B, Tk, Hkv, Dv] and the output [B, Tq, H, Dv] (a projection's output
// reshaped, no copy: a kernel that reads this layout itself needs no transposes around it).
import { anyHeadsLayout } from "../kernels/attention/headsLayout.js";
import type { AttentionKernel, AttentionProblem, MaskSpec } from "../kernels/attention/problem.js";
import { record } from "../tensor/autodiff.js";
import { Tensor, checkSize, uncheckedTensor } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";
import { attentionKernel } from "./kernelRegistry.js";

export interface AttendSpec {
  scale: number;
  mask: MaskSpec;
  dropout?: { rate: number; seed: number };
  implementation?: string;
  /** q, k, v and the output with heads last (see above) */
  headsLast?: boolean;
}

export function attentionProblem(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec): AttentionProblem {
  const headsLast = spec.headsLast === true;
  const [B, H, Tq, D] = headsLast ? [q.shape[0], q.shape[2], q.shape[1], q.shape[3]] : q.shape;
  const [Hkv, Tk] = headsLast ? [k.shape[2], k.shape[1]] : [k.shape[1], k.shape[2]];
  const Dv = v.shape[3];
  const dropout = spec.dropout && spec.dropout.rate > 0 ? spec.dropout : undefined;
  return { B, H, Hkv, Tq, Tk, D, Dv, q: q.data, k: k.data, v: v.data, headsLast, scale: spec.scale, mask: spec.mask, dropout };
}

/** Kernels that read heads first only, each wrapped once to move a heads-last problem's arrays around it. */
const wrapped = new WeakMap<AttentionKernel, AttentionKernel>();
function takingHeadsLast(kernel: AttentionKernel): AttentionKernel {
  if (kernel.headsLast) return kernel;
  let w = wrapped.get(kernel);
  if (!w) wrapped.set(kernel, (w = anyHeadsLayout(kernel)));
  return w;
}

export function attend(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec, wantWeights: boolean): { output: Tensor; weights?: Tensor } {
  const problem = attentionProblem(q, k, v, spec);
  const kernel = problem.headsLast ? takingHeadsLast(attentionKernel(spec.implementation)) : attentionKernel(spec.implementation);
  const { B, H, Tq, Tk, Dv } = problem;
  // before any kernel allocates them (the reference would fill arrays past what a tensor can hold)
  checkSize([B, H, Tq, Dv], "dotProductAttention: output");
  if (wantWeights) checkSize([B, H, Tq, Tk], "dotProductAttention: weights");
  const fwd = kernel.forward(problem, wantWeights);
  const output = uncheckedTensor(checked(kernel, "out", fwd.out, B * H * Tq * Dv), problem.headsLast ? [B, Tq, H, Dv] : [B, H, Tq, Dv]);
  const weights = fwd.weights ? uncheckedTensor(checked(kernel, "weights", fwd.weights, B * H * Tq * Tk), [B, H, Tq, Tk]) : undefined;
  record(weights ? [output, weights] : [output], [q, k, v], ([dOut, dWeights]) => {
    const g = kernel.backward(problem, fwd, dOut, dWeights ?? null);
    return [checked(kernel, "dq", g.dq, q.size), checked(kernel, "dk", g.dk, k.size), checked(kernel, "dv", g.dv, v.size)];
  });
  return { output, weights };
}

/** A kernel's result, checked once here: registerAttentionKernel takes user code, whose arrays no op re-checks. */
function checked(kernel: AttentionKernel, what: string, x: unknown, length: number): Float32Array {
  if (x instanceof Float32Array && x.length === length) return x;
  const got = x instanceof Float32Array ? `a Float32Array of ${x.length}` : describe(x);
  throw new Error(`attention kernel "${kernel.name}": ${what} must be a Float32Array of ${length} values, got ${got}`);
}
