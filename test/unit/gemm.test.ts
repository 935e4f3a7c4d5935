// The WebAssembly matrix multiply (src/kernels/wasm/gemm.ts) against the plain-JS reference on awkward
// sizes: m, k, n from a set of edge-tile and block-boundary sizes, every pair of sizes for every pair of
// dimensions (121 of the 1331 triples), every transpose combination, accumulating and overwriting, operands
// at offsets. Agreement is within float32 rounding of the sum:
// |wasm − reference| ≤ 1e-5 · (Σ_p |A(i,p)|·|B(p,j)| + |C₀(i,j)|).
import { describe, expect, it } from "vitest";
import { gemm, gemmReference } from "../../src/kernels/matmul.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm.js";
import { getNumThreads, Random, setNumThreads } from "../../src/index.js";
import { parallelDispatches } from "../../src/kernels/wasm/threads.js";

const SIZES = [1, 2, 3, 5, 7, 16, 17, 33, 64, 65, 130];
// A Latin square over the sizes: m = SIZES[i], n = SIZES[j], k = SIZES[(i + j) mod 11]. Each pair (m, n),
// (m, k) and (k, n) occurs exactly once (for fixed i, j ↦ i + j is a bijection mod 11), so every edge of one
// dimension meets every edge of the others at a ninth of the cost of all triples.
const TRIPLES = SIZES.flatMap((m, i) => SIZES.map((n, j) => [m, SIZES[(i + j) % SIZES.length], n]));

