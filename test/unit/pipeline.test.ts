// Pipelined kernel calls (src/kernels/wasm/pipeline.ts): the order of starts, copies and joins; the chunking; claimed
// runs over [first, items); and the products that use them (B packed once for all ranges of rows, chunks of rows
// copied in and out while the threads compute) give one thread's bits on 2 and 3 threads, on awkward shapes.
import { afterAll, describe, expect, it } from "vitest";
import { getNumThreads, Random, setNumThreads } from "../../src/index.js";
import { chunksOf, pipelined } from "../../src/kernels/wasm/pipeline.js";
import { claimAll, parallelDispatches, runClaimed } from "../../src/kernels/wasm/threads.js";
import { layout } from "../../src/kernels/wasm/memory.js";
import { gemmBiasWasm, gemmWasm, linearBackwardWasm } from "../../src/kernels/wasm/gemm.js";
import { gemmBiasReference, linearBackwardReference } from "../../src/kernels/bias.js";
import { gemmReference } from "../../src/kernels/matmul.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

/** The first index where a and b differ in bits (or in length: -2), else -1 (toEqual on a million floats takes seconds). */
function firstDifference(a: Float32Array | null, b: Float32Array | null): number {
  if (a === null || b === null) return a === b ? -1 : -2;
  if (a.length !== b.length) return -2;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe("pipelined", () => {
  it("copies chunk c+1 in, does chunk c's side work and copies chunk c−1 out between chunk c's start and join; the first chunk in before any start, the last out during `then`", () => {
    const log: string[] = [];
    pipelined([[0, 4], [4, 8], [8, 9]], (f, e) => { log.push(`start ${f}-${e}`); return () => log.push(`join ${f}-${e}`); }, {
      copyIn: (f, e) => log.push(`in ${f}-${e}`), copyOut: (f, e) => log.push(`out ${f}-${e}`), alongside: (f, e) => log.push(`side ${f}-${e}`),
    }, () => { log.push("then"); return () => log.push("join then"); });
    expect(log).toEqual([
      "in 0-4", "start 0-4", "in 4-8", "side 0-4", "join 0-4", "start 4-8", "in 8-9", "side 4-8", "out 0-4", "join 4-8",
      "start 8-9", "side 8-9", "out 4-8", "join 8-9", "then", "out 8-9", "join then",
    ]);
  });

  it("one chunk: in, start, join, out; no chunks: only `then`; a copy that throws still joins the started chunk", () => {
    const log: string[] = [];
    pipelined([[0, 5]], () => { log.push("start"); return () => log.push("join"); }, { copyIn: () => log.push("in"), copyOut: () => log.push("out") });
    expect(log).toEqual(["in", "start", "join", "out"]);
    log.length = 0;
    pipelined([], () => () => {}, { copyIn: () => log.push("in"), copyOut: () => log.push("out") }, () => { log.push("then"); return () => log.push("join then"); });
    expect(log).toEqual(["then", "join then"]);
    log.length = 0;
    expect(() => pipelined([[0, 2], [2, 4]], () => { log.push("start"); return () => log.push("join"); },
      { copyIn: (f) => { if (f === 2) throw new Error("copy failed"); }, copyOut: () => {} })).toThrow("copy failed");
    expect(log).toEqual(["start", "join"]);
  });
});

describe("chunksOf", () => {
  it("one chunk on one thread; on more, up to `chunks` of at least minItems, on multiples of the quantum, covering [0, items)", () => {
    expect(chunksOf(2048, 1, 4, 8, 128)).toEqual([[0, 2048]]);
    expect(chunksOf(0, 2, 4, 8, 128)).toEqual([]);
    expect(chunksOf(100, 2, 4, 8, 128)).toEqual([[0, 100]]);
    for (const [items, threads, quantum, chunks, minItems] of [[2048, 2, 4, 8, 128], [301, 3, 4, 8, 128], [1001, 2, 16, 5, 1], [7, 2, 4, 8, 1]]) {
      const got = chunksOf(items, threads, quantum, chunks, minItems);
      expect(got.length).toBeLessThanOrEqual(chunks);
      expect(got[0][0]).toBe(0);
      expect(got[got.length - 1][1]).toBe(items);
      got.forEach(([first, end], i) => {
        expect(first % quantum).toBe(0);
        expect(end).toBeGreaterThan(first);
        if (i > 0) expect(first).toBe(got[i - 1][1]);
        if (got.length > 1) expect(end - first).toBeGreaterThanOrEqual(Math.min(minItems, quantum * Math.floor(items / got.length / quantum)));
      });
    }
  });
});

describe("claimed runs over [first, items)", () => {
  it("claimAll from a counter set to `first` hands out exactly [first, items)", () => {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    for (const [first, items, quantum] of [[64, 301, 4], [16, 17, 16], [8, 8, 8]]) {
      Atomics.store(counter, 0, first);
      const seen = new Uint8Array(items);
      claimAll(counter, items, 1, 2, (f, e) => { for (let i = f; i < e; i++) seen[i]++; }, quantum);
      expect([...seen.subarray(0, first)].every((c) => c === 0)).toBe(true);
      expect([...seen.subarray(first)].every((c) => c === 1)).toBe(true);
    }
  });

  it("runClaimed over a range of columns sums those columns only, on 1 and 2 threads", () => {
    const m = 600, n = 96, g = Float32Array.from({ length: m * n }, (_, i) => Math.sin(i));
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      const mem = layout([m * n, n]);
      const [pg, pout] = mem.offsets;
      mem.write(pg, g);
      mem.f32(pout, n).fill(-1);
      const before = parallelDispatches();
      runClaimed("columnSums", threads, [pg, pout, m, n], { first: 32, items: 80, minGrain: 4, quantum: 4 });
      if (threads > 1) expect(parallelDispatches()).toBeGreaterThan(before);
      const out = mem.f32(pout, n);
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < m; i++) s = Math.fround(s + g[i * n + j]);
        expect(out[j], `column ${j}`).toBe(j >= 32 && j < 80 ? s : -1);
      }
    }
    setNumThreads(initial);
  });
});

