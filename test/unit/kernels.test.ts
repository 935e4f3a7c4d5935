// Kernels against the plainest possible loops, on awkward sizes.
import { describe, expect, it } from "vitest";
import { gemmReference as gemm } from "../../src/kernels/matmul.js";
import { hashUniform } from "../../src/kernels/hash.js";
import { Random } from "../../src/index.js";

describe("gemmReference", () => {
  const random = new Random(71);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.normal());
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [4, 4, 4], [1, 9, 2], [7, 1, 3], [6, 13, 5], [2, 0, 3]]) {
    for (const transA of [false, true]) for (const transB of [false, true]) {
      it(`${m}×${k}·${k}×${n} transA=${transA} transB=${transB}, accumulating into an offset`, () => {
        const a = fill(m * k + 2), b = fill(k * n + 3), c = fill(m * n + 1);
        const A = (i: number, p: number) => (transA ? a[2 + p * m + i] : a[2 + i * k + p]);
        const B = (p: number, j: number) => (transB ? b[3 + j * k + p] : b[3 + p * n + j]);
        const expected = Float64Array.from(c);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) expected[1 + i * n + j] += A(i, p) * B(p, j);
        gemm(a, 2, transA, b, 3, transB, c, 1, m, k, n, true);
        c.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
      });
    }
  }
});

describe("hashUniform", () => {
  it("is uniform enough on [0, 1) and depends on the seed", () => {
    const draws = Array.from({ length: 20000 }, (_, i) => hashUniform(5, i));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(hashUniform(6, 3)).not.toBe(hashUniform(5, 3));
    expect(hashUniform(5, 2 ** 33 + 1)).not.toBe(hashUniform(5, 1)); // counters past 2³² stay distinct
  });
});
