// Cross-entropy on logits, the kernels (src/kernels/crossentropy.ts): the WebAssembly fast path (f32x4
// exponentials, float32 sums, rows across threads) against the float64 reference on awkward sizes, padded rows,
// huge and infinite logits and NaN; the same bits on every thread count; the loss runs it on large inputs.
import { afterAll, describe, expect, it } from "vitest";
import { crossentropyLogits, getNumThreads, Random, setNumThreads, Tensor, valueAndGrad } from "../../src/index.js";
import { crossentropyLogitsGradReference, crossentropyLogitsLseReference } from "../../src/kernels/crossentropy.js";
import { crossentropyLogitsGradWasm, crossentropyLogitsLseWasm } from "../../src/kernels/wasm/crossentropy.js";
import { parallelDispatches } from "../../src/kernels/wasm/threads.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

function problem(allRows: number, K: number, seed: number) {
  const r = new Random(seed);
  const z = Float32Array.from({ length: allRows * K }, () => r.normal() * 4);
  const counted = [...Array(allRows).keys()].filter((i) => i % 3 !== 1 || allRows < 3); // every third row padded
  return { z, rows: Int32Array.from(counted), classes: Int32Array.from(counted, (i) => (i * 7) % K) };
}

/** lse within 2e-7 relative (+1e-6 absolute), gradients within 1e-6 relative to the scale (|dz| ≤ |scale|). */
function expectAgree(z: Float32Array, rows: Int32Array, classes: Int32Array, K: number, scale: number, what: string) {
  const lse = crossentropyLogitsLseWasm(z, rows, K), ref = crossentropyLogitsLseReference(z, rows, K);
  ref.forEach((v, i) => {
    if (Number.isNaN(v)) return void expect(lse[i], `${what} lse ${i}`).toBeNaN();
    expect(Math.abs(lse[i] - v), `${what} lse ${i}: ${lse[i]} vs ${v}`).toBeLessThanOrEqual(2e-7 * Math.abs(v) + 1e-6);
  });
  const dz = crossentropyLogitsGradWasm(z, rows, classes, K, ref, scale), dRef = crossentropyLogitsGradReference(z, rows, classes, K, ref, scale);
  dRef.forEach((v, i) => {
    if (Number.isNaN(v)) return void expect(dz[i], `${what} dz ${i}`).toBeNaN();
    expect(Math.abs(dz[i] - v), `${what} dz ${i}: ${dz[i]} vs ${v}`).toBeLessThanOrEqual(1e-6 * Math.abs(scale) + 1e-7 * Math.abs(v));
  });
  return { lse, dz };
}

describe("cross-entropy kernels: WebAssembly against the reference", () => {
  it("K = 1, 3, 5, 96 and 101; 0, 1, 2 and 300 rows (every third padded); 1, 2 and 3 threads", () => {
    for (const threads of [1, 2, 3]) {
      setNumThreads(threads);
      for (const K of [1, 3, 5, 96, 101]) {
        for (const allRows of [0, 1, 2, 300]) {
          const { z, rows, classes } = problem(allRows, K, K + allRows);
          const { dz } = expectAgree(z, rows, classes, K, 0.37, `K=${K} rows=${allRows} threads=${threads}`);
          if (allRows >= 3) for (let row = 1; row < allRows; row += 3) for (let k = 0; k < K; k++) expect(dz[row * K + k]).toBe(0); // padded rows
        }
      }
    }
  });

  it("huge, infinite and NaN logits: finite where the reference is, NaN where it is", () => {
    const K = 6;
    const z = Float32Array.from([1e4, -1e4, 0, 3, 2, 1, -Infinity, 0, 1, 2, 3, -Infinity, 0, NaN, 1, 2, 3, 4, 88, 90, -90, 0, 1, 2]);
    const rows = Int32Array.from([0, 1, 2, 3]), classes = Int32Array.from([1, 2, 0, 5]);
    const { lse } = expectAgree(z, rows, classes, K, 0.25, "special");
    expect(Number.isNaN(lse[2])).toBe(true);
    expect([lse[0], lse[1], lse[3]].every(Number.isFinite)).toBe(true);
  });

  it("gives the same bits on 1 and 2 threads", () => {
    const { z, rows, classes } = problem(1000, 96, 9);
    const run = (threads: number) => {
      setNumThreads(threads);
      const lse = crossentropyLogitsLseWasm(z, rows, 96);
      return [new Uint32Array(lse.buffer), new Uint32Array(crossentropyLogitsGradWasm(z, rows, classes, 96, lse, 0.01).buffer)];
    };
    const one = run(1), before = parallelDispatches(), two = run(2);
    expect(parallelDispatches() - before).toBe(2);
    expect(two[0]).toEqual(one[0]);
    expect(two[1]).toEqual(one[1]);
  });
});

describe("crossentropyLogits on a large batch", () => {
  it("runs the kernels: loss and gradient as the reference's", () => {
    setNumThreads(2);
    const B = 8, T = 64, K = 96, r = new Random(3);
    const logits = new Tensor(Float32Array.from({ length: B * T * K }, () => r.normal() * 2), [B, T, K]);
    const targets = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (b * 31 + t * 7) % K));
    const lengths = Array.from({ length: B }, (_, b) => T - b * 3);
    const before = parallelDispatches();
    let loss = 0;
    const { grads } = valueAndGrad(() => { const l = crossentropyLogits(logits, targets, lengths); loss = l.item(); return l; }, [logits]);
    expect(parallelDispatches() - before).toBe(2);
    const rows = Int32Array.from(targets.flatMap((_, b) => Array.from({ length: lengths[b] }, (_, t) => b * T + t)));
    const classes = Int32Array.from(rows, (row) => targets[Math.floor(row / T)][row % T]);
    const lse = crossentropyLogitsLseReference(logits.data, rows, K);
    const expected = lse.reduce((s, l, i) => s + l - logits.data[rows[i] * K + classes[i]], 0) / rows.length;
    expect(Math.abs(loss - expected)).toBeLessThanOrEqual(1e-6 * expected);
    const dRef = crossentropyLogitsGradReference(logits.data, rows, classes, K, lse, 1 / rows.length);
    dRef.forEach((v, i) => expect(Math.abs(grads[0].data[i] - v)).toBeLessThanOrEqual(1e-6 / rows.length + 1e-7 * Math.abs(v)));
  });
});
