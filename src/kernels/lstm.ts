// The LSTM recurrence on flat arrays (MATLAB gate order i, f, g, o), forward and backward through time.
// Legend: B batch rows, T steps, H hidden units; P [B, T, 4H] = x·Wᵀ is precomputed for all steps
// (one GEMM), R [4H, H] the recurrent weights, b [4H] the bias. Per step, one GEMM gives all four gates
// of all rows:
//   z_t = P[:, t] + h_{t−1}·Rᵀ + b;  i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g)
//   c_t = f ∘ c_{t−1} + i ∘ g;  h_t = o ∘ tanh(c_t);  h_{−1} = h0, c_{−1} = c0 (zeros when not given)
// Row lengths and direction as in ./recurrence.ts (by default every row runs all T steps forward); the
// final states hLast, cLast [B, H] are each row's h and c after its last valid step.
// Backward, from dh_t (the loss gradient through the outputs) and the carried dh, dc:
//   dh = dh_t + (dz_{t+1}·R) (at a row's last step: + dhLast, and dc starts from dcLast);  do = dh ∘ tanh(c_t);  dc = dc_{t+1}∘f_{t+1} + dh ∘ o ∘ (1 − tanh²c_t)
//   di = dc ∘ g, dg = dc ∘ i, df = dc ∘ c_{t−1};  dz = (di·i(1−i), df·f(1−f), dg·(1−g²), do·o(1−o))
//   dP[:, t] = dz_t;  db = Σ_{b,t} dz;  dR = Σ_t dz_tᵀ·h_{t−1} (one GEMM over all B·T rows at the end);
//   dh0, dc0 = the dh and dc carried past each row's first step
// Both directions are plain-JS loops here (lstmForwardReference, lstmBackwardReference) and WebAssembly
// kernels that run all steps in one call (./wasm/lstm.ts); lstmForward and lstmBackward, which the op uses,
// are the WebAssembly ones.
import { gemm } from "./matmul.js";
import { recurrenceSteps, stepTime, type RecurrenceSteps } from "./recurrence.js";
import { logistic as sigmoid } from "./logistic.js";
import { lstmBackwardWasm, lstmForwardWasm } from "./wasm/lstm.js";
import { wasmUsable } from "./wasm/loader.js";

/** What the backward pass needs from the forward pass. */
export interface LstmTrace {
  steps: RecurrenceSteps;
  /** activated gates i, f, g, o per (row, step): [B, T, 4H] (zeros at padded steps, as below) */
  gates: Float32Array;
  /** c_t: [B, T, H] */
  cells: Float32Array;
  /** h_{t−1} per (row, step): [B, T, H] */
  hPrev: Float32Array;
  /** c_{t−1} per (row, step): [B, T, H] */
  cPrev: Float32Array;
}

/** The optional parts of an LSTM run: initial states h0, c0 [B, H], row lengths, direction (./recurrence.ts). */
export interface LstmRunOptions {
  h0?: Float32Array | null;
  c0?: Float32Array | null;
  lengths?: ArrayLike<number>;
  reverse?: boolean;
}

export interface LstmResult {
  /** h_t per (row, step), zeros at padded steps: [B, T, H] */
  h: Float32Array;
  /** each row's h and c after its last valid step: [B, H] */
  hLast: Float32Array;
  cLast: Float32Array;
  trace: LstmTrace;
}

export interface LstmGradients {
  dp: Float32Array; dr: Float32Array; db: Float32Array;
  /** the gradients reaching the initial states: [B, H] */
  dh0: Float32Array; dc0: Float32Array;
}


