// GELU's kernels (src/kernels/gelu.ts): the WebAssembly fast path (f32x4, split across threads) against the
// plain-JS reference on awkward sizes and special values, both forms; bit-identical for every thread count;
// ops.gelu's tanh form against the same formula composed of ops; the dispatch on large arrays.
import { afterAll, describe, expect, it } from "vitest";
import { getNumThreads, ops, Random, setNumThreads, Tensor, valueAndGrad } from "../../src/index.js";
import { geluBackwardReference, geluForwardReference, type GeluForm } from "../../src/kernels/gelu.js";
import { geluBackwardWasm, geluForwardWasm } from "../../src/kernels/wasm/gelu.js";
import { parallelDispatches } from "../../src/kernels/wasm/threads.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

const SPECIAL = [0, -0, 1, -1, 1e-8, -1e-8, 3.5, -3.5, 9, -9, 14, -14, 40, -40, 1e30, -1e30, Infinity, -Infinity, NaN];

/** n values: the special ones first, then normal samples ×3 (most within ±9, where GELU bends). */
function values(n: number, seed = 1): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, (_, i) => (i < SPECIAL.length ? SPECIAL[i] : r.normal() * 3));
}

/**
 * |fast − reference| ≤ (8 + 2x²) ulp of `scale` (the reference, or for a gradient the larger of it and |g|: the
 * derivative's terms Φ(x) and x·φ(x) may cancel), plus |x|·1e-38 absolute (results near float32's smallest
 * normals; σ's argument is clamped at 88). e^(−x²/2) (and the tanh form's σ(2u)) amplifies float32's rounding
 * of x/√2 and its square by about x²; near 0 the erfc fit's polynomial (terms up to 1.5 summing to ~1) costs a few ulp
 * in float32. NaN where NaN.
 */
function expectClose(fast: Float32Array, ref: Float32Array, x: Float32Array, what: string, g?: Float32Array): void {
  expect(fast.length).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i])) { expect(fast[i], `${what} [${i}]`).toBeNaN(); continue; }
    if (!Number.isFinite(ref[i])) { expect(fast[i], `${what} [${i}]`).toBe(ref[i]); continue; }
    const scale = Math.max(Math.abs(ref[i]), g ? Math.abs(g[i]) : 0, 2 ** -126);
    const ulp = 2 ** (Math.floor(Math.log2(scale)) - 23);
    const tol = (8 + 2 * x[i] * x[i]) * ulp + Math.abs(x[i]) * 1e-38;
    if (!(Math.abs(fast[i] - ref[i]) <= tol)) expect.fail(`${what} [${i}]: x = ${x[i]}: ${fast[i]} vs reference ${ref[i]}`);
  }
}

describe("GELU kernels: WebAssembly against the reference", () => {
  for (const form of ["exact", "tanh"] as GeluForm[]) {
    it(`${form} form, forward and backward, on lengths 0, 1, 3, 5, 19, 33, 4099 and 70001 (odd tails, several threads)`, () => {
      for (const threads of [1, 2, 3]) {
        setNumThreads(threads);
        for (const n of [0, 1, 3, 5, 19, 33, 4099, 70001]) {
          const x = values(n), g = values(n, 2).map((v) => (Number.isFinite(v) ? v : 0.5));
          const yFast = new Float32Array(n), yRef = new Float32Array(n);
          geluForwardWasm(x, yFast, form);
          geluForwardReference(x, yRef, form);
          expectClose(yFast, yRef, x, `${form} forward n=${n} threads=${threads}`);
          const dFast = new Float32Array(n), dRef = new Float32Array(n);
          geluBackwardWasm(x, g, dFast, form);
          geluBackwardReference(x, g, dRef, form);
          expectClose(dFast, dRef, x, `${form} backward n=${n} threads=${threads}`, g);
        }
      }
    });
  }

  it("gives the same bits on 1 and 2 threads, and splits a large array across them", () => {
    const n = 100003, x = values(n, 5), g = values(n, 6);
    const run = (threads: number) => {
      setNumThreads(threads);
      const y = new Float32Array(n), d = new Float32Array(n);
      geluForwardWasm(x, y, "exact");
      geluBackwardWasm(x, g, d, "exact");
      return [y, d];
    };
    const one = run(1), before = parallelDispatches(), two = run(2);
    expect(parallelDispatches() - before).toBe(6); // forward and backward, each in 3 chunks of ≥ 32768 (src/kernels/wasm/pipeline.ts)
    expect(new Uint32Array(two[0].buffer)).toEqual(new Uint32Array(one[0].buffer));
    expect(new Uint32Array(two[1].buffer)).toEqual(new Uint32Array(one[1].buffer));
  });
});

