// The GRU recurrence as one autodiff node (math, modes and backward in ../../kernels/gru.ts), MATLAB
// gruLayer's gate order r, z, h̃ and reset-gate modes, with MATLAB's one bias vector:
//   "after-multiplication" (default): bias [3H] = b;        h̃ = tanh(P_h̃ + b_h̃ + r ∘ (R_h̃ h))
//   "before-multiplication":          bias [3H] = b;        h̃ = tanh(P_h̃ + b_h̃ + R_h̃ (r ∘ h))
//   "recurrent-bias-after-multiplication": bias [6H] = [b; b_R] (input bias, then recurrent bias, each in
//     gate order r, z, h̃);  r, z = σ(P + b + R h + b_R),  h̃ = tanh(P_h̃ + b_h̃ + r ∘ (R_h̃ h + b_Rh̃))
//     (cuDNN's and PyTorch's GRU: b = bias_ih, b_R = bias_hh)
// and in every mode h' = (1 − z) ∘ h̃ + z ∘ h. Gradients flow to P, R, bias and h0.
import { gruBackward, gruForward } from "../../kernels/gru.js";
import { isRecording } from "../autodiff.js";
import { uncheckedTensor, type Tensor } from "../tensor.js";
import { checkRecurrence, recordRecurrence, stepInput, type RecurrenceOptions, type RecurrenceOutputs } from "./recurrence.js";
import { allocFloats, allocZeros } from "../../util/stepPool.js";

export type GruResetGateMode = "after-multiplication" | "before-multiplication" | "recurrent-bias-after-multiplication";
export const GRU_RESET_GATE_MODES: readonly GruResetGateMode[] = ["after-multiplication", "before-multiplication", "recurrent-bias-after-multiplication"];

export interface GruOptions {
  /** MATLAB's ResetGateMode: "after-multiplication" when omitted */
  resetGateMode?: GruResetGateMode;
}

/** h [B, T, H] and hLast [B, H] from P [B, T, 3H] (x·Wᵀ for all steps), R [3H, H] and bias ([3H], or [6H] with a recurrent bias). */
export function gruRecurrence(p: Tensor, r: Tensor, bias: Tensor, options: GruOptions & RecurrenceOptions = {}): RecurrenceOutputs {
  return gruRun("gruRecurrence", p, r, bias, options);
}

/** One step from h [B, H] with P_t [B, 3H]: the next state [B, H], the same numbers as that step of gruRecurrence. */
export function gruStep(p: Tensor, r: Tensor, bias: Tensor, h: Tensor, options: GruOptions = {}): Tensor {
  return gruRun("gruStep", stepInput("gruStep", p), r, bias, { resetGateMode: options.resetGateMode, h0: h }, "h").hLast;
}

function gruRun(fn: string, p: Tensor, r: Tensor, bias: Tensor, options: GruOptions & RecurrenceOptions, hName = "h0"): RecurrenceOutputs {
  const { resetGateMode = "after-multiplication", h0 } = options;
  if (!GRU_RESET_GATE_MODES.includes(resetGateMode)) {
    throw new Error(`${fn}: resetGateMode must be one of ${GRU_RESET_GATE_MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(resetGateMode)}`);
  }
  const recurrentBias = resetGateMode === "recurrent-bias-after-multiplication";
  const units = recurrentBias ? 6 : 3;
  const steps = checkRecurrence(fn, 3, p, r, { name: "bias", tensor: bias, units, note: ` (resetGateMode "${resetGateMode}")` }, { [hName]: h0 }, options);
  const { B, T, H } = steps, G = 3 * H, resetAfter = resetGateMode !== "before-multiplication";
  const bx = bias.data.subarray(0, G), bh = recurrentBias ? bias.data.subarray(G, 2 * G) : allocZeros(G);
  // outside a trace (inference, decoding) the backward's trace is not kept
  const { h, hLast, trace } = gruForward(p.data, r.data, bx, bh, h0?.data ?? null, steps, resetAfter, isRecording([p, r, bias, h0]));
  const out = { h: uncheckedTensor(h, [B, T, H]), hLast: uncheckedTensor(hLast, [B, H]) };
  recordRecurrence([out.h, out.hLast], { p, r, bias, h0 }, ([dh, dhLast]) => {
    const g = gruBackward(dh, dhLast, r.data, trace);
    const dbias = allocFloats(units * H); // dbx, then dbh when there is a recurrent bias: every element
    dbias.set(g.dbx);
    if (recurrentBias) dbias.set(g.dbh, G);
    return { p: g.dp, r: g.dr, bias: dbias, h0: g.dh0 };
  });
  return out;
}
