// Layer normalization's kernels (src/kernels/layerNorm.ts): the WebAssembly fast path does the reference's
// float32 arithmetic in its order, so values and every gradient are the same bits, on awkward sizes and for
// every thread count; ops.layerNorm runs it on large inputs.
import { afterAll, describe, expect, it, vi } from "vitest";
import { getNumThreads, ops, Random, setNumThreads, Tensor, valueAndGrad } from "../../src/index.js";
import { layerNorm } from "../../src/tensor/ops/layerNorm.js";
import { layerNormBackwardReference, layerNormForwardReference } from "../../src/kernels/layerNorm.js";
import { layerNormBackwardWasm, layerNormForwardWasm } from "../../src/kernels/wasm/layerNorm.js";
import { parallelDispatches } from "../../src/kernels/wasm/threads.js";

// Count the calls of the kernels' host side (the dispatch test below asks which path ran: both give the same bits).
const kernelCalls = vi.hoisted(() => ({ forward: 0, backward: 0 }));
vi.mock("../../src/kernels/wasm/layerNorm.js", async (importOriginal) => {
  const wasm = await importOriginal<typeof import("../../src/kernels/wasm/layerNorm.js")>();
  return {
    layerNormForwardWasm: (...args: Parameters<typeof wasm.layerNormForwardWasm>) => (kernelCalls.forward++, wasm.layerNormForwardWasm(...args)),
    layerNormBackwardWasm: (...args: Parameters<typeof wasm.layerNormBackwardWasm>) => (kernelCalls.backward++, wasm.layerNormBackwardWasm(...args)),
  };
});

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

/** The bits of each float, every NaN as one (engines differ in a NaN's sign and payload, which carry no value). */
const bits = (a: Float32Array | null) => (a ? Array.from(new Uint32Array(a.slice().buffer), (u, i) => (Number.isNaN(a[i]) ? 0x7fc00000 : u)) : null);
const normals = (n: number, seed: number, scale = 1, shift = 0) => {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => r.normal() * scale + shift);
};

describe("layer normalization kernels: WebAssembly against the reference, bit for bit", () => {
  it("rows × channels 0×4, 1×1, 1×5, 3×1, 3×7, 17×33, 257×128, 2063×97 (shifted, scaled rows), on 1, 2 and 3 threads, every gradient subset", () => {
    for (const threads of [1, 2, 3]) {
      setNumThreads(threads);
      // 2063×97: on 2 and 3 threads, in 3 chunks of rows (src/kernels/wasm/pipeline.ts), the last one short
      for (const [rows, C] of [[0, 4], [1, 1], [1, 5], [3, 1], [3, 7], [17, 33], [257, 128], [2063, 97]]) {
        const x = normals(rows * C, rows + C, 3, 10), g = normals(C, 2), b = normals(C, 3), dy = normals(rows * C, 4);
        const fast = layerNormForwardWasm(x, g, b, C, 1e-5), ref = layerNormForwardReference(x, g, b, C, 1e-5);
        const what = `${rows}×${C}, ${threads} threads`;
        expect(bits(fast.out), what).toEqual(bits(ref.out));
        expect(bits(fast.trace.sd), what).toEqual(bits(ref.trace.sd));
        expect(bits(fast.trace.centered), what).toEqual(bits(ref.trace.centered));
        for (const needs of [[true, true, true], [true, false, false], [false, true, false], [false, false, true]]) {
          const gf = layerNormBackwardWasm(dy, g, C, ref.trace, needs), gr = layerNormBackwardReference(dy, g, C, ref.trace, needs);
          expect(bits(gf.dx), `dx ${what} ${needs}`).toEqual(bits(gr.dx));
          expect(bits(gf.dScale), `dScale ${what} ${needs}`).toEqual(bits(gr.dScale));
          expect(bits(gf.dOffset), `dOffset ${what} ${needs}`).toEqual(bits(gr.dOffset));
        }
      }
    }
  });

  it("a constant row (s = √ε), NaN and ±∞ in a row: the reference's values", () => {
    setNumThreads(2);
    const C = 6, x = Float32Array.from([2, 2, 2, 2, 2, 2, 1, NaN, 3, 4, 5, 6, 1, Infinity, 3, 4, 5, 6, -1, 0, 1, 2, 3, 4]);
    const g = normals(C, 5), b = normals(C, 6), dy = normals(x.length, 7);
    const fast = layerNormForwardWasm(x, g, b, C, 1e-5), ref = layerNormForwardReference(x, g, b, C, 1e-5);
    expect(bits(fast.out)).toEqual(bits(ref.out));
    expect(bits(fast.out)!.some((u, i) => u === 0x7fc00000 && i < 12)).toBe(true); // the NaN and ∞ rows are NaN
    const gf = layerNormBackwardWasm(dy, g, C, ref.trace, [true, true, true]), gr = layerNormBackwardReference(dy, g, C, ref.trace, [true, true, true]);
    expect(bits(gf.dx)).toEqual(bits(gr.dx));
    expect(bits(gf.dScale)).toEqual(bits(gr.dScale));
  });
});

