// The GRU recurrence as one autodiff node (math, modes and backward in ../../kernels/gru.ts), MATLAB
// gruLayer's gate order r, z, h̃ and reset-gate modes:
//   "after-multiplication" (default): bias [3H];  h̃ = tanh(P_n + b_n + r ∘ (R_n h))
//   "before-multiplication":          bias [3H];  h̃ = tanh(P_n + b_n + R_n (r ∘ h))
//   "recurrent-bias-after-multiplication": bias [3H] and recurrentBias [3H] (MATLAB's RecurrentBias);
//     r, z = σ(P + b + R h + b_R),  h̃ = tanh(P_n + b_n + r ∘ (R_n h + b_Rn))  (cuDNN's and PyTorch's GRU)
// and in every mode h' = (1 − z) ∘ h̃ + z ∘ h. Gradients flow to P, R, bias, recurrentBias and h0.
import { gruBackward, gruForward } from "../../kernels/gru.js";
import { uncheckedTensor, type Tensor } from "../tensor.js";
import { checkRecurrence, recordRecurrence, stepInput, type RecurrenceOptions, type RecurrenceOutputs } from "./recurrence.js";

export type GruResetGateMode = "after-multiplication" | "before-multiplication" | "recurrent-bias-after-multiplication";
export const GRU_RESET_GATE_MODES: readonly GruResetGateMode[] = ["after-multiplication", "before-multiplication", "recurrent-bias-after-multiplication"];

export interface GruOptions {
  resetGateMode?: GruResetGateMode;
  /** [3H]: required by "recurrent-bias-after-multiplication", refused by the other modes */
  recurrentBias?: Tensor;
}

/** h [B, T, H] and hLast [B, H] from P [B, T, 3H] (x·Wᵀ for all steps), R [3H, H] and bias [3H]. */
export function gruRecurrence(p: Tensor, r: Tensor, bias: Tensor, options: GruOptions & RecurrenceOptions = {}): RecurrenceOutputs {
  return gruRun("gruRecurrence", p, r, bias, options);
}

/** One step from h [B, H] with P_t [B, 3H]: the next state [B, H], the same numbers as that step of gruRecurrence. */
export function gruStep(p: Tensor, r: Tensor, bias: Tensor, h: Tensor, options: GruOptions = {}): Tensor {
  return gruRun("gruStep", stepInput("gruStep", p), r, bias, { ...options, h0: h, lengths: undefined, reverse: false }, "h").hLast;
}

function gruRun(fn: string, p: Tensor, r: Tensor, bias: Tensor, options: GruOptions & RecurrenceOptions, hName = "h0"): RecurrenceOutputs {
  const { resetGateMode = "after-multiplication", recurrentBias, h0 } = options;
  if (!GRU_RESET_GATE_MODES.includes(resetGateMode)) {
    throw new Error(`${fn}: resetGateMode must be one of ${GRU_RESET_GATE_MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(resetGateMode)}`);
  }
  const withRecurrentBias = resetGateMode === "recurrent-bias-after-multiplication";
  if (withRecurrentBias !== (recurrentBias !== undefined)) {
    throw new Error(`${fn}: recurrentBias is ${withRecurrentBias ? "required" : "not used"} with resetGateMode "${resetGateMode}"${withRecurrentBias ? "" : " (only \"recurrent-bias-after-multiplication\" has one)"}`);
  }
  const steps = checkRecurrence(fn, 3, p, r, { bias, recurrentBias }, { [hName]: h0 }, options);
  const { B, T, H } = steps, resetAfter = resetGateMode !== "before-multiplication";
  const bh = recurrentBias?.data ?? new Float32Array(3 * H);
  const { h, hLast, trace } = gruForward(p.data, r.data, bias.data, bh, h0?.data ?? null, steps, resetAfter);
  const out = { h: uncheckedTensor(h, [B, T, H]), hLast: uncheckedTensor(hLast, [B, H]) };
  recordRecurrence([out.h, out.hLast], { p, r, bias, recurrentBias, h0 }, ([dh, dhLast]) => {
    const g = gruBackward(dh, dhLast, r.data, trace);
    return { p: g.dp, r: g.dr, bias: g.dbx, recurrentBias: g.dbh, h0: g.dh0 };
  });
  return out;
}
