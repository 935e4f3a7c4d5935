// What the recurrences (gru.ts, rnn.ts, lstm.ts) share: which time index each row visits at each step.
// Row b has its own length L_b (0 ≤ L_b ≤ T; steps t ≥ L_b are padding). Step k = 0 … L_b − 1 visits
//   t = k              (forward)
//   t = L_b − 1 − k    (reverse: the row's valid steps from its last to its first; padding stays put)
// and steps k ≥ L_b leave the row alone: its state is kept, its outputs at padded t are 0 and no
// gradient flows through them. The final state of a row is its state after its L_b steps (its initial
// state when L_b = 0). The kernels run all rows of step k together (one GEMM per step for all rows).

/** The shape of one recurrence run: B rows of T steps of H units, each row's length, the direction. */
export interface RecurrenceSteps {
  B: number; T: number; H: number;
  /** L_b per row, 0 ≤ L_b ≤ T */
  lengths: Int32Array;
  reverse: boolean;
}

/** What a forward recurrence gives: outputs, final states, and the trace its backward pass needs. */
export interface RecurrenceResult<Trace> {
  /** h_t per (row, time), zeros at padded steps: [B, T, H] */
  h: Float32Array;
  /** each row's state after its last valid step: [B, H] */
  hLast: Float32Array;
  trace: Trace;
}

/** The steps of a run; lengths default to T for every row. */
export function recurrenceSteps(B: number, T: number, H: number, lengths?: ArrayLike<number>, reverse = false): RecurrenceSteps {
  return { B, T, H, lengths: lengths === undefined ? new Int32Array(B).fill(T) : Int32Array.from(lengths), reverse };
}

/** The time index row b visits at step k, or −1 when step k is past the row's length. */
export function stepTime(steps: RecurrenceSteps, b: number, k: number): number {
  const L = steps.lengths[b];
  if (k >= L) return -1;
  return steps.reverse ? L - 1 - k : k;
}
