// The GRU recurrence on flat arrays (MATLAB gruLayer's gate order r, z, h̃ — reset, update, candidate),
// forward and backward through time. Legend: B rows, T steps, H hidden units; P [B, T, 3H] = x·Wᵀ for all
// steps (one GEMM outside), R [3H, H] the recurrent weights (rows R_r, R_z, R_n), bx [3H] the input bias,
// bh [3H] the recurrent bias (zeros where the mode has none). Per step (row lengths, direction and initial
// state as in ./recurrence.ts):
//   r = σ(P_r + bx_r + R_r h + bh_r);  z = σ(P_z + bx_z + R_z h + bh_z)
//   resetAfter:  q = R_n h + bh_n;  n = tanh(P_n + bx_n + r ∘ q)          (MATLAB "after-multiplication"
//                with bh = 0; "recurrent-bias-after-multiplication", bh = the second half of its [6H] bias; cuDNN, PyTorch)
//   reset before: n = tanh(P_n + bx_n + R_n (r ∘ h))                       (MATLAB "before-multiplication")
//   h' = (1 − z) ∘ n + z ∘ h
// Per step two GEMMs for all rows: h·R_{rz}ᵀ, then v·R_nᵀ with v = h (after) or r ∘ h (before).
// Backward, from dh (the output's gradient at this step plus the carry from step t + 1):
//   dn = dh (1 − z);  dz = dh (h − n);  da_n = dn (1 − n²);  da_z = dz z (1 − z)
//   du = da_n ∘ r (after) or da_n (before): the gradient of u = R_n v;  dv = du·R_n
//   dr = da_n ∘ q (after) or dv ∘ h (before);  da_r = dr r (1 − r)
//   dh_prev = dh z + (dv (after) or dv ∘ r (before)) + [da_r, da_z]·R_{rz}
//   dP_t = [da_r, da_z, da_n];  dbx = Σ dP;  dbh = Σ [da_r, da_z, du]
//   dR_{rz} = Σ [da_r, da_z]ᵀ h_prev;  dR_n = Σ duᵀ v (GEMMs over all B·T rows at the end)
// Plain-JS loops here (the references); gruForward and gruBackward, which the op uses, run the
// WebAssembly kernels (./wasm/gru.ts) where WebAssembly can run.
import { gemm } from "./matmul.js";
import { logistic as sigmoid } from "./logistic.js";
import { stepTime, type RecurrenceResult, type RecurrenceSteps } from "./recurrence.js";
import { gruBackwardWasm, gruForwardWasm } from "./wasm/gru.js";
import { wasmUsable } from "./wasm/loader.js";

/** What the backward pass needs from the forward pass (padded steps hold zeros). */
export interface GruTrace {
  steps: RecurrenceSteps;
  resetAfter: boolean;
  /** activated gates r, z, n per (row, time): [B, T, 3H] */
  gates: Float32Array;
  /** the state each step started from: [B, T, H] */
  hPrev: Float32Array;
  /** q = R_n h_prev + bh_n (resetAfter; zeros otherwise): [B, T, H] */
  q: Float32Array;
}

/**
 * The forward recurrence (plain JS: the reference of the WebAssembly gruForward); h0 [B, H] or null for zeros.
 * keepTrace false: the caller will not run the backward, so the kernel may leave the trace's arrays empty (this one fills them anyway).
 */
export function gruForwardReference(p: Float32Array, r: Float32Array, bx: Float32Array, bh: Float32Array, h0: Float32Array | null, steps: RecurrenceSteps, resetAfter: boolean, keepTrace = true): RecurrenceResult<GruTrace> {
  const { B, T, H } = steps, G = 3 * H;
  const h = new Float32Array(B * T * H), gates = new Float32Array(B * T * G), hPrev = new Float32Array(B * T * H), q = new Float32Array(B * T * H);
  const hCur = h0 ? h0.slice() : new Float32Array(B * H), zrz = new Float32Array(B * 2 * H), v = new Float32Array(B * H), u = new Float32Array(B * H);
  for (let k = 0; k < T; k++) {
    gemm(hCur, 0, false, r, 0, true, zrz, 0, B, H, 2 * H, false); // h [B, H]·R_{rz}ᵀ → [B, 2H]
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k), bo = b * H;
      if (t < 0) { v.set(hCur.subarray(bo, bo + H), bo); continue; }
      const go = (b * T + t) * G, zo = b * 2 * H;
      for (let j = 0; j < H; j++) {
        const rg = sigmoid(p[go + j] + bx[j] + zrz[zo + j] + bh[j]);
        gates[go + j] = rg;
        gates[go + H + j] = sigmoid(p[go + H + j] + bx[H + j] + zrz[zo + H + j] + bh[H + j]);
        v[bo + j] = resetAfter ? hCur[bo + j] : rg * hCur[bo + j];
      }
    }
    gemm(v, 0, false, r, 2 * H * H, true, u, 0, B, H, H, false); // v [B, H]·R_nᵀ → [B, H]
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k);
      if (t < 0) continue;
      const row = b * T + t, go = row * G, ho = row * H, bo = b * H;
      for (let j = 0; j < H; j++) {
        const rg = gates[go + j], z = gates[go + H + j], hp = hCur[bo + j];
        const qj = u[bo + j] + bh[2 * H + j];
        const n = Math.tanh(p[go + 2 * H + j] + bx[2 * H + j] + (resetAfter ? rg * qj : u[bo + j]));
        gates[go + 2 * H + j] = n;
        if (resetAfter) q[ho + j] = qj;
        hPrev[ho + j] = hp;
        h[ho + j] = hCur[bo + j] = (1 - z) * n + z * hp;
      }
    }
  }
  return { h, hLast: hCur, trace: { steps, resetAfter, gates, hPrev, q } };
}

