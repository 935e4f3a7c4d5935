// The basic recurrence (Wolfram BasicRecurrentLayer, PyTorch nn.RNN with tanh) as one autodiff node (math
// and backward in ../../kernels/rnn.ts): h' = tanh(P_t + b + R h). Gradients flow to P, R, bias and h0.
import { rnnBackward, rnnForward } from "../../kernels/rnn.js";
import { uncheckedTensor, type Tensor } from "../tensor.js";
import { checkRecurrence, recordRecurrence, stepInput, type RecurrenceOptions, type RecurrenceOutputs } from "./recurrence.js";

/** h [B, T, H] and hLast [B, H] from P [B, T, H] (x·Wᵀ for all steps), R [H, H] and bias [H]. */
export function rnnRecurrence(p: Tensor, r: Tensor, bias: Tensor, options: RecurrenceOptions = {}): RecurrenceOutputs {
  return rnnRun("rnnRecurrence", p, r, bias, options);
}

/** One step from h [B, H] with P_t [B, H]: the next state [B, H], the same numbers as that step of rnnRecurrence. */
export function rnnStep(p: Tensor, r: Tensor, bias: Tensor, h: Tensor): Tensor {
  return rnnRun("rnnStep", stepInput("rnnStep", p), r, bias, { h0: h }, "h").hLast;
}

function rnnRun(fn: string, p: Tensor, r: Tensor, bias: Tensor, options: RecurrenceOptions, hName = "h0"): RecurrenceOutputs {
  const { h0 } = options;
  const steps = checkRecurrence(fn, 1, p, r, { name: "bias", tensor: bias, units: 1 }, { [hName]: h0 }, options);
  const { B, T, H } = steps;
  const { h, hLast, trace } = rnnForward(p.data, r.data, bias.data, h0?.data ?? null, steps);
  const out = { h: uncheckedTensor(h, [B, T, H]), hLast: uncheckedTensor(hLast, [B, H]) };
  recordRecurrence([out.h, out.hLast], { p, r, bias, h0 }, ([dh, dhLast]) => {
    const g = rnnBackward(dh, dhLast, r.data, trace);
    return { p: g.dp, r: g.dr, bias: g.db, h0: g.dh0 };
  });
  return out;
}