describe("WebAssembly gemm against gemmReference", () => {
  const random = new Random(5);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.normal());

  it("is what gemm (used by ops.matmul and the layers) runs where WebAssembly runs: its bits, not the reference's", () => {
    const a = fill(65 * 65), b = fill(65 * 65);
    const viaGemm = new Float32Array(65 * 65), viaWasm = new Float32Array(65 * 65), viaReference = new Float32Array(65 * 65);
    gemm(a, 0, false, b, 0, true, viaGemm, 0, 65, 65, 65, false);
    gemmWasm(a, 0, false, b, 0, true, viaWasm, 0, 65, 65, 65, false);
    gemmReference(a, 0, false, b, 0, true, viaReference, 0, 65, 65, 65, false);
    expect(viaGemm).toEqual(viaWasm);
    expect(viaReference).not.toEqual(viaWasm); // the two sum in different orders (test/fallbacks.test.ts: the reference where WebAssembly is missing)
  });

  for (const transA of [false, true]) for (const transB of [false, true]) for (const accumulate of [false, true]) {
    it(`every pair of m, k, n ∈ {${SIZES}}, transA=${transA} transB=${transB} accumulate=${accumulate}, at offsets`, () => {
      let worst = 0;
      for (const [m, k, n] of TRIPLES) {
        const a = fill(m * k + 3), b = fill(k * n + 2), c0 = fill(m * n + 2);
        const expected = c0.slice(), got = c0.slice();
        gemmReference(a, 3, transA, b, 2, transB, expected, 1, m, k, n, accumulate);
        gemmWasm(a, 3, transA, b, 2, transB, got, 1, m, k, n, accumulate);
        const bound = new Float32Array(m * n);
        gemmReference(a.map(Math.abs), 3, transA, b.map(Math.abs), 2, transB, bound, 0, m, k, n, false);
        expect(got[0]).toBe(c0[0]); // untouched around the block
        expect(got[m * n + 1]).toBe(c0[m * n + 1]);
        for (let i = 0; i < m * n; i++) {
          const scale = bound[i] + (accumulate ? Math.abs(c0[1 + i]) : 0);
          const err = Math.abs(got[1 + i] - expected[1 + i]) / scale;
          if (!(err <= 1e-5)) throw new Error(`m=${m} k=${k} n=${n} element ${i}: wasm ${got[1 + i]}, reference ${expected[1 + i]}`);
          worst = Math.max(worst, err);
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  }

  // m < 4 takes assembly/gemmFewRows.ts (no packing); its rows must carry the tiled path's bits, so one decoding
  // step's row equals the same row of a whole-sequence product (k past one 256-block, columns past one tile, and
  // past one 1024-column chunk of the row-streaming path for B [k×n])
  for (const transA of [false, true]) for (const transB of [false, true]) for (const accumulate of [false, true]) for (const n of [37, 1103]) {
    it(`rows of an m < 4 product have the bits of the same rows in an m = 9 product, transA=${transA} transB=${transB} accumulate=${accumulate} n=${n}`, () => {
      const M = 9, k = 300;
      const a = fill(M * k), b = fill(k * n), c0 = fill(M * n);
      const whole = c0.slice();
      gemmWasm(a, 0, transA, b, 0, transB, whole, 0, M, k, n, accumulate);
      for (const [first, m] of [[0, 1], [4, 2], [6, 3]]) {
        // op(A) rows first … first + m − 1: [m×k] as stored, or the [k×m] columns when transposed
        const rows = new Float32Array(m * k);
        for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) rows[transA ? p * m + i : i * k + p] = transA ? a[p * M + first + i] : a[(first + i) * k + p];
        const got = c0.slice(first * n, (first + m) * n);
        gemmWasm(rows, 0, transA, b, 0, transB, got, 0, m, k, n, accumulate);
        expect(got).toEqual(whole.subarray(first * n, (first + m) * n));
      }
    });
  }

  it("a few-row product splits over threads only from a B of 2^20 floats, with the bits of one thread", () => {
    const initial = getNumThreads();
    try {
      for (const [k, n, splits] of [[256, 1024, false], [1024, 1030, true]] as const) {
        const a = fill(2 * k), b = fill(k * n);
        setNumThreads(1);
        const one = new Float32Array(2 * n);
        gemmWasm(a, 0, false, b, 0, true, one, 0, 2, k, n, false);
        setNumThreads(2);
        const two = new Float32Array(2 * n), before = parallelDispatches();
        gemmWasm(a, 0, false, b, 0, true, two, 0, 2, k, n, false);
        expect(parallelDispatches() - before, `2×${k}·${k}×${n} on 2 threads`).toBe(splits ? 1 : 0);
        expect(two).toEqual(one);
      }
    } finally {
      setNumThreads(initial);
    }
  });

  it("k = 0 gives a zero product: C overwritten with zeros, or left as it was", () => {
    const c = fill(6), before = c.slice();
    gemmWasm(new Float32Array(0), 0, false, new Float32Array(0), 0, false, c, 0, 2, 0, 3, true);
    expect(c).toEqual(before);
    gemmWasm(new Float32Array(0), 0, false, new Float32Array(0), 0, false, c, 0, 2, 0, 3, false);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("NaN and Inf in A or B propagate as in the reference", () => {
    const a = Float32Array.from([1, NaN, 2, 3, Infinity, 4]), b = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const got = new Float32Array(4), expected = new Float32Array(4);
    gemmWasm(a, 0, false, b, 0, false, got, 0, 2, 3, 2, false);
    gemmReference(a, 0, false, b, 0, false, expected, 0, 2, 3, 2, false);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it("a product larger than the kernel's blocks (200 × 300 · 300 × 1100, Aᵀ·B)", () => {
    const m = 200, k = 300, n = 1100;
    const a = fill(k * m), b = fill(k * n);
    const expected = new Float32Array(m * n), got = new Float32Array(m * n), bound = new Float32Array(m * n);
    gemmReference(a, 0, true, b, 0, false, expected, 0, m, k, n, false);
    gemmWasm(a, 0, true, b, 0, false, got, 0, m, k, n, false);
    gemmReference(a.map(Math.abs), 0, true, b.map(Math.abs), 0, false, bound, 0, m, k, n, false);
    let worst = 0;
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]) / bound[i]);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
