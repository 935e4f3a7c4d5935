// What the recurrence ops (gru.ts, rnn.ts, lstm.ts) share: their options, the checks of their arguments,
// the one autodiff node each records, and the single-step form. Row lengths, direction and final states
// are defined in ../../kernels/recurrence.ts: step k of row b visits t = k (or L_b − 1 − k reversed) while
// k < L_b; padded steps keep the state, output 0 and pass no gradient.
import { recurrenceSteps, type RecurrenceSteps } from "../../kernels/recurrence.js";
import { record } from "../autodiff.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { reshape } from "./layout.js";
import { allocZeros } from "../../util/stepPool.js";

export interface RecurrenceOptions {
  /** the initial hidden state [B, H] (zeros when omitted) */
  h0?: Tensor;
  /** each row's number of valid steps L_b, 0 ≤ L_b ≤ T (all T when omitted) */
  lengths?: readonly number[];
  /** run each row's valid steps from its last to its first (the backward half of a bidirectional layer) */
  reverse?: boolean;
}

export interface RecurrenceOutputs {
  /** h_t for every row and step, zeros at padded steps: [B, T, H] */
  h: Tensor;
  /** each row's hidden state after its last valid step (h0 for a row of length 0): [B, H] */
  hLast: Tensor;
}

/** The bias an op takes: its name in messages and its length in units of H (G, or 2G with a recurrent half). */
export interface BiasSpec { name: string; tensor: Tensor; units: number; note?: string }

/**
 * Checks P [B, T, G·H], R [G·H, H], the bias, each state [B, H] and the options; gives the run's steps.
 * fn names the op in messages, G is the gate count (GRU 3, basic 1, LSTM 4).
 */
export function checkRecurrence(
  fn: string, G: number, p: Tensor, r: Tensor, bias: BiasSpec,
  states: Record<string, Tensor | undefined>, options: RecurrenceOptions,
): RecurrenceSteps {
  if (!(p instanceof Tensor) || !(r instanceof Tensor)) throw new Error(`${fn}: P and R must be Tensors`);
  const [B, T, GH] = p.shape, H = r.shape[1];
  const units = (n: number) => (n === 1 ? "H" : `${n}H`);
  const b = bias.tensor;
  if (p.rank !== 3 || r.rank !== 2 || GH !== G * H || r.shape[0] !== GH || !(b instanceof Tensor) || b.rank !== 1 || b.size !== bias.units * H) {
    const got = [p, r, b].map((t) => (t instanceof Tensor ? formatShape(t.shape) : String(t)));
    throw new Error(`${fn}: expected P [B, T, ${units(G)}], R [${units(G)}, H] and ${bias.name} [${units(bias.units)}]${bias.note ?? ""}, got ${got[0]}, ${got[1]} and ${got[2]}`);
  }
  for (const [name, s] of Object.entries(states)) {
    if (s !== undefined && (!(s instanceof Tensor) || s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== H)) {
      throw new Error(`${fn}: ${name} must be [B, H] = [${B}, ${H}], got ${s instanceof Tensor ? formatShape(s.shape) : String(s)}`);
    }
  }
  const { lengths, reverse = false } = options;
  if (lengths !== undefined && (!Array.isArray(lengths) || lengths.length !== B || lengths.some((L) => !Number.isInteger(L) || L < 0 || L > T))) {
    throw new Error(`${fn}: lengths must hold B = ${B} integers in 0…T = ${T}, got ${Array.isArray(lengths) ? `[${lengths.join(", ")}]` : String(lengths)}`);
  }
  if (typeof reverse !== "boolean") throw new Error(`${fn}: reverse must be a boolean, got ${String(reverse)}`);
  return recurrenceSteps(B, T, H, lengths, reverse);
}

/**
 * Records one node for a recurrence: the named inputs that are present (undefined ones are skipped) and
 * the outputs; backward gets the outputs' gradients (zeros for an unused one) and returns every named
 * input's gradient by name.
 */
export function recordRecurrence(
  outputs: Tensor[], inputs: Record<string, Tensor | undefined>,
  backward: (grads: Float32Array[]) => Record<string, Float32Array>,
): void {
  const present = Object.entries(inputs).filter(([, t]) => t !== undefined) as [string, Tensor][];
  record(outputs, present.map(([, t]) => t), (grads) => {
    const full = grads.map((g, i) => g ?? allocZeros(outputs[i].size));
    const byName = backward(full);
    return present.map(([name]) => byName[name]);
  });
}

/** One step's input part P_t [B, G·H] as the [B, 1, G·H] sequence a recurrence op takes. */
export function stepInput(fn: string, p: Tensor): Tensor {
  if (!(p instanceof Tensor) || p.rank !== 2) throw new Error(`${fn}: expected the step's input part P [B, G·H], got ${p instanceof Tensor ? formatShape(p.shape) : String(p)}`);
  return reshape(p, [p.shape[0], 1, p.shape[1]]);
}
