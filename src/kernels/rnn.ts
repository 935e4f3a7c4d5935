// The basic recurrence (Wolfram BasicRecurrentLayer, PyTorch nn.RNN with tanh) on flat arrays, forward and
// backward through time. Legend: B rows, T steps, H hidden units; P [B, T, H] = x·Wᵀ for all steps (one GEMM
// outside), R [H, H], b [H]. Per step (row lengths, direction and initial state as in ./recurrence.ts):
//   h' = tanh(P_t + b + R h)
// Backward, from dh (the output's gradient at this step plus the carry from step t + 1):
//   da = dh (1 − h'²);  dh_prev = da·R;  dP_t = da;  db = Σ dP;  dR = Σ daᵀ h_prev (one GEMM at the end)
// Plain-JS loops here (the references); rnnForward and rnnBackward, which the op uses, run the
// WebAssembly kernels (./wasm/rnn.ts) where WebAssembly can run.
import { gemm } from "./matmul.js";
import { stepTime, type RecurrenceResult, type RecurrenceSteps } from "./recurrence.js";
import { rnnBackwardWasm, rnnForwardWasm } from "./wasm/rnn.js";
import { wasmUsable } from "./wasm/loader.js";

/** What the backward pass needs from the forward pass (padded steps hold zeros). */
export interface RnnTrace {
  steps: RecurrenceSteps;
  /** h_t per (row, time): [B, T, H] */
  h: Float32Array;
  /** the state each step started from: [B, T, H] */
  hPrev: Float32Array;
}

/** The forward recurrence (plain JS: the reference of the WebAssembly rnnForward); h0 [B, H] or null for zeros. */
export function rnnForwardReference(p: Float32Array, r: Float32Array, bias: Float32Array, h0: Float32Array | null, steps: RecurrenceSteps): RecurrenceResult<RnnTrace> {
  const { B, T, H } = steps;
  const h = new Float32Array(B * T * H), hPrev = new Float32Array(B * T * H);
  const hCur = h0 ? h0.slice() : new Float32Array(B * H), a = new Float32Array(B * H);
  for (let k = 0; k < T; k++) {
    gemm(hCur, 0, false, r, 0, true, a, 0, B, H, H, false); // h [B, H]·Rᵀ
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k);
      if (t < 0) continue;
      const ho = (b * T + t) * H, bo = b * H;
      for (let j = 0; j < H; j++) {
        hPrev[ho + j] = hCur[bo + j];
        h[ho + j] = hCur[bo + j] = Math.tanh(p[ho + j] + bias[j] + a[bo + j]);
      }
    }
  }
  return { h, hLast: hCur, trace: { steps, h, hPrev } };
}

export interface RnnGradients {
  dp: Float32Array; dr: Float32Array; db: Float32Array;
  /** the gradient reaching the initial state: [B, H] */
  dh0: Float32Array;
}

/** Gradients from dh [B, T, H] and dhLast [B, H] (or null) (plain JS: the reference of the WebAssembly rnnBackward). */
export function rnnBackwardReference(dh: Float32Array, dhLast: Float32Array | null, r: Float32Array, trace: RnnTrace): RnnGradients {
  const { steps, h, hPrev } = trace, { B, T, H } = steps, N = B * T;
  const dp = new Float32Array(N * H), carry = dhLast ? dhLast.slice() : new Float32Array(B * H), da = new Float32Array(B * H);
  for (let k = T - 1; k >= 0; k--) {
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k), bo = b * H;
      if (t < 0) { da.fill(0, bo, bo + H); continue; }
      const ho = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const y = h[ho + j];
        dp[ho + j] = da[bo + j] = (dh[ho + j] + carry[bo + j]) * (1 - y * y);
        carry[bo + j] = 0;
      }
    }
    gemm(da, 0, false, r, 0, false, carry, 0, B, H, H, true); // carry += da [B, H]·R [H, H] (rows past their length add 0)
  }
  const dr = new Float32Array(H * H);
  gemm(dp, 0, true, hPrev, 0, false, dr, 0, H, N, H, false); // dPᵀ [H, B·T]·h_prev
  const db = new Float32Array(H);
  for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) db[j] += dp[n * H + j];
  return { dp, dr, db, dh0: carry };
}

/** The forward recurrence the op uses: the WebAssembly kernel, same contract; the reference where WebAssembly cannot run. */
export const rnnForward: typeof rnnForwardReference = (...args) => (wasmUsable() ? rnnForwardWasm : rnnForwardReference)(...args);

/** The backward recurrence the op uses: the WebAssembly kernel, same contract; the reference where WebAssembly cannot run. */
export const rnnBackward: typeof rnnBackwardReference = (...args) => (wasmUsable() ? rnnBackwardWasm : rnnBackwardReference)(...args);
