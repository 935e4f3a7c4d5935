// The bias inside the matrix product (src/kernels/bias.ts): the WebAssembly kernels (bias added by each thread to its
// band; column sums split across threads; ops.linear's backward from one copy of dy) against the plain-TS references on awkward sizes, bit for bit and the same
// bits at 1 and 2 threads; ops.linear(x, W, b) against ops.add(ops.linear(x, W), b), values and gradients to the bit;
// finite differences; the bias's shape check.
import { afterAll, describe, expect, it } from "vitest";
import { getNumThreads, ops, Random, setNumThreads, Tensor, valueAndGrad } from "../../src/index.js";
import { columnSumsReference, gemmBiasReference, linearBackwardReference } from "../../src/kernels/bias.js";
import { columnSumsWasm } from "../../src/kernels/wasm/bias.js";
import { gemmBiasWasm, linearBackwardWasm } from "../../src/kernels/wasm/gemm.js";
import { parallelDispatches } from "../../src/kernels/wasm/threads.js";
import { checkGradients, randomTensor } from "../helpers/numeric.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

const random = (n: number, seed: number) => randomTensor([n], new Random(seed)).data;
const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

// [m, k, n]: fewer rows than the register tile, odd sizes, tails of the 4-lane loop, large enough to split across threads
const SIZES = [[1, 3, 5], [3, 7, 1], [5, 0, 6], [0, 4, 3], [37, 13, 130], [130, 33, 7], [257, 64, 131], [600, 128, 67]];

describe("bias kernels: WebAssembly against the references, bit for bit", () => {
  for (const [m, k, n] of SIZES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`gemmBias ${m}×${k}·${k}×${n} (transA ${transA}, transB ${transB}), 1 and 2 threads`, () => {
          const a = random(m * k, 1), b = random(k * n, 2), bias = random(n, 3);
          bias[0] = n > 1 ? -0 : bias[0];
          const ref = new Float32Array(m * n);
          gemmBiasReference(a, transA, b, transB, bias, ref, m, k, n);
          for (const threads of [1, 2]) {
            setNumThreads(threads);
            const fast = new Float32Array(m * n).fill(NaN); // overwritten, never accumulated into
            gemmBiasWasm(a, transA, b, transB, bias, fast, m, k, n);
            expect(bitsOf(fast), `${threads} thread(s)`).toEqual(bitsOf(ref));
          }
        });
      }
    }
    it(`columnSums of ${m}×${n}, 1 and 2 threads`, () => {
      const g = random(m * n, 4);
      if (m * n > 2) { g[0] = -0; g[1] = Infinity; g[2] = 1e30; }
      const ref = columnSumsReference(g, m, n);
      for (const threads of [1, 2]) {
        setNumThreads(threads);
        expect(bitsOf(columnSumsWasm(g, m, n)), `${threads} thread(s)`).toEqual(bitsOf(ref));
      }
    });
  }

  for (const [rows, k, n] of SIZES) {
    it(`linear's backward from one copy of dy, x ${rows}×${k}, W ${n}×${k}, each subset of gradients, 1 and 2 threads`, () => {
      const g = random(rows * n, 9), w = random(n * k, 10), x = random(rows * k, 11);
      for (const needs of [[true, true, true], [true, false, false], [false, true, false], [false, false, true], [false, true, true]]) {
        const ref = linearBackwardReference(g, w, x, rows, n, k, needs);
        for (const threads of [1, 2]) {
          setNumThreads(threads);
          const fast = linearBackwardWasm(g, w, x, rows, n, k, needs);
          fast.forEach((f, i) => expect(f && bitsOf(f), `gradient ${i} of ${JSON.stringify(needs)}, ${threads} thread(s)`).toEqual(ref[i] && bitsOf(ref[i]!)));
        }
      }
    });
  }

  it("splits a large product and a large column sum across the threads", () => {
    setNumThreads(2);
    const m = 512, k = 64, n = 96;
    let before = parallelDispatches();
    gemmBiasWasm(random(m * k, 5), false, random(n * k, 6), true, random(n, 7), new Float32Array(m * n), m, k, n);
    expect(parallelDispatches() - before).toBe(4); // in 4 chunks of 128 rows (src/kernels/wasm/pipeline.ts)
    before = parallelDispatches();
    columnSumsWasm(random(m * n, 8), m, n);
    expect(parallelDispatches() - before).toBe(1);
  });
});

describe("ops.linear with a bias", () => {
  for (const shape of [[5, 7], [2, 3, 9], [1, 40, 64]]) {
    it(`equals ops.add(ops.linear(x, W), b) to the bit, values and gradients, for x ${JSON.stringify(shape)}`, () => {
      const r = new Random(9), n = 11;
      const x = randomTensor(shape, r), w = randomTensor([n, shape[shape.length - 1]], r), b = randomTensor([n], r);
      const weights = randomTensor([...shape.slice(0, -1), n], r);
      for (const threads of [1, 2]) {
        setNumThreads(threads);
        const fused = valueAndGrad(() => ops.sum(ops.mul(ops.linear(x, w, b), weights)), [x, w, b]);
        const apart = valueAndGrad(() => ops.sum(ops.mul(ops.add(ops.linear(x, w), b), weights)), [x, w, b]);
        expect(bitsOf(ops.linear(x, w, b).data)).toEqual(bitsOf(ops.add(ops.linear(x, w), b).data));
        expect(fused.value).toBe(apart.value);
        fused.grads.forEach((g, i) => expect(bitsOf(g.data), `gradient ${i}, ${threads} thread(s)`).toEqual(bitsOf(apart.grads[i].data)));
      }
    });
  }

  it("has gradients that match finite differences", () => {
    const r = new Random(3);
    const x = randomTensor([2, 3, 4], r), w = randomTensor([5, 4], r), b = randomTensor([5], r), weights = randomTensor([2, 3, 5], r);
    checkGradients(() => ops.sum(ops.mul(ops.linear(x, w, b), weights)), [x, w, b]);
  });

  it("refuses a bias of the wrong shape, naming both shapes", () => {
    const x = new Tensor(new Float32Array(6), [2, 3]), w = new Tensor(new Float32Array(12), [4, 3]);
    expect(() => ops.linear(x, w, new Tensor(new Float32Array(3), [3]))).toThrow("ops.linear: bias must be [4] for weights [4, 3], got shape [3]");
    expect(() => ops.linear(x, w, new Tensor(new Float32Array(4), [1, 4]))).toThrow("ops.linear: bias must be [4] for weights [4, 3], got shape [1, 4]");
  });
});
