// The "wasm" attention kernel as dotProductAttention runs it: the float32 WebAssembly kernel, except for
// problems whose results float32 cannot hold, which run the float64 reference kernel (and every problem where
// WebAssembly cannot run at all: ./loader.ts).
// The fused kernel keeps scores, row sums Σ e^(s − m)·v and gradient sums in float32, so it needs
//   scale·|q|max (the pre-scaled query), s = scale·D·|q|max·|k|max, Tk·|v|max,
//   and for the backward dP = Dv·|dO|max·|v|max + |dW|max, dQ ≲ scale·Tk·2dP·|k|max, dK ≲ scale·H·Tq·2dP·|q|max,
//   dV ≲ H·Tq·|dO|max / (1 − rate)
// below float32's largest value (3.4e38). The kernel measures the magnitudes in WebAssembly while it packs the
// inputs, one pass per input split over the threads (a serial scan cost ~4% of a two-thread T = 1024 call).
// Only finite entries count: NaN and ±∞ are the fused kernel's to handle (blocked ones never reach a result,
// visible ones propagate as in the reference).
// Three outcomes:
//   "fits": every bound above is below LIMIT (1e30): the kernel runs as is.
//   "verify": the bounds are loose (they take every maximum at once: one element of 1e36 in q fails the dK bound
//     at Tq = 64 although the true dK is ~1e36·|dS|), so when the inputs are finite and the scores and the
//     pre-scaled query provably fit (below 3.4e38 / 2), the kernel runs anyway and its results are taken only if
//     all finite. That check is sound: every other intermediate is a sum or product of these, and an overflow
//     there leaves ±∞ (or ∞ − ∞ = NaN) that reaches a result, since no step maps ∞ back to a finite value except
//     e^(−∞) = 0, which is also what the exact e^(s − m) rounds to in float32 once s − m < −104. The scores
//     themselves are bounded a priori because a row whose scores all overflowed to −∞ would look like a row
//     that sees no key (zeros, no NaN). Scaled by a power of two the problem would have the same scores, so
//     rescaling q and k gains nothing here: what float32 cannot represent is the scores or the results.
//   "refuse": the reference runs (the exact answer where float32 would give Inf or NaN, e.g. q = k = 1e20).
// Slowdown of a large-valued call: none when its results fit float32; otherwise one wasted fast attempt before
// the reference (which was the only path before).
import { anyHeadsLayout } from "../attention/headsLayout.js";
import { referenceKernel as headsFirstReference } from "../attention/reference.js";
import type { AttentionForward, AttentionKernel, AttentionProblem } from "../attention/problem.js";
import { wasmAttentionKernel, wasmBackward, wasmForward, type Magnitudes, type RangeCheck, type ResidentKeys } from "./attention.js";
import { wasmUsable } from "./loader.js";

/** The reference, also for heads-last problems (which the fast kernel takes as they are). */
const referenceKernel = anyHeadsLayout(headsFirstReference);

const LIMIT = 1e30;
const HALF_FLOAT32_MAX = 3.4028234663852886e38 / 2;

/** Nothing a forward computes can overflow float32 at these magnitudes (the "fits" verdict; a decoding step program takes only that). */
export function forwardFits(p: Pick<AttentionProblem, "scale" | "D" | "Tk">, m: Magnitudes): boolean {
  const q = m.q * Math.abs(p.scale);
  return q < LIMIT && q * m.k * p.D < LIMIT && m.v * p.Tk < LIMIT;
}

function backwardFits(p: AttentionProblem, m: Magnitudes): boolean {
  const s = Math.abs(p.scale), keep = p.dropout ? 1 / (1 - p.dropout.rate) : 1;
  const dP = (p.Dv * m.dOut * m.v + m.dWeights) * keep;
  return forwardFits(p, m) && s * p.Tk * 2 * dP * m.k < LIMIT && s * p.H * p.Tq * 2 * dP * m.q < LIMIT && p.H * p.Tq * m.dOut * keep < LIMIT;
}

/** Finite inputs whose pre-scaled query and scores stay below half of float32's largest value: safe to run and verify. */
function scoresFit(p: AttentionProblem, m: Magnitudes): boolean {
  const q = m.q * Math.abs(p.scale);
  return !m.nonFinite && q < HALF_FLOAT32_MAX && q * m.k * p.D < HALF_FLOAT32_MAX;
}

const verdict = (bounded: (p: AttentionProblem, m: Magnitudes) => boolean): RangeCheck =>
  (p, m) => (bounded(p, m) ? "fits" : scoresFit(p, m) ? "verify" : "refuse");
const forwardVerdict = verdict(forwardFits), backwardVerdict = verdict(backwardFits);

/** Forwards the reference ran (their statistics are float64 and only its backward reads them). */
const fromReference = new WeakSet<AttentionForward>();

let referenceCalls = 0;
/** How many forward or backward passes of the "wasm" kernel the reference ran so far (for the tests: proof of the path taken). */
export function referenceRuns(): number {
  return referenceCalls;
}

export const rangeCheckedWasmKernel: AttentionKernel = {
  name: wasmAttentionKernel.name,
  headsLast: true,

  forward(p, wantWeights) {
    const fast = wasmUsable() ? wasmForward(p, wantWeights, forwardVerdict) : null;
    if (fast) return fast;
    referenceCalls++;
    const fwd = referenceKernel.forward(p, wantWeights);
    fromReference.add(fwd);
    return fwd;
  },

  backward(p, fwd, dOut, dWeights) {
    if (!fromReference.has(fwd)) {
      const fast = wasmBackward(p, fwd, dOut, dWeights, backwardVerdict);
      if (fast) return fast;
    }
    referenceCalls++;
    // the reference recomputes scores in float64, so it needs its own statistics, not the float32 ones
    return referenceKernel.backward(p, fromReference.has(fwd) ? fwd : referenceKernel.forward(p, false), dOut, dWeights);
  },
};

/**
 * The split-K forward over keys and values resident in kernel memory (a decoding cache: ../../decode/residentKeys.ts),
 * range-checked like the kernel above; null when the check refuses or the output overflowed (the caller then
 * attends in float64 itself).
 */
export function residentForward(p: AttentionProblem, resident: ResidentKeys): AttentionForward | null {
  return wasmUsable() ? wasmForward(p, false, forwardVerdict, resident) : null;
}
