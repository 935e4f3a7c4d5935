// Additive (Bahdanau) attention scores of every (key, query) pair without the pair tensor [L, M, N, a]:
//   s[l,m,n] = Σ_j w_j·tanh(K₁[l,n,j] + Q₂[l,m,j])      K₁ = W₁k (+ b₁) [L, N, a], Q₂ = W₂q (+ b₂) [L, M, a], w [a]
// and its gradient from dS [L, M, N], the pair tanh t recomputed (cheaper than storing L·M·N·a floats):
//   u = dS[l,m,n]·w_j·(1 − t²);  dK₁[l,n,j] = Σ_m u,  dQ₂[l,m,j] = Σ_n u,  dw_j = Σ_{l,m,n} dS[l,m,n]·t
// over the pairs with dS ≠ 0 (those with dS = 0, as hidden and padded pairs have, add nothing, not even a NaN).
// The plain-JS references (float64 sums, rounded once on store) are what the WebAssembly kernels
// (./wasm/additiveScores.ts: f32x4, threads over rows) are tested against.
import { wasmUsable } from "./wasm/loader.js";
import { additiveScoresBackwardWasm, additiveScoresForwardWasm } from "./wasm/additiveScores.js";

/** L independent problems (batch × heads), M queries, N keys, a hidden units. */
export interface AdditiveScoresProblem { L: number; M: number; N: number; a: number }

export function additiveScoresForwardReference(p: AdditiveScoresProblem, K1: Float32Array, Q2: Float32Array, w: Float32Array, S: Float32Array): void {
  const { L, M, N, a } = p;
  for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    const k = (l * N + n) * a, q = (l * M + m) * a;
    let s = 0;
    for (let j = 0; j < a; j++) s += w[j] * Math.tanh(K1[k + j] + Q2[q + j]);
    S[(l * M + m) * N + n] = s;
  }
}

export function additiveScoresBackwardReference(
  p: AdditiveScoresProblem, K1: Float32Array, Q2: Float32Array, w: Float32Array, dS: Float32Array, dK1: Float32Array, dQ2: Float32Array, dw: Float32Array,
): void {
  const { L, M, N, a } = p;
  const dk = new Float64Array(dK1.length), dq = new Float64Array(dQ2.length), dwSum = new Float64Array(a);
  for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    const g = dS[(l * M + m) * N + n], k = (l * N + n) * a, q = (l * M + m) * a;
    if (g === 0) continue; // a pair without gradient (hidden, padded) contributes nothing, not even a NaN of its tanh
    for (let j = 0; j < a; j++) {
      const t = Math.tanh(K1[k + j] + Q2[q + j]), u = g * w[j] * (1 - t * t);
      dk[k + j] += u;
      dq[q + j] += u;
      dwSum[j] += g * t;
    }
  }
  dK1.set(dk);
  dQ2.set(dq);
  dw.set(dwSum);
}

/** Below this many tanh evaluations the reference runs (copying into the kernels' memory costs more). */
const WASM_MIN = 2048;
const useWasm = (p: AdditiveScoresProblem) => p.L * p.M * p.N * p.a >= WASM_MIN && wasmUsable();

export const additiveScoresForward: typeof additiveScoresForwardReference = (p, ...arrays) =>
  (useWasm(p) ? additiveScoresForwardWasm : additiveScoresForwardReference)(p, ...arrays);

export const additiveScoresBackward: typeof additiveScoresBackwardReference = (p, ...arrays) =>
  (useWasm(p) ? additiveScoresBackwardWasm : additiveScoresBackwardReference)(p, ...arrays);
