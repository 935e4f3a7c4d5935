// Layer normalization over rows of C channels on flat arrays, forward and backward (the math in
// ../tensor/ops/layerNorm.ts). Plain-JS loops here (the references); layerNormForward and layerNormBackward
// run the WebAssembly kernels (./wasm/layerNorm.ts: the same float32 arithmetic in the same order, so the
// same bits, split across the threads) where WebAssembly can run.
// (Math.fround of a double sum or product of two floats is the float32 one.)
import { wasmUsable } from "./wasm/loader.js";
import { layerNormBackwardWasm, layerNormForwardWasm } from "./wasm/layerNorm.js";

const f = Math.fround;

/**
 * What the backward pass needs from the forward pass: per element c = x − μ, per row s (n = c/s is recomputed
 * where dγ needs it, the same float32 division: keeping it cost a copy out of the kernels' memory and one back in).
 */
export interface LayerNormTrace { centered: Float32Array; sd: Float32Array }

export interface LayerNormGradients { dx: Float32Array | null; dScale: Float32Array | null; dOffset: Float32Array | null }

/**
 * y = layerNorm(x) over rows of C channels (plain JS: the reference of the WebAssembly kernel), and what the
 * backward pass reads unless `keepTrace` is false (inference: then null, and the kernel copies none of it back).
 */
export function layerNormForwardReference(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace?: true): { out: Float32Array; trace: LayerNormTrace };
export function layerNormForwardReference(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace: boolean): { out: Float32Array; trace: LayerNormTrace | null };
export function layerNormForwardReference(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace = true): { out: Float32Array; trace: LayerNormTrace | null } {
  const rows = C === 0 ? 0 : X.length / C;
  const invC = 1 / C, eps = f(epsilon);
  const centered = new Float32Array(X.length), sd = new Float32Array(rows);
  const out = new Float32Array(X.length);
  for (let r = 0; r < rows; r++) {
    const at = r * C;
    let s = 0;
    for (let i = 0; i < C; i++) s = f(s + X[at + i]);
    const mu = f(s * invC);
    let ss = 0;
    for (let i = 0; i < C; i++) {
      const c = f(X[at + i] - mu);
      centered[at + i] = c;
      ss = f(ss + f(c * c));
    }
    const sdr = f(Math.sqrt(f(f(ss * invC) + eps)));
    sd[r] = sdr;
    for (let i = 0; i < C; i++) {
      const n = f(centered[at + i] / sdr);
      out[at + i] = f(n * G[i]) + Bt[i];
    }
  }
  return { out, trace: keepTrace ? { centered, sd } : null };
}

/** The gradients the flags ask for, from dy (plain JS: the reference of the WebAssembly kernel). */
export function layerNormBackwardReference(dy: Float32Array, G: Float32Array, C: number, trace: LayerNormTrace, needs: readonly boolean[]): LayerNormGradients {
  const { centered, sd } = trace;
  const rows = sd.length, invC = 1 / C;
  const dScale = needs[1] ? new Float32Array(C) : null, dOffset = needs[2] ? new Float32Array(C) : null;
  const dx = needs[0] ? new Float32Array(dy.length) : null;
  const dn = new Float32Array(C), dc = new Float32Array(C);
  for (let r = 0; r < rows; r++) {
    const at = r * C;
    if (dOffset) for (let i = 0; i < C; i++) dOffset[i] += dy[at + i];
    if (dScale) for (let i = 0; i < C; i++) dScale[i] += f(dy[at + i] * f(centered[at + i] / sd[r])); // n = c/s
    if (!dx) continue;
    const s = sd[r];
    let ds = 0;
    for (let i = 0; i < C; i++) {
      dn[i] = f(dy[at + i] * G[i]);
      const c = centered[at + i];
      ds = f(ds + f(dn[i] * (-c / (s * s))));
    }
    const dVarScaled = f(f(f(ds * (0.5 / s)) * invC)); // dσ² · (1/C), the gradient of each c²
    let dMu = 0;
    for (let i = 0; i < C; i++) {
      const c = centered[at + i];
      dc[i] = f(f(dn[i] * (1 / s)) + f(dVarScaled * (2 * c)));
      dMu = f(dMu + -dc[i]);
    }
    const dSum = f(dMu * invC);
    for (let i = 0; i < C; i++) dx[at + i] = dc[i] + dSum;
  }
  return { dx, dScale, dOffset };
}

/**
 * Below this many elements the reference runs (the copies into the kernels' memory cost more than they save).
 * Measured on one thread: 256 elements (a decoding step's row of a model of size 256) take ~9 µs in the
 * reference and ~6 µs in the kernel, copies included; 64 take ~2.5 µs against ~3 µs. The bits are the same.
 */
const WASM_MIN = 128;

export const layerNormForward = (X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace: boolean): { out: Float32Array; trace: LayerNormTrace | null } =>
  (X.length >= WASM_MIN && wasmUsable() ? layerNormForwardWasm : layerNormForwardReference)(X, G, Bt, C, epsilon, keepTrace);

export const layerNormBackward: typeof layerNormBackwardReference = (dy, G, C, trace, needs) =>
  (dy.length >= WASM_MIN && wasmUsable() ? layerNormBackwardWasm : layerNormBackwardReference)(dy, G, C, trace, needs);
