// The oracles of the WebAssembly LSTM kernels: the recurrence of src/kernels/lstm.ts (its header has the
// formulas) as plain-JS loops, forward and backward through time, with the same contracts.
import { logistic as sigmoid } from "../../src/kernels/logistic.js";
import type { LstmTrace } from "../../src/kernels/lstm.js";
import { gemm } from "../../src/kernels/matmul.js";

/** h_t for every row and step: [B, T, H]. */
export function lstmForwardReference(p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number): { h: Float32Array; trace: LstmTrace } {
  const G = 4 * H;
  const h = new Float32Array(B * T * H), gates = new Float32Array(B * T * G), cells = new Float32Array(B * T * H), hPrev = new Float32Array(B * T * H);
  const hCur = new Float32Array(B * H), cCur = new Float32Array(B * H), z = new Float32Array(B * G);
  for (let t = 0; t < T; t++) {
    gemm(hCur, 0, false, r, 0, true, z, 0, B, H, G, false); // h_{t−1} [B, H] · Rᵀ → [B, 4H]
    for (let b = 0; b < B; b++) {
      const row = b * T + t, zo = b * G, po = row * G, ho = row * H, bo = b * H;
      for (let j = 0; j < H; j++) {
        hPrev[ho + j] = hCur[bo + j];
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
  return { h, trace: { B, T, H, gates, cells, hPrev } };
}

/**
 * dP [B, T, 4H], dR [4H, H] and db [4H] from dh [B, T, H] (the gradient reaching each h_t from outside).
 */
export function lstmBackwardReference(dh: Float32Array, r: Float32Array, trace: LstmTrace): { dp: Float32Array; dr: Float32Array; db: Float32Array } {
  const { B, T, H, gates, cells, hPrev } = trace, G = 4 * H;
  const dp = new Float32Array(B * T * G);
  const dhNext = new Float32Array(B * H), dcNext = new Float32Array(B * H), dz = new Float32Array(B * G);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = b * T + t, go = row * G, ho = row * H, bo = b * H, zo = b * G;
      for (let j = 0; j < H; j++) {
        const i = gates[go + j], f = gates[go + H + j], g = gates[go + 2 * H + j], o = gates[go + 3 * H + j];
        const tc = Math.tanh(cells[ho + j]);
        const cPrev = t > 0 ? cells[ho - H + j] : 0;
        const dhj = dh[ho + j] + dhNext[bo + j];
        const dc = dcNext[bo + j] + dhj * o * (1 - tc * tc);
        dcNext[bo + j] = dc * f;
        dz[zo + j] = dc * g * i * (1 - i);
        dz[zo + H + j] = dc * cPrev * f * (1 - f);
        dz[zo + 2 * H + j] = dc * i * (1 - g * g);
        dz[zo + 3 * H + j] = dhj * tc * o * (1 - o);
      }
      for (let j = 0; j < G; j++) dp[go + j] = dz[zo + j];
    }
    gemm(dz, 0, false, r, 0, false, dhNext, 0, B, G, H, false); // dz_t [B, 4H] · R [4H, H] → dh_{t−1}
  }
  const dr = new Float32Array(G * H);
  gemm(dp, 0, true, hPrev, 0, false, dr, 0, G, B * T, H, false); // dPᵀ [4H, B·T] · h_{t−1} [B·T, H]
  const db = new Float32Array(G);
  for (let row = 0; row < B * T; row++) for (let j = 0; j < G; j++) db[j] += dp[row * G + j];
  return { dp, dr, db };
}
