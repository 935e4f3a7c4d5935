// Threads: setNumThreads/getNumThreads, and results bit-identical for every thread count (the GEMM
// splits C into bands; each element is summed by one thread in the kernel's fixed order).
import os from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { dotProductAttention, getNumThreads, ops, Random, setNumThreads, Tensor, valueAndGrad, type DotProductAttentionOptions } from "../../src/index.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm.js";
import { referenceRuns } from "../../src/kernels/wasm/attentionRange.js";
import { claimAll, parallelDispatches, sleepingWorkers, startParallel, takenBackShares, workerCount } from "../../src/kernels/wasm/threads.js";
import { linearBackwardWasm } from "../../src/kernels/wasm/gemm.js";
import { linearBackwardReference } from "../../src/kernels/bias.js";
import { layout } from "../../src/kernels/wasm/memory.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

describe("setNumThreads / getNumThreads", () => {
  it("defaults to the machine's cores in Node and reads back what was set", () => {
    expect(initial).toBe(os.availableParallelism());
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
    setNumThreads(initial);
  });

  it("rejects a count that is not a positive integer, naming the function", () => {
    expect(() => setNumThreads(0)).toThrow("setNumThreads: n must be an integer from 1 to 257, got 0");
    expect(() => setNumThreads(1.5)).toThrow(/^setNumThreads: n must be an integer/);
    expect(() => setNumThreads("2" as unknown as number)).toThrow('setNumThreads: n must be an integer from 1 to 257, got "2"');
  });
});

describe("claimed work (guided scheduling)", () => {
  it("covers every item once; no claim takes more than 1/(2·threads) of what is left or less than the minimum grain; claims shrink", () => {
    for (const [items, minGrain, threads] of [[100, 1, 2], [128, 1, 2], [8192, 64, 3], [5, 8, 2], [1, 1, 4]]) {
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const ranges: [number, number][] = [];
      claimAll(counter, items, minGrain, threads, (first, end) => ranges.push([first, end]));
      let next = 0, last = Infinity;
      for (const [first, end] of ranges) {
        const size = end - first, left = items - first;
        expect(first).toBe(next); // contiguous and disjoint, from 0
        expect(size).toBeGreaterThanOrEqual(Math.min(minGrain, left));
        expect(size).toBeLessThanOrEqual(Math.max(minGrain, left / (2 * threads) + 1)); // leaves the other threads their share
        expect(size).toBeLessThanOrEqual(last);
        next = end;
        last = size;
      }
      expect(next).toBe(items);
      expect(counter[0]).toBe(items);
      expect(ranges.at(-1)![1] - ranges.at(-1)![0]).toBeLessThanOrEqual(minGrain); // it ends fine-grained
    }
  });
});

describe("claimed work in multiples of a quantum", () => {
  // threads interleaved deterministically: a claim's run may start another thread's claiming loop (which takes
  // what is left meanwhile), as a worker that wakes while the caller is inside a range would
  function claimInterleaved(items: number, minGrain: number, threads: number, quantum: number, nestAt: number[]): [number, number, number][] {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const ranges: [number, number, number][] = [];
    let calls = 0;
    const thread = (t: number): void => claimAll(counter, items, minGrain, threads, (first, end) => {
      ranges.push([first, end, t]);
      if (t + 1 < threads && nestAt.includes(calls++)) thread(t + 1);
    }, quantum);
    thread(0);
    for (let t = 1; t < threads; t++) thread(t); // threads that start after all is claimed find nothing left
    return ranges;
  }

  it("covers every item exactly once, each range starting and ending on a multiple of the quantum (or at the end), for 1, 2 and 3 threads", () => {
    for (const [items, minGrain, quantum] of [[301, 32, 4], [533, 32, 8], [7, 1, 4], [70001, 4096, 16], [16, 16, 16], [1, 1, 8]]) {
      for (const threads of [1, 2, 3]) {
        for (const nestAt of [[], [0], [1, 3], [0, 1, 2, 5]]) {
          const ranges = claimInterleaved(items, minGrain, threads, quantum, nestAt);
          const seen = new Uint8Array(items);
          for (const [first, end] of ranges) {
            expect(first % quantum).toBe(0);
            expect(end === items || end % quantum === 0).toBe(true);
            expect(end).toBeGreaterThan(first);
            for (let i = first; i < end; i++) seen[i]++;
          }
          expect([...seen].every((c) => c === 1)).toBe(true);
          if (threads > 1 && nestAt.length > 0 && ranges.length > 2) expect(new Set(ranges.map((r) => r[2])).size).toBeGreaterThan(1); // the nesting really interleaved
        }
      }
    }
  });
});

