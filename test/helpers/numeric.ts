// Test helpers: closeness with float32 tolerances, finite-difference gradient checks, random tensors.
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
