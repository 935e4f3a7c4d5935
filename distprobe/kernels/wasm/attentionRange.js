// The "wasm" attention kernel as dotProductAttention runs it: the float32 WebAssembly kernel, except for
// problems whose magnitudes could overflow float32 inside it, which run the float64 reference kernel.
// The fused kernel keeps scores, row sums Σ e^(s − m)·v and gradient sums in float32, so it needs
//   scale·|q|max (the pre-scaled query), s = scale·D·|q|max·|k|max, Tk·|v|max,
//   and for the backward dP = Dv·|dO|max·|v|max + |dW|max, dQ ≲ scale·Tk·2dP·|k|max, dK ≲ scale·H·Tq·2dP·|q|max,
//   dV ≲ H·Tq·|dO|max / (1 − rate)
// all below LIMIT (float32's largest value is 3.4e38). The kernel measures the magnitudes in WebAssembly while it
// packs the inputs, one pass per input split over the threads (a serial scan cost ~4% of a two-thread T = 1024
// call). Only finite entries count: NaN and ±∞
// are the fused kernel's to handle (blocked ones never reach a result, visible ones propagate as in the reference).
// The reference gives the exact answer where float32 would give Inf or NaN (e.g. q = k = 1e20).
import { referenceKernel } from "../attention/reference.js";
import { wasmAttentionKernel, wasmBackward, wasmForward } from "./attention.js";
const LIMIT = 1e30;
function forwardFits(p, m) {
    const q = m.q * Math.abs(p.scale);
    return q < LIMIT && q * m.k * p.D < LIMIT && m.v * p.Tk < LIMIT;
}
function backwardFits(p, m) {
    const s = Math.abs(p.scale), keep = p.dropout ? 1 / (1 - p.dropout.rate) : 1;
    const dP = (p.Dv * m.dOut * m.v + m.dWeights) * keep;
    return forwardFits(p, m) && s * p.Tk * 2 * dP * m.k < LIMIT && s * p.H * p.Tq * 2 * dP * m.q < LIMIT && p.H * p.Tq * m.dOut * keep < LIMIT;
}
/** Forwards the reference ran (their statistics are float64 and only its backward reads them). */
const fromReference = new WeakSet();
export const rangeCheckedWasmKernel = {
    name: wasmAttentionKernel.name,
    forward(p, wantWeights) {
        const fast = wasmForward(p, wantWeights, forwardFits);
        if (fast)
            return fast;
        const fwd = referenceKernel.forward(p, wantWeights);
        fromReference.add(fwd);
        return fwd;
    },
    backward(p, fwd, dOut, dWeights) {
        if (fromReference.has(fwd))
            return referenceKernel.backward(p, fwd, dOut, dWeights);
        // the reference recomputes scores in float64, so it needs its own statistics, not the float32 ones
        return wasmBackward(p, fwd, dOut, dWeights, backwardFits) ?? referenceKernel.backward(p, referenceKernel.forward(p, false), dOut, dWeights);
    },
};