describe("started calls (startParallel)", () => {
  it("a call started, then joined after other work, sums the columns as one thread does; a second start before the join is refused", () => {
    setNumThreads(2);
    const m = 300, n = 64, g = Float32Array.from({ length: m * n }, (_, i) => Math.sin(i));
    const mem = layout([m * n, n]);
    const [pg, pout] = mem.offsets;
    mem.write(pg, g);
    const join = startParallel("columnSums", [[pg, pout, m, n, 0, 32], [pg, pout, m, n, 32, 64]]);
    let other = 0;
    try {
      for (let i = 0; i < g.length; i++) other += g[i]; // this thread's other work while the worker sums
      expect(() => startParallel("columnSums", [[pg, pout, m, n, 0, 64]])).toThrow("a kernel call started before the previous one was joined");
    } finally {
      join();
    }
    const expected = new Float32Array(n);
    for (let j = 0; j < n; j++) { let s = 0; for (let i = 0; i < m; i++) s = Math.fround(s + g[i * n + j]); expected[j] = s; }
    expect(mem.f32(pout, n)).toEqual(expected);
    setNumThreads(initial);
  });

  it("ops.linear's backward (dx started while x is copied in, dW while dx is copied out) gives the reference's bits on 1, 2 and 3 threads", () => {
    const random = new Random(5);
    const fill = (len: number) => Float32Array.from({ length: len }, () => random.normal());
    for (const [rows, n, k] of [[301, 67, 90], [1, 5, 3], [130, 200, 129], [64, 64, 0]]) {
      const g = fill(rows * n), w = fill(n * k), x = fill(rows * k);
      for (const needs of [[true, true, true], [false, true, false], [true, false, false]]) {
        const runs = [1, 2, 3].map((threads) => { setNumThreads(threads); return linearBackwardWasm(g, w, x, rows, n, k, needs); });
        setNumThreads(initial);
        expect(runs[1]).toEqual(runs[0]);
        expect(runs[2]).toEqual(runs[0]);
        expect(runs[0]).toEqual(linearBackwardReference(g, w, x, rows, n, k, needs)); // the reference's summation order: its bits
      }
    }
  });
});

describe("GEMM results are bit-identical for 1, 2 and 3 threads", () => {
  const random = new Random(41);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.normal());
  // tall (split by rows), wide (split by columns), odd sizes that leave ragged bands, k past one block
  for (const [m, k, n] of [[301, 97, 65], [7, 300, 533], [130, 257, 130], [65, 65, 65]]) {
    for (const [transA, transB, accumulate] of [[false, false, false], [true, false, true], [false, true, false], [true, true, true]]) {
      it(`${m}×${k}·${k}×${n} transA=${transA} transB=${transB} accumulate=${accumulate}`, () => {
        const a = fill(m * k), b = fill(k * n), c0 = fill(m * n);
        const split: boolean[] = [], workers: number[] = [];
        const results = [1, 2, 3].map((threads) => {
          setNumThreads(threads);
          const c = c0.slice();
          const before = parallelDispatches();
          gemmWasm(a, 0, transA, b, 0, transB, c, 0, m, k, n, accumulate);
          split.push(parallelDispatches() > before);
          workers.push(workerCount());
          return c;
        });
        setNumThreads(initial);
        expect(split).toEqual([false, true, true]); // this very call went to the workers at 2 and 3 threads
        expect(workers).toEqual([0, 1, 2]); // n threads: n − 1 workers (a lower count stops the rest)
        expect(results[1]).toEqual(results[0]);
        expect(results[2]).toEqual(results[0]);
      });
    }
  }

  it("gradients of ops.matmul and ops.linear through the pool equal one thread's exactly", () => {
    const x = new Tensor(fill(3 * 50 * 80), [3, 50, 80]), w = new Tensor(fill(80 * 90), [80, 90]), v = new Tensor(fill(70 * 90), [70, 90]);
    const run = (threads: number) => {
      setNumThreads(threads);
      const { grads } = valueAndGrad(() => ops.sum(ops.square(ops.linear(ops.matmul(x, w), v))), [x, w, v]);
      return grads.map((g) => g.data);
    };
    const one = run(1), two = run(2);
    setNumThreads(initial);
    for (let i = 0; i < 3; i++) expect(two[i]).toEqual(one[i]);
  });
});

