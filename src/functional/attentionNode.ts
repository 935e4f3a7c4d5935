// Attention as one autodiff node: inputs (q, k, v), outputs (out, and the weights when asked for).
// The forward keeps only what the kernel's backward needs (q, k, v, out, log-sum-exp).
// Shapes (already validated by the caller): q [B, H, Tq, D], k [B, Hkv, Tk, D], v [B, Hkv, Tk, Dv].
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
}

export function attentionProblem(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec): AttentionProblem {
  const [B, H, Tq, D] = q.shape;
  const [, Hkv, Tk] = k.shape;
  const Dv = v.shape[3];
  const dropout = spec.dropout && spec.dropout.rate > 0 ? spec.dropout : undefined;
  return { B, H, Hkv, Tq, Tk, D, Dv, q: q.data, k: k.data, v: v.data, scale: spec.scale, mask: spec.mask, dropout };
}

export function attend(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec, wantWeights: boolean): { output: Tensor; weights?: Tensor } {
  const kernel = attentionKernel(spec.implementation);
  const problem = attentionProblem(q, k, v, spec);
  const { B, H, Tq, Tk, Dv } = problem;
  // before any kernel allocates them (the reference would fill arrays past what a tensor can hold)
  checkSize([B, H, Tq, Dv], "dotProductAttention: output");
  if (wantWeights) checkSize([B, H, Tq, Tk], "dotProductAttention: weights");
  const fwd = kernel.forward(problem, wantWeights);
  const output = uncheckedTensor(checked(kernel, "out", fwd.out, B * H * Tq * Dv), [B, H, Tq, Dv]);
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
