// The LSTM recurrence on flat arrays (MATLAB gate order i, f, g, o), forward and backward through time.
// Legend: B batch rows, T steps, H hidden units; P [B, T, 4H] = x·Wᵀ is precomputed for all steps
// (one GEMM), R [4H, H] the recurrent weights, b [4H] the bias. Per step, one GEMM gives all four gates
// of all rows:
//   z_t = P[:, t] + h_{t−1}·Rᵀ + b;  i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g)
//   c_t = f ∘ c_{t−1} + i ∘ g;  h_t = o ∘ tanh(c_t);  h_{−1} = c_{−1} = 0
// Backward, from dh_t (the loss gradient through the outputs) and the carried dh, dc:
//   dh = dh_t + (dz_{t+1}·R);  do = dh ∘ tanh(c_t);  dc = dc_{t+1}∘f_{t+1} + dh ∘ o ∘ (1 − tanh²c_t)
//   di = dc ∘ g, dg = dc ∘ i, df = dc ∘ c_{t−1};  dz = (di·i(1−i), df·f(1−f), dg·(1−g²), do·o(1−o))
//   dP[:, t] = dz_t;  db = Σ_{b,t} dz;  dR = Σ_t dz_tᵀ·h_{t−1} (one GEMM over all B·T rows at the end)
// lstmForward and lstmBackward, which the op uses, are WebAssembly kernels that run all steps in one call
// (./wasm/lstm.ts); the tests hold them to plain-JS loops of the same formulas (test/oracles/lstm.ts).
import { lstmBackwardWasm, lstmForwardWasm } from "./wasm/lstm.js";

/** What the backward pass needs from the forward pass. */
export interface LstmTrace {
  B: number; T: number; H: number;
  /** activated gates i, f, g, o per (row, step): [B, T, 4H] */
  gates: Float32Array;
  /** c_t: [B, T, H] */
  cells: Float32Array;
  /** h_{t−1} per (row, step): [B, T, H] */
  hPrev: Float32Array;
}

/** h_t for every row and step: [B, T, H], and what the backward needs. */
export type LstmForward = (p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number) => { h: Float32Array; trace: LstmTrace };
/** dP [B, T, 4H], dR [4H, H] and db [4H] from dh [B, T, H] (the gradient reaching each h_t from outside). */
export type LstmBackward = (dh: Float32Array, r: Float32Array, trace: LstmTrace) => { dp: Float32Array; dr: Float32Array; db: Float32Array };

/** The forward recurrence the op uses: the WebAssembly kernel (vectorized gates), same contract. */
export const lstmForward: LstmForward = lstmForwardWasm;

/** The backward recurrence the op uses: the WebAssembly kernel (all steps in one call), same contract. */
export const lstmBackward: LstmBackward = lstmBackwardWasm;
