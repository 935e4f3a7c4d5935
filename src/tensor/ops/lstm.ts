// The LSTM recurrence as one autodiff node (math and backward in ../../kernels/lstm.ts): from the
// input part P [B, T, 4H] (x·Wᵀ for all steps), the recurrent weights R [4H, H] and the bias b [4H], the hidden
// states h [B, T, H]; or, given lastSteps, each row's h at its own last step, [B, H] (zeros for a row
// whose last step is outside 0…T−1). Given options instead (h0, c0 [B, H], row lengths, reverse: see
// ./recurrence.ts), h [B, T, H] and each row's final states hLast, cLast [B, H], with gradients to P, R, b,
// h0 and c0. lstmStep runs one step from a state (for decoding).
import { lstmBackward, lstmForward } from "../../kernels/lstm.js";
import { record } from "../autodiff.js";
import { formatShape } from "../shape.js";
import { Tensor, uncheckedTensor } from "../tensor.js";
import { checkRecurrence, recordRecurrence, stepInput, type RecurrenceOptions, type RecurrenceOutputs } from "./recurrence.js";
import { allocZeros } from "../../util/stepPool.js";

export interface LstmOptions extends RecurrenceOptions {
  /** the initial cell state [B, H] (zeros when omitted) */
  c0?: Tensor;
}

export interface LstmOutputs extends RecurrenceOutputs {
  /** each row's cell state after its last valid step (c0 for a row of length 0): [B, H] */
  cLast: Tensor;
}

/** The LSTM state of each row: hidden and cell, [B, H] each. */
export interface LstmState { h: Tensor; c: Tensor }

export function lstmRecurrence(p: Tensor, r: Tensor, bias: Tensor, lastSteps?: readonly number[]): Tensor;
export function lstmRecurrence(p: Tensor, r: Tensor, bias: Tensor, options: LstmOptions): LstmOutputs;
export function lstmRecurrence(p: Tensor, r: Tensor, bias: Tensor, lastSteps?: readonly number[] | LstmOptions): Tensor | LstmOutputs {
  if (lastSteps !== undefined && !Array.isArray(lastSteps)) return lstmRun("lstmRecurrence", p, r, bias, lastSteps as LstmOptions);
  const [B, T, G] = p.shape, H = r.shape[1];
  if (p.rank !== 3 || r.rank !== 2 || G !== 4 * H || r.shape[0] !== G || bias.size !== G) {
    throw new Error(`lstmRecurrence: expected P [B, T, 4H], R [4H, H] and b [4H], got ${formatShape(p.shape)}, ${formatShape(r.shape)} and ${formatShape(bias.shape)}`);
  }
  const { h, trace } = lstmForward(p.data, r.data, bias.data, B, T, H);
  const picked = (b: number) => (lastSteps !== undefined && lastSteps[b] >= 0 && lastSteps[b] < T ? lastSteps[b] : -1);
  let y: Tensor;
  if (lastSteps === undefined) y = uncheckedTensor(h, [B, T, H]);
  else {
    const last = allocZeros(B * H);
    for (let b = 0; b < B; b++) if (picked(b) >= 0) last.set(h.subarray((b * T + picked(b)) * H, (b * T + picked(b) + 1) * H), b * H);
    y = uncheckedTensor(last, [B, H]);
  }
  record([y], [p, r, bias], ([g]) => {
    let dh = g!;
    if (lastSteps !== undefined) {
      dh = allocZeros(B * T * H);
      for (let b = 0; b < B; b++) if (picked(b) >= 0) dh.set(g!.subarray(b * H, (b + 1) * H), (b * T + picked(b)) * H);
    }
    const { dp, dr, db } = lstmBackward(dh, r.data, trace);
    return [dp, dr, db];
  });
  return y;
}

/** One step from state (h, c [B, H]) with P_t [B, 4H]: the next state, the same numbers as that step of lstmRecurrence. */
export function lstmStep(p: Tensor, r: Tensor, bias: Tensor, state: LstmState): LstmState {
  const { hLast, cLast } = lstmRun("lstmStep", stepInput("lstmStep", p), r, bias, { h0: state?.h, c0: state?.c }, ["state.h", "state.c"]);
  return { h: hLast, c: cLast };
}

function lstmRun(fn: string, p: Tensor, r: Tensor, bias: Tensor, options: LstmOptions, [hName, cName] = ["h0", "c0"]): LstmOutputs {
  const { h0, c0 } = options;
  const steps = checkRecurrence(fn, 4, p, r, { name: "b", tensor: bias, units: 4 }, { [hName]: h0, [cName]: c0 }, options);
  const { B, T, H } = steps;
  const run = lstmForward(p.data, r.data, bias.data, B, T, H, { h0: h0?.data, c0: c0?.data, lengths: steps.lengths, reverse: steps.reverse });
  const out = { h: uncheckedTensor(run.h, [B, T, H]), hLast: uncheckedTensor(run.hLast, [B, H]), cLast: uncheckedTensor(run.cLast, [B, H]) };
  recordRecurrence([out.h, out.hLast, out.cLast], { p, r, bias, h0, c0 }, ([dh, dhLast, dcLast]) => {
    const g = lstmBackward(dh, r.data, run.trace, dhLast, dcLast);
    return { p: g.dp, r: g.dr, bias: g.db, h0: g.dh0, c0: g.dc0 };
  });
  return out;
}