describe("the layerNorm op on a large input", () => {
  it("runs the kernels split across the threads, with the reference's bits", () => {
    setNumThreads(2);
    const rows = 512, C = 128;
    const x = new Tensor(normals(rows * C, 8), [4, rows / 4, C]), g = new Tensor(normals(C, 9), [C]), b = new Tensor(normals(C, 10), [C]);
    const w = new Tensor(normals(rows * C, 11), [4, rows / 4, C]);
    const before = parallelDispatches();
    let y: Tensor | undefined;
    const { grads } = valueAndGrad(() => ops.sum(ops.mul((y = layerNorm(x, g, b, 1e-5)), w)), [x, g, b]);
    expect(parallelDispatches() - before).toBeGreaterThanOrEqual(3); // forward, dx, dγ and dβ (the mul's own work is JS)
    const ref = layerNormForwardReference(x.data, g.data, b.data, C, 1e-5);
    const grad = layerNormBackwardReference(w.data, g.data, C, ref.trace, [true, true, true]);
    expect(bits(y!.data)).toEqual(bits(ref.out));
    expect(bits(grads[0].data)).toEqual(bits(grad.dx));
    expect(bits(grads[1].data)).toEqual(bits(grad.dScale));
    expect(bits(grads[2].data)).toEqual(bits(grad.dOffset));
  });
});

describe("the layerNorm op on small inputs", () => {
  it("runs the kernels from 128 elements (a decoding step's row [1, 1, 256] included), the reference below; the same bits", () => {
    setNumThreads(1);
    for (const [shape, kernel] of [[[1, 1, 256], true], [[2, 64], true], [[1, 127], false], [[3, 7], false]] as const) {
      const C = shape[shape.length - 1], n = shape.reduce((a: number, b: number) => a * b, 1);
      const x = new Tensor(normals(n, 12, 3, 1), shape), g = new Tensor(normals(C, 13), [C]), b = new Tensor(normals(C, 14), [C]), w = new Tensor(normals(n, 15), shape);
      const before = { ...kernelCalls };
      let y: Tensor | undefined;
      const { grads } = valueAndGrad(() => ops.sum(ops.mul((y = layerNorm(x, g, b, 1e-5)), w)), [x, g, b]);
      const what = JSON.stringify(shape);
      expect(kernelCalls.forward - before.forward, what).toBe(kernel ? 1 : 0);
      expect(kernelCalls.backward - before.backward, what).toBe(kernel ? 1 : 0);
      const ref = layerNormForwardReference(x.data, g.data, b.data, C, 1e-5);
      const grad = layerNormBackwardReference(w.data, g.data, C, ref.trace, [true, true, true]);
      expect(bits(y!.data), what).toEqual(bits(ref.out));
      expect(bits(grads[0].data), what).toEqual(bits(grad.dx));
      expect(bits(grads[1].data), what).toEqual(bits(grad.dScale));
      expect(bits(grads[2].data), what).toEqual(bits(grad.dOffset));
      // outside a trace (inference) the op keeps no trace: the kernels then copy none back, the same output bits
      expect(bits(layerNorm(x, g, b, 1e-5).data), what).toEqual(bits(ref.out));
      for (const forward of [layerNormForwardWasm, layerNormForwardReference]) {
        const bare = forward(x.data, g.data, b.data, C, 1e-5, false);
        expect(bare.trace, what).toBeNull();
        expect(bits(bare.out), what).toEqual(bits(ref.out));
      }
    }
  });
});