describe("ops.gelu", () => {
  it("runs the kernels on a large tensor: values and gradient as the reference's", () => {
    setNumThreads(2);
    const x = new Tensor(values(65536, 3).map((v) => (Number.isFinite(v) ? v : 0)), [512, 128]);
    const w = new Tensor(values(65536, 4).map((v) => (Number.isFinite(v) ? v : 1)), [512, 128]);
    const before = parallelDispatches();
    let y: Tensor | undefined;
    const { grads } = valueAndGrad(() => ops.sum(ops.mul((y = ops.gelu(x)), w)), [x]);
    expect(parallelDispatches() - before).toBe(4); // the WebAssembly kernels ran, forward and backward, split across the threads (2 chunks each)
    const yRef = new Float32Array(65536), dRef = new Float32Array(65536);
    geluForwardReference(x.data, yRef, "exact");
    geluBackwardReference(x.data, w.data, dRef, "exact");
    expectClose(y!.data, yRef, x.data, "ops.gelu value");
    expectClose(grads[0].data, dRef, x.data, "ops.gelu gradient", w.data);
  });

  it("runs the kernel from 32 elements (a decoding step's row [1, 1, 1024] included), the reference below", () => {
    setNumThreads(1);
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));
    for (const form of ["exact", "tanh"] as GeluForm[]) {
      for (const shape of [[31], [32], [33], [1, 1, 1024]]) {
        const n = shape.reduce((a, b) => a * b), x = new Tensor(values(n + SPECIAL.length, 9).subarray(SPECIAL.length), shape), w = new Tensor(values(n, 10).map((v) => (Number.isFinite(v) ? v : 1)), shape);
        const yRef = new Float32Array(n), yWasm = new Float32Array(n), dRef = new Float32Array(n), dWasm = new Float32Array(n);
        geluForwardReference(x.data, yRef, form);
        geluForwardWasm(x.data, yWasm, form);
        geluBackwardReference(x.data, w.data, dRef, form);
        geluBackwardWasm(x.data, w.data, dWasm, form);
        expect(bits(yWasm), "the kernel and the reference differ in some bits here, so the test tells them apart").not.toEqual(bits(yRef));
        let y: Tensor | undefined;
        const { grads } = valueAndGrad(() => ops.sum(ops.mul((y = ops.gelu(x, { approximation: form === "tanh" ? "tanh" : "none" })), w)), [x]);
        const kernel = n >= 32, what = `${form} ${JSON.stringify(shape)}`;
        expect(bits(y!.data), what).toEqual(bits(kernel ? yWasm : yRef));
        expect(bits(grads[0].data), what).toEqual(bits(kernel ? dWasm : dRef));
      }
    }
  });

  it('approximation "tanh" is ½x(1 + tanh(√(2/π)(x + 0.044715x³))) composed of ops, value and gradient', () => {
    for (const n of [7, 5000]) { // the reference, then the kernel
      const x = new Tensor(values(n + SPECIAL.length, 8).subarray(SPECIAL.length), [n]);
      const composed = (t: Tensor) => ops.mul(ops.mul(t, 0.5), ops.add(ops.tanh(ops.scale(ops.add(t, ops.scale(ops.mul(ops.square(t), t), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
      const run = (f: (t: Tensor) => Tensor) => { let y: Tensor | undefined; const { grads } = valueAndGrad(() => ops.sum(ops.square(y = f(x))), [x]); return [y!.data, grads[0].data]; };
      const [yFast, gFast] = run((t) => ops.gelu(t, { approximation: "tanh" })), [yOps, gOps] = run(composed);
      for (let i = 0; i < yOps.length; i++) {
        expect(Math.abs(yFast[i] - yOps[i]), `value ${i}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(yOps[i])));
        expect(Math.abs(gFast[i] - gOps[i]), `gradient ${i}`).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(gOps[i])));
      }
    }
  });

  it("refuses an unknown approximation, naming it", () => {
    expect(() => ops.gelu(new Tensor(Float32Array.of(1), [1]), { approximation: "erf" as "none" })).toThrow('ops.gelu: approximation must be "none" or "tanh", got "erf"');
  });
});