/** h_t for every row and step: [B, T, H], and the final states (plain JS: the reference of the WebAssembly lstmForward). */
export function lstmForwardReference(p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number, options: LstmRunOptions = {}): LstmResult {
  const G = 4 * H, steps = recurrenceSteps(B, T, H, options.lengths, options.reverse);
  const h = new Float32Array(B * T * H), gates = new Float32Array(B * T * G), cells = new Float32Array(B * T * H), hPrev = new Float32Array(B * T * H), cPrev = new Float32Array(B * T * H);
  const hCur = options.h0 ? options.h0.slice() : new Float32Array(B * H), cCur = options.c0 ? options.c0.slice() : new Float32Array(B * H), z = new Float32Array(B * G);
  for (let k = 0; k < T; k++) {
    gemm(hCur, 0, false, r, 0, true, z, 0, B, H, G, false); // h_{t−1} [B, H] · Rᵀ → [B, 4H]
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k);
      if (t < 0) continue;
      const row = b * T + t, zo = b * G, po = row * G, ho = row * H, bo = b * H;
      for (let j = 0; j < H; j++) {
        hPrev[ho + j] = hCur[bo + j];
        cPrev[ho + j] = cCur[bo + j];
        const i = sigmoid(z[zo + j] + p[po + j] + bias[j]);
        const f = sigmoid(z[zo + H + j] + p[po + H + j] + bias[H + j]);
        const g = Math.tanh(z[zo + 2 * H + j] + p[po + 2 * H + j] + bias[2 * H + j]);
        const o = sigmoid(z[zo + 3 * H + j] + p[po + 3 * H + j] + bias[3 * H + j]);
        gates[po + j] = i; gates[po + H + j] = f; gates[po + 2 * H + j] = g; gates[po + 3 * H + j] = o;
        const c = f * cCur[bo + j] + i * g;
        cCur[bo + j] = c;
        cells[ho + j] = c;
        h[ho + j] = hCur[bo + j] = o * Math.tanh(c);
      }
    }
  }
  return { h, hLast: hCur, cLast: cCur, trace: { steps, gates, cells, hPrev, cPrev } };
}

/** The forward recurrence the op uses: the WebAssembly kernel (vectorized gates), same contract; the reference where WebAssembly cannot run. */
export const lstmForward: typeof lstmForwardReference = (...args) => (wasmUsable() ? lstmForwardWasm : lstmForwardReference)(...args);

/**
 * dP [B, T, 4H], dR [4H, H], db [4H] and dh0, dc0 [B, H] from dh [B, T, H] (the gradient reaching each h_t
 * from outside) and dhLast, dcLast [B, H] (reaching the final states; omitted for none)
 * (plain JS: the reference of the WebAssembly lstmBackward).
 */
export function lstmBackwardReference(dh: Float32Array, r: Float32Array, trace: LstmTrace, dhLast?: Float32Array | null, dcLast?: Float32Array | null): LstmGradients {
  const { steps, gates, cells, hPrev, cPrev } = trace, { B, T, H } = steps, G = 4 * H;
  const dp = new Float32Array(B * T * G);
  const dhNext = dhLast ? dhLast.slice() : new Float32Array(B * H), dcNext = dcLast ? dcLast.slice() : new Float32Array(B * H), dz = new Float32Array(B * G);
  for (let k = T - 1; k >= 0; k--) {
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k), zo = b * G;
      if (t < 0) { dz.fill(0, zo, zo + G); continue; }
      const row = b * T + t, go = row * G, ho = row * H, bo = b * H;
      for (let j = 0; j < H; j++) {
        const i = gates[go + j], f = gates[go + H + j], g = gates[go + 2 * H + j], o = gates[go + 3 * H + j];
        const tc = Math.tanh(cells[ho + j]);
        const dhj = dh[ho + j] + dhNext[bo + j];
        const dc = dcNext[bo + j] + dhj * o * (1 - tc * tc);
        dcNext[bo + j] = dc * f;
        dhNext[bo + j] = 0;
        dz[zo + j] = dc * g * i * (1 - i);
        dz[zo + H + j] = dc * cPrev[ho + j] * f * (1 - f);
        dz[zo + 2 * H + j] = dc * i * (1 - g * g);
        dz[zo + 3 * H + j] = dhj * tc * o * (1 - o);
      }
      for (let j = 0; j < G; j++) dp[go + j] = dz[zo + j];
    }
    gemm(dz, 0, false, r, 0, false, dhNext, 0, B, G, H, true); // dh_{t−1} += dz_t [B, 4H] · R [4H, H] (rows past their length add 0)
  }
  const dr = new Float32Array(G * H);
  gemm(dp, 0, true, hPrev, 0, false, dr, 0, G, B * T, H, false); // dPᵀ [4H, B·T] · h_{t−1} [B·T, H]
  const db = new Float32Array(G);
  for (let row = 0; row < B * T; row++) for (let j = 0; j < G; j++) db[j] += dp[row * G + j];
  return { dp, dr, db, dh0: dhNext, dc0: dcNext };
}

/** The backward recurrence the op uses: the WebAssembly kernel (all steps in one call), same contract; the reference where WebAssembly cannot run. */
export const lstmBackward: typeof lstmBackwardReference = (...args) => (wasmUsable() ? lstmBackwardWasm : lstmBackwardReference)(...args);
