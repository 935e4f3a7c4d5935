// Test helpers: closeness with float32 tolerances, finite-difference gradient checks, random tensors, orthogonality.
import { expect } from "vitest";
import { Random, Tensor, valueAndGrad } from "../../src/index.js";
import * as ops from "../../src/tensor/ops/index.js";

/** |a − b| ≤ atol + rtol·|b| elementwise; reports the worst element. */
export function expectClose(actual: Tensor | Float32Array | number[], expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5, what = ""): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  expect(a.length, `${what} length`).toBe(expected.length);
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) { worst = i; worstExcess = excess; }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${a[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

export function randomTensor(shape: number[], random: Random, scale = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = random.normal() * scale;
  return new Tensor(data, shape);
}

/**
 * Central finite differences of f with respect to every element of every tensor in wrt (float32
 * storage, so the step is largish), compared with valueAndGrad's analytic gradient.
 */
export function checkGradients(f: () => Tensor, wrt: Tensor[], options: { eps?: number; rtol?: number; atol?: number; what?: string } = {}): void {
  const { eps = 1e-2, rtol = 2e-2, atol = 2e-3, what = "gradient" } = options;
  const { grads } = valueAndGrad(f, wrt);
  wrt.forEach((t, n) => {
    const numeric = new Float64Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const x = t.data[i];
      t.data[i] = x + eps;
      const up = sumOf(f());
      t.data[i] = x - eps;
      const down = sumOf(f());
      t.data[i] = x;
      numeric[i] = (up - down) / (2 * eps);
    }
    expect(grads[n].data.every(Number.isFinite), `${what} ${n} is finite`).toBe(true);
    expectClose(grads[n], numeric, rtol, atol, `${what} ${n}`);
  });
}

function sumOf(t: Tensor): number {
  return t.data.reduce((s, v) => s + v, 0);
}

/** Σ out ∘ w with a fixed random w: a scalar loss that exercises every output element. */
export function projectionLoss(random: Random) {
  const weights = new Map<string, Tensor>();
  return (out: Tensor, key = "out"): Tensor => {
    let w = weights.get(key);
    if (!w) { w = randomTensor([...out.shape], random); weights.set(key, w); }
    return dotAll(out, w);
  };
}

export function dotAll(a: Tensor, b: Tensor): Tensor {
  return ops.sum(ops.mul(a, b));
}

/** AᵀA (or AAᵀ with rows) of a row-major [m, n] matrix, in float64. */
export function gram(a: Float32Array, m: number, n: number, rows = false): Float64Array {
  const k = rows ? m : n, g = new Float64Array(k * k);
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let i = 0; i < (rows ? n : m); i++) s += rows ? a[p * n + i] * a[q * n + i] : a[i * n + p] * a[i * n + q];
      g[p * k + q] = s;
    }
  }
  return g;
}

/** max |G − I| of a [k, k] matrix is below `tolerance`. */
export function expectIdentity(g: Float64Array, k: number, tolerance: number, what: string) {
  let worst = 0;
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) worst = Math.max(worst, Math.abs(g[p * k + q] - (p === q ? 1 : 0)));
  expect(worst, `${what}: max |G − I|`).toBeLessThan(tolerance);
}
