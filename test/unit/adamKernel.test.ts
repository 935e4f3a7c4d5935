// Adam's update kernel (src/kernels/adam.ts): the WebAssembly fast path (f64x2, split across threads) does the
// reference's float64 operations in its order, so weights and moments are the same bits, over several steps,
// on awkward sizes and every thread count; the adam optimizer runs it on large parameters.
import { afterAll, describe, expect, it } from "vitest";
import { adam, getNumThreads, Random, setNumThreads, Tensor } from "../../src/index.js";
import { adamUpdateReference, type AdamStep } from "../../src/kernels/adam.js";
import { adamUpdateWasm } from "../../src/kernels/wasm/adam.js";
import { parallelDispatches } from "../../src/kernels/wasm/threads.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

/** The bits of each float, every NaN as one (engines differ in a NaN's sign and payload). */
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer), (u, i) => (Number.isNaN(a[i]) ? 0x7fc00000 : u));
const normals = (n: number, seed: number, scale = 1) => {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => r.normal() * scale);
};
const stepOf = (t: number): AdamStep => ({ b1: 0.9, b2: 0.999, lr: 1e-3, c1: 1 - 0.9 ** t, c2: 1 - 0.999 ** t, epsilon: 1e-8 });

describe("Adam kernel: WebAssembly against the reference, bit for bit", () => {
  it("lengths 0, 1, 3, 5, 17, 4099 and 70001, three steps, on 1, 2 and 3 threads; zero, huge and NaN gradients", () => {
    for (const threads of [1, 2, 3]) {
      setNumThreads(threads);
      for (const n of [0, 1, 3, 5, 17, 4099, 70001]) {
        const w = [normals(n, n + 1), normals(n, n + 1)], m = [new Float32Array(n), new Float32Array(n)], v = [new Float32Array(n), new Float32Array(n)];
        for (let t = 1; t <= 3; t++) {
          const g = normals(n, 10 * t + n, 0.1);
          if (n > 4) g.set([0, 1e30, NaN, -1e-30]);
          adamUpdateWasm(w[0], g, m[0], v[0], stepOf(t));
          adamUpdateReference(w[1], g, m[1], v[1], stepOf(t));
          const what = `n=${n} step ${t} threads=${threads}`;
          expect(bits(w[0]), `w ${what}`).toEqual(bits(w[1]));
          expect(bits(m[0]), `m ${what}`).toEqual(bits(m[1]));
          expect(bits(v[0]), `v ${what}`).toEqual(bits(v[1]));
        }
      }
    }
  });
});

describe("the adam optimizer on a large parameter", () => {
  it("runs the kernel split across the threads, with the reference's bits", () => {
    setNumThreads(2);
    const n = 65536, w0 = normals(n, 1);
    const p = new Tensor(w0.slice(), [256, 256]);
    const opt = adam({ learnRate: 0.01, l2Regularization: 0 });
    const w = w0.slice(), m = new Float32Array(n), v = new Float32Array(n);
    const before = parallelDispatches();
    for (let t = 1; t <= 2; t++) {
      const g = normals(n, t + 5);
      opt.step([{ tensor: p }], [new Tensor(g.slice(), [256, 256])]);
      adamUpdateReference(w, g, m, v, { ...stepOf(t), lr: 0.01 });
    }
    expect(parallelDispatches() - before).toBe(2);
    expect(bits(p.data)).toEqual(bits(w));
  });
});
