// Kernel memory is given back: a lower thread count stops the workers beyond it, releaseMemory() drops the
// WebAssembly instance whose memory only grows (the next call starts afresh, threads included), the library
// releases by itself once the memory is large and the kernels sit idle, and the process's resident memory
// really falls (measured in a child process against dist/).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dotProductAttention, getNumThreads, ops, Random, releaseMemory, setNumThreads, Tensor, valueAndGrad } from "../../src/index.js";
import { isReady, wasmKernels } from "../../src/kernels/wasm/loader.js";
import { parallelDispatches, workerCount } from "../../src/kernels/wasm/threads.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

const random = new Random(5);
const make = (shape: number[]) => new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal()), shape);
const memoryBytes = () => wasmKernels().memory.buffer.byteLength;
/** Bit-identical arrays (toEqual walks millions of elements slowly). */
const sameBits = (x: Float32Array, y: Float32Array) => x.length === y.length && Buffer.compare(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), new Uint8Array(y.buffer, y.byteOffset, y.byteLength)) === 0;

describe("threads and kernel memory are given back", () => {
  const a = make([130, 257]), b = make([257, 130]); // above the product size that splits over threads
  const oneThread = (() => { setNumThreads(1); return ops.matmul(a, b).data; })();

  it("a lower setNumThreads stops the workers beyond it; the rest still take work, with the same bits", () => {
    setNumThreads(4);
    expect(ops.matmul(a, b).data).toEqual(oneThread);
    expect(workerCount()).toBe(3);
    setNumThreads(2);
    expect(workerCount()).toBe(1);
    const before = parallelDispatches();
    expect(ops.matmul(a, b).data).toEqual(oneThread);
    expect(parallelDispatches()).toBe(before + 1);
    expect(workerCount()).toBe(1);
    setNumThreads(1);
    expect(workerCount()).toBe(0);
  });

  it("setNumThreads(1) after a pool drops the pool's shared memory (it cannot shrink); a count that stays above 1, or 1 again, keeps it", () => {
    setNumThreads(3);
    const q = make([1, 2, 1024, 8]);
    const first = dotProductAttention(q, q, q, { returnWeights: true }); // 8 MiB of weights in the shared memory
    expect(workerCount()).toBe(2);
    setNumThreads(2);
    expect(isReady()).toBe(true);
    expect(memoryBytes()).toBeGreaterThan(8 * 2 ** 20);
    setNumThreads(1);
    expect(workerCount()).toBe(0);
    expect(isReady()).toBe(false);
    expect(memoryBytes()).toBeLessThan(8 * 2 ** 20); // a fresh instance on a small memory
    expect(ops.matmul(a, b).data).toEqual(oneThread);
    const again = dotProductAttention(q, q, q, { returnWeights: true });
    expect(sameBits(again.weights.data, first.weights.data)).toBe(true);
    setNumThreads(1); // no pool: nothing to drop
    expect(isReady()).toBe(true);
  });

  it("releaseMemory drops the grown memory and the workers; the next calls instantiate afresh, on threads, with the same results", () => {
    setNumThreads(2);
    const q = make([1, 2, 1024, 8]);
    const first = dotProductAttention(q, q, q, { returnWeights: true }); // 2·1024² weights: 8 MiB in the kernels' memory
    const grown = memoryBytes();
    expect(grown).toBeGreaterThan(8 * 2 ** 20);
    expect(workerCount()).toBe(1);
    releaseMemory();
    expect(isReady()).toBe(false);
    expect(workerCount()).toBe(0);
    expect(ops.matmul(a, b).data).toEqual(oneThread); // threads restart on the new memory
    expect(workerCount()).toBe(1);
    expect(memoryBytes()).toBeLessThan(8 * 2 ** 20);
    const again = dotProductAttention(q, q, q, { returnWeights: true });
    expect(sameBits(again.output.data, first.output.data)).toBe(true);
    expect(sameBits(again.weights.data, first.weights.data)).toBe(true);
    const grads = () => valueAndGrad(() => ops.sum(dotProductAttention(q, q, q, { causal: true })), [q]).grads[0].data;
    const g = grads();
    releaseMemory();
    expect(sameBits(grads(), g)).toBe(true);
  });

  it("a memory above 256 MiB is released by itself after 2 s idle, not while kernels keep running", async () => {
    const mem = wasmKernels().memory;
    mem.grow(Math.ceil((256 * 2 ** 20 - mem.buffer.byteLength) / 65536) + 1); // reserved, never touched
    ops.matmul(a, b); // a kernel call notes the size
    expect(isReady()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    ops.matmul(a, b); // still in use: the countdown starts again
    const lastCall = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(isReady()).toBe(true);
    while (isReady() && Date.now() - lastCall < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isReady()).toBe(false);
    expect(Date.now() - lastCall).toBeGreaterThanOrEqual(2000);
    expect(ops.matmul(a, b).data).toEqual(oneThread);
    expect(memoryBytes()).toBeLessThan(8 * 2 ** 20);
  });

  it("resident memory falls after releaseMemory (one returnWeights call at T = 4096 in a child process)", () => {
    const script = `
      const { dotProductAttention, releaseMemory, Tensor } = await import(${JSON.stringify(fileURLToPath(new URL("../../dist/node/index.js", import.meta.url)))});
      const rss = () => { globalThis.gc(); return process.memoryUsage().rss / 2 ** 20; };
      const base = rss();
      const q = new Tensor(new Float32Array(4096).fill(0.5), [1, 1, 4096, 1]);
      dotProductAttention(q, q, q, { returnWeights: true }); // 64 MiB of weights in the kernels' memory, and a copy, dropped
      const held = rss();
      releaseMemory();
      let released = rss();
      for (let waited = 0; waited < 5000 && held - released < 60; waited += 100) { // the workers hold the memory until they have exited
        await new Promise((resolve) => setTimeout(resolve, 100));
        released = rss();
      }
      console.log(JSON.stringify({ base, held, released }));`;
    const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    const { base, held, released } = JSON.parse(out) as { base: number; held: number; released: number };
    expect(held - base).toBeGreaterThan(60); // the kernels' memory stays resident after the result is gone
    expect(held - released).toBeGreaterThan(60); // and goes once released
  });
});
