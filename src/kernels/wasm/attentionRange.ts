// The "wasm" attention kernel as dotProductAttention runs it: the float32 WebAssembly kernel, except for
// problems whose magnitudes could overflow float32 inside it, which run the float64 reference kernel.
// The fused kernel keeps scores, row sums Σ e^(s − m)·v and gradient sums in float32, so it needs
//   scale·|q|max (the pre-scaled query), s = scale·D·|q|max·|k|max, Tk·|v|max,
//   and for the backward dP = Dv·|dO|max·|v|max + |dW|max, dQ ≲ scale·Tk·2dP·|k|max, dK ≲ scale·H·Tq·2dP·|q|max,
//   dV ≲ H·Tq·|dO|max / (1 − rate)
// all below LIMIT (float32's largest value is 3.4e38). Only finite entries count: NaN and ±∞ are the fused
// kernel's to handle (blocked ones never reach a result, visible ones propagate as in the reference).
// The reference gives the exact answer where float32 would give Inf or NaN (e.g. q = k = 1e20).
import { referenceKernel } from "../attention/reference.js";
import type { AttentionForward, AttentionKernel, AttentionProblem } from "../attention/problem.js";
import { wasmAttentionKernel } from "./attention.js";

const LIMIT = 1e30;

function maxAbsFinite(x: Float32Array | null | undefined): number {
  let m = 0;
  if (x) for (let i = 0; i < x.length; i++) { const a = Math.abs(x[i]); if (a > m && a !== Infinity) m = a; }
  return m;
}

function forwardFits(p: AttentionProblem): boolean {
  const q = maxAbsFinite(p.q) * Math.abs(p.scale), k = maxAbsFinite(p.k), v = maxAbsFinite(p.v);
  return q < LIMIT && q * k * p.D < LIMIT && v * p.Tk < LIMIT;
}

function backwardFits(p: AttentionProblem, dOut: Float32Array | null, dWeights: Float32Array | null): boolean {
  const q = maxAbsFinite(p.q), k = maxAbsFinite(p.k), v = maxAbsFinite(p.v), s = Math.abs(p.scale);
  const dO = maxAbsFinite(dOut), keep = p.dropout ? 1 / (1 - p.dropout.rate) : 1;
  const dP = (p.Dv * dO * v + maxAbsFinite(dWeights)) * keep;
  return s * p.Tk * 2 * dP * k < LIMIT && s * p.H * p.Tq * 2 * dP * q < LIMIT && p.H * p.Tq * dO * keep < LIMIT;
}

/** Forwards the reference ran (their statistics are float64 and only its backward reads them). */
const fromReference = new WeakSet<AttentionForward>();

export const rangeCheckedWasmKernel: AttentionKernel = {
  name: wasmAttentionKernel.name,

  forward(p, wantWeights) {
    if (forwardFits(p)) return wasmAttentionKernel.forward(p, wantWeights);
    const fwd = referenceKernel.forward(p, wantWeights);
    fromReference.add(fwd);
    return fwd;
  },

  backward(p, fwd, dOut, dWeights) {
    if (fromReference.has(fwd)) return referenceKernel.backward(p, fwd, dOut, dWeights);
    if (backwardFits(p, dOut, dWeights)) return wasmAttentionKernel.backward(p, fwd, dOut, dWeights);
    // the reference recomputes scores in float64, so it needs its own statistics, not the float32 ones
    return referenceKernel.backward(p, referenceKernel.forward(p, false), dOut, dWeights);
  },
};