export interface GruGradients {
  dp: Float32Array; dr: Float32Array; dbx: Float32Array; dbh: Float32Array;
  /** the gradient reaching the initial state: [B, H] */
  dh0: Float32Array;
}

/**
 * Gradients from dh [B, T, H] (reaching each output h_t from outside) and dhLast [B, H] (reaching the final
 * states; null for none) (plain JS: the reference of the WebAssembly gruBackward).
 */
export function gruBackwardReference(dh: Float32Array, dhLast: Float32Array | null, r: Float32Array, trace: GruTrace): GruGradients {
  const { steps, resetAfter, gates, hPrev, q } = trace, { B, T, H } = steps, G = 3 * H, N = B * T;
  const dp = new Float32Array(N * G), dU = new Float32Array(N * H);
  const carry = dhLast ? dhLast.slice() : new Float32Array(B * H);
  const du = new Float32Array(B * H), dv = new Float32Array(B * H), drz = new Float32Array(B * 2 * H);
  for (let k = T - 1; k >= 0; k--) {
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k), bo = b * H;
      if (t < 0) { du.fill(0, bo, bo + H); continue; }
      const row = b * T + t, go = row * G, ho = row * H;
      for (let j = 0; j < H; j++) {
        const rg = gates[go + j], z = gates[go + H + j], n = gates[go + 2 * H + j], hp = hPrev[ho + j];
        const dhj = dh[ho + j] + carry[bo + j];
        const dan = dhj * (1 - z) * (1 - n * n);
        dp[go + H + j] = dhj * (hp - n) * z * (1 - z);
        dp[go + 2 * H + j] = dan;
        du[bo + j] = dU[ho + j] = resetAfter ? dan * rg : dan;
        carry[bo + j] = dhj * z;
      }
    }
    gemm(du, 0, false, r, 2 * H * H, false, dv, 0, B, H, H, false); // du [B, H]·R_n [H, H] → dv
    for (let b = 0; b < B; b++) {
      const t = stepTime(steps, b, k), bo = b * H, zo = b * 2 * H;
      if (t < 0) { drz.fill(0, zo, zo + 2 * H); continue; }
      const row = b * T + t, go = row * G, ho = row * H;
      for (let j = 0; j < H; j++) {
        const rg = gates[go + j];
        const dr = resetAfter ? dp[go + 2 * H + j] * q[ho + j] : dv[bo + j] * hPrev[ho + j];
        dp[go + j] = dr * rg * (1 - rg);
        carry[bo + j] += resetAfter ? dv[bo + j] : dv[bo + j] * rg;
      }
      drz.set(dp.subarray(go, go + 2 * H), zo);
    }
    gemm(drz, 0, false, r, 0, false, carry, 0, B, 2 * H, H, true); // carry += [da_r, da_z] [B, 2H]·R_{rz} [2H, H]
  }
  const dr = new Float32Array(G * H);
  gemm(dp, 0, true, hPrev, 0, false, dr, 0, G, N, H, false); // dPᵀ [3H, B·T]·h_prev (its R_n rows are replaced below)
  const v = resetAfter ? hPrev : hPrev.map((hp, i) => gates[Math.floor(i / H) * G + (i % H)] * hp); // r ∘ h_prev
  gemm(dU, 0, true, v, 0, false, dr, 2 * H * H, H, N, H, false); // dR_n = dUᵀ [H, B·T]·v
  const dbx = new Float32Array(G), dbh = new Float32Array(G);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < G; j++) dbx[j] += dp[n * G + j];
    for (let j = 0; j < 2 * H; j++) dbh[j] += dp[n * G + j];
    for (let j = 0; j < H; j++) dbh[2 * H + j] += dU[n * H + j];
  }
  return { dp, dr, dbx, dbh, dh0: carry };
}

/** The forward recurrence the op uses: the WebAssembly kernel, same contract; the reference where WebAssembly cannot run. */
export const gruForward: typeof gruForwardReference = (...args) => (wasmUsable() ? gruForwardWasm : gruForwardReference)(...args);

/** The backward recurrence the op uses: the WebAssembly kernel, same contract; the reference where WebAssembly cannot run. */
export const gruBackward: typeof gruBackwardReference = (...args) => (wasmUsable() ? gruBackwardWasm : gruBackwardReference)(...args);