describe("products in chunks of rows with B packed once (or split by columns with A packed once): 2 and 3 threads give one thread's bits", () => {
  const random = new Random(77);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.normal());
  // split by rows (m ≥ n) and large enough to split: several chunks (m ≥ 256), ragged last rows (m mod 4), several
  // KC blocks of B (k > 256), several NC blocks with a ragged panel (n = 1030 > 1024), a few rows per chunk
  // split by columns (m < n), A packed once: by this thread (60×300) or by the threads (130×1030 ≥ 2¹⁷ floats, 5 KC blocks)
  const SHAPES = [[301, 97, 65], [1030, 9, 1030], [515, 300, 131], [260, 1024, 4], [2048, 128, 96], [60, 300, 1100], [130, 1030, 300]];
  for (const [m, k, n] of SHAPES) {
    it(`gemm ${m}×${k}·${k}×${n}, every transpose, accumulating and not; against gemmReference within float32 rounding`, () => {
      for (const [transA, transB, accumulate] of [[false, false, false], [false, true, true], [true, false, false], [true, true, true]]) {
        const a = fill(m * k + 1), b = fill(k * n + 2), c0 = fill(m * n + 3);
        const runs = [1, 2, 3].map((threads) => {
          setNumThreads(threads);
          const c = c0.slice();
          gemmWasm(a, 1, transA, b, 2, transB, c, 3, m, k, n, accumulate);
          return c;
        });
        setNumThreads(initial);
        expect(firstDifference(runs[1], runs[0])).toBe(-1);
        expect(firstDifference(runs[2], runs[0])).toBe(-1);
        const expected = c0.slice(), bound = new Float32Array(m * n);
        gemmReference(a, 1, transA, b, 2, transB, expected, 3, m, k, n, accumulate);
        gemmReference(a.map(Math.abs), 1, transA, b.map(Math.abs), 2, transB, bound, 0, m, k, n, false);
        let worst = 0;
        for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(runs[0][3 + i] - expected[3 + i]) / (bound[i] + Math.abs(c0[3 + i]) + 1e-30));
        expect(worst).toBeLessThanOrEqual(1e-5);
        expect(Array.from(runs[0].subarray(0, 3))).toEqual(Array.from(c0.subarray(0, 3))); // nothing written before C's offset
      }
    });
  }

  it("gemmBias and linear's backward on the bench GPT's shapes, bit for bit against the references on 1, 2 and 3 threads", () => {
    for (const [rows, k, n] of [[2048, 128, 512], [2048, 512, 128], [1030, 128, 384], [257, 33, 7]]) { // dW of [2048, 512, 128]: split by columns
      const x = fill(rows * k), w = fill(n * k), bias = fill(n), g = fill(rows * n);
      const ref = new Float32Array(rows * n);
      gemmBiasReference(x, false, w, true, bias, ref, rows, k, n);
      const refBack = linearBackwardReference(g, w, x, rows, n, k, [true, true, true]);
      for (const threads of [1, 2, 3]) {
        setNumThreads(threads);
        const y = new Float32Array(rows * n).fill(NaN);
        gemmBiasWasm(x, false, w, true, bias, y, rows, k, n);
        expect(firstDifference(y, ref), `forward, ${threads} thread(s)`).toBe(-1);
        const back = linearBackwardWasm(g, w, x, rows, n, k, [true, true, true]);
        back.forEach((v, i) => expect(firstDifference(v, refBack[i]), `gradient ${i}, ${threads} thread(s)`).toBe(-1));
      }
    }
    setNumThreads(initial);
  });
});
