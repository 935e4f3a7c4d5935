// How close a fast attention kernel must come to the reference: within 1e-4 of the magnitude of the terms
// that make each result up (the sums of absolute products, including those of the scores, which float32
// rounds). Shared by the tests of the wasm kernel's paths (test/wasmAttention.test.ts, test/decodeAttention.test.ts).
import { expect } from "vitest";
import { explicitAllows, keyRange, kvHeadOf, type AttentionProblem } from "../../src/kernels/attention/problem.js";
import { dropoutKeeps } from "../../src/kernels/hash.js";

/** Per element, the sum of the absolute terms each result is made of (float64, by the reference's formulas). */
export function magnitudes(p: AttentionProblem, dOut: Float32Array, dW: Float32Array | null) {
  const { B, H, Hkv, Tq, Tk, D, Dv, q, k, v, scale } = p;
  const out = new Float64Array(B * H * Tq * Dv), weights = new Float64Array(B * H * Tq * Tk);
  const dq = new Float64Array(q.length), dk = new Float64Array(k.length), dv = new Float64Array(v.length);
  const s = new Float64Array(Tk), sMag = new Float64Array(Tk), dPMag = new Float64Array(Tk);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Tq; i++) {
    const row = (b * H + h) * Tq + i, kv = (b * Hkv + kvHeadOf(h, H, Hkv)) * Tk;
    const [lo, hi] = keyRange(p, b, i);
    const visible: number[] = [];
    for (let j = lo; j < hi; j++) if (explicitAllows(p, b, h, i, j)) visible.push(j);
    if (visible.length === 0) continue;
    let max = -Infinity, sum = 0;
    for (const j of visible) {
      let dot = 0, abs = 0;
      for (let d = 0; d < D; d++) { dot += q[row * D + d] * k[(kv + j) * D + d]; abs += Math.abs(q[row * D + d] * k[(kv + j) * D + d]); }
      s[j] = dot * scale; sMag[j] = abs * Math.abs(scale);
      max = Math.max(max, s[j]);
    }
    for (const j of visible) sum += Math.exp(s[j] - max);
    let deltaMag = 0;
    const keepOf = (j: number) => (!p.dropout ? 1 : dropoutKeeps(p.dropout.seed, row * Tk + j, p.dropout.rate) ? 1 / (1 - p.dropout.rate) : 0);
    for (const j of visible) {
      const prob = Math.exp(s[j] - max) / sum, w = prob * (1 + sMag[j]), keep = keepOf(j);
      weights[row * Tk + j] = w;
      let dP = 0;
      for (let d = 0; d < Dv; d++) {
        out[row * Dv + d] += w * keep * Math.abs(v[(kv + j) * Dv + d]);
        dv[(kv + j) * Dv + d] += w * keep * Math.abs(dOut[row * Dv + d]);
        dP += Math.abs(dOut[row * Dv + d] * v[(kv + j) * Dv + d]) * keep;
      }
      dPMag[j] = dP + (dW ? Math.abs(dW[row * Tk + j]) : 0);
      deltaMag += w * dPMag[j];
    }
    for (const j of visible) {
      const dS = weights[row * Tk + j] * (dPMag[j] + deltaMag) * Math.abs(scale);
      for (let d = 0; d < D; d++) {
        dq[row * D + d] += dS * Math.abs(k[(kv + j) * D + d]);
        dk[(kv + j) * D + d] += dS * Math.abs(q[row * D + d]);
      }
    }
  }
  return { out, weights, dq, dk, dv };
}

export function expectWithin(what: string, got: Float32Array, want: Float32Array, magnitude: Float64Array, rtol = 1e-4): void {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let n = 0; n < got.length; n++) {
    const err = Math.abs(got[n] - want[n]);
    // below the smallest normal float32 the kernel flushes e^x to 0 where the reference keeps a subnormal
    if (!(err <= rtol * magnitude[n] + 2 ** -126 || got[n] === want[n])) {
      expect.fail(`${what}[${n}] = ${got[n]}, reference ${want[n]}, error ${err} > ${rtol} × term magnitude ${magnitude[n]}`);
    }
  }
}