describe("a worker that has not started by the time the caller's share is done", () => {
  // a restarted pool's workers take milliseconds to boot (an engine instance each), the caller's share of these
  // small calls microseconds: every worker is late, so the caller runs (or, for claimed items, has claimed) it all
  const random = new Random(47);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.normal());

  it("GEMM bands: the caller runs them itself, with the same bits, and does not wait for the workers to boot", () => {
    const [m, k, n] = [64, 64, 80];
    const a = fill(m * k), b = fill(k * n);
    const product = () => { const c = new Float32Array(m * n); gemmWasm(a, 0, false, b, 0, false, c, 0, m, k, n, false); return c; };
    setNumThreads(1);
    const one = product();
    setNumThreads(3); // two fresh workers, still booting
    const before = takenBackShares(), dispatches = parallelDispatches();
    const three = product();
    expect(parallelDispatches() - dispatches).toBe(1);
    expect(takenBackShares() - before).toBe(2);
    expect(three).toEqual(one);
    setNumThreads(initial);
  });

  it("attention's claimed items: the caller claims them all; forward and backward as on one thread", () => {
    const shape = [1, 4, 64, 32];
    const q = new Tensor(fill(4 * 64 * 32), shape), k = new Tensor(fill(4 * 64 * 32), shape), v = new Tensor(fill(4 * 64 * 32), shape);
    const run = () => valueAndGrad(() => ops.sum(ops.square(dotProductAttention(q, k, v, { implementation: "wasm" }))), [q, k, v]).grads.map((g) => g.data);
    setNumThreads(1);
    const one = run();
    setNumThreads(2);
    const before = takenBackShares(), dispatches = parallelDispatches();
    const two = run();
    expect(parallelDispatches()).toBeGreaterThan(dispatches);
    expect(takenBackShares() - before).toBeGreaterThan(0);
    two.forEach((g, i) => expect(g).toEqual(one[i]));
    setNumThreads(initial);
  });
});

describe("a worker between calls", () => {
  // it polls its slot for WORKER_SPIN_MS before sleeping, so a call that follows within that time finds it awake
  // (asleep in Atomics.wait, it would wake tens of µs or more later, after the caller had run a small call's share itself)
  const random = new Random(53);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.normal());

  it("is still polling right after a call (not asleep in Atomics.wait), and sleeps once no call has come for a while", () => {
    const [m, k, n] = [64, 64, 72]; // just over the GEMM's one-thread limit: a share of microseconds
    const a = fill(m * k), b = fill(k * n), c = new Float32Array(m * n);
    setNumThreads(2);
    const product = () => gemmWasm(a, 0, false, b, 0, false, c, 0, m, k, n, false);
    for (const until = performance.now() + 200; performance.now() < until;) product(); // the worker has booted
    const calls = 50, dispatches = parallelDispatches();
    let asleep = 0;
    for (let i = 0; i < calls; i++) {
      product();
      for (const until = performance.now() + 0.02; performance.now() < until;); // 20 µs: a worker without polling is back in Atomics.wait
      asleep += sleepingWorkers();
    }
    expect(parallelDispatches() - dispatches).toBe(calls);
    expect(asleep).toBeLessThan(calls / 2);
    let slept = false; // the polling is bounded: idle, the worker sleeps
    for (const until = performance.now() + 1000; !slept && performance.now() < until;) slept = sleepingWorkers() === 1;
    expect(slept).toBe(true);
    setNumThreads(initial);
  });
});

describe("wasm attention results are bit-identical for 1, 2 and 3 threads (forward and backward)", () => {
  const random = new Random(43);
  const make = (shape: number[]) => new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal()), shape);
  const cases: [string, number[], number[], DotProductAttentionOptions][] = [
    ["plain, odd sizes", [2, 3, 97, 24], [2, 3, 130, 24], {}],
    ["causal, key lengths, dropout", [3, 2, 70, 16], [3, 2, 70, 16], { causal: true, keyLengths: [70, 33, 1], dropout: { rate: 0.2, seed: 9 } }],
    ["grouped-query heads, window", [1, 4, 129, 8], [1, 2, 129, 8], { causal: true, window: 40 }],
  ];
  for (const [name, qShape, kShape, options] of cases) {
    it(name, () => {
      const q = make(qShape), k = make(kShape), v = make(kShape), r = make(qShape);
      const split: boolean[] = [], workers: number[] = [];
      const results = [1, 2, 3].map((threads) => {
        setNumThreads(threads);
        const before = parallelDispatches();
        const out = dotProductAttention(q, k, v, { ...options, implementation: "wasm" });
        split.push(parallelDispatches() > before);
        workers.push(workerCount());
        const { grads } = valueAndGrad(() => ops.sum(ops.mul(dotProductAttention(q, k, v, { ...options, implementation: "wasm" }), r)), [q, k, v]);
        return [out.data, ...grads.map((g) => g.data)];
      });
      setNumThreads(initial);
      expect(split).toEqual([false, true, true]); // the forward went to the workers at 2 and 3 threads
      expect(workers).toEqual([0, 1, 2]);
      for (const other of results.slice(1)) other.forEach((data, i) => expect(data).toEqual(results[0][i]));
    });
  }
});

describe("every kv head's measurements reach the checks, whichever thread packed it (2 and 3 threads)", () => {
  // 8 heads of 64 × 64 with D = 176: above the sizes that run (and pack) on one thread; only the last head holds
  // the oddity (which thread packs it depends on the claims; the reduction over heads must not)
  const D = 176;
  const shape = [1, 8, 64, D];
  const make = (fill: (i: number) => number) => new Tensor(Float32Array.from({ length: 8 * 64 * D }, (_, i) => fill(i)), shape);
  const lastHead = 7 * 64 * D;
  const q = make((i) => Math.sin(i)), k = make((i) => Math.cos(i));

  it("NaN in a key that only the last head's causal mask hides: the products skip its zero weights, as the reference does", () => {
    const v = make((i) => (i === lastHead + 63 * D ? NaN : Math.sin(2 * i))); // key 63 of head 7: hidden from rows 0 … 62
    const reference = dotProductAttention(q, k, v, { causal: true, implementation: "reference" }).data;
    for (const threads of [2, 3]) {
      setNumThreads(threads);
      const out = dotProductAttention(q, k, v, { causal: true, implementation: "wasm" }).data;
      expect(out.slice(0, out.length - D).every(Number.isFinite)).toBe(true); // only the last row sees the NaN
      for (let i = 0; i < out.length; i++) expect(Math.abs(out[i] - reference[i]) <= 1e-5 || (Number.isNaN(out[i]) && Number.isNaN(reference[i]))).toBe(true);
    }
    setNumThreads(initial);
  });

  it("a query in the last head whose scores float32 cannot hold sends the call to the reference kernel", () => {
    const big = make((i) => (i >= lastHead ? 1e38 * Math.sin(i) : Math.sin(i))); // scale·q·k·D up to ~2.8e38
    const v = make((i) => Math.cos(3 * i));
    const reference = dotProductAttention(big, k, v, { implementation: "reference" }).data;
    for (const threads of [2, 3]) {
      setNumThreads(threads);
      const before = referenceRuns();
      const out = dotProductAttention(big, k, v).data; // the default "wasm", with its range check
      expect(referenceRuns()).toBe(before + 1);
      expect(out.every(Number.isFinite)).toBe(true);
      expect(out).toEqual(reference);
    }
    setNumThreads(initial);
  });
});
