// The WebAssembly module loads, picks a variant this engine accepts, and runs a kernel on memory the
// host laid out; odd lengths exercise the vector body and the scalar tail.
import { describe, expect, it } from "vitest";
import { ready } from "../../src/index.js";
import { isReady, wasmKernels } from "../../src/kernels/wasm/loader.js";
import { layout } from "../../src/kernels/wasm/memory.js";
import { wasmBinaries } from "../../src/kernels/wasm/binaries.generated.js";
import { testKernels } from "../helpers/testKernels.js";

describe("WebAssembly kernels: loading", () => {
  it("ready() resolves and the variant matches what the engine validates", async () => {
    await ready();
    expect(isReady()).toBe(true);
    const { variant } = wasmKernels();
    // relaxed SIMD exactly where this engine validates the relaxed build (Node 20 without the flag: not)
    expect(variant.startsWith("relaxed")).toBe(WebAssembly.validate(Buffer.from(wasmBinaries.relaxed, "base64")));
    expect(variant.endsWith("-shared")).toBe(typeof SharedArrayBuffer !== "undefined");
  });

  for (const n of [0, 1, 3, 4, 17, 1000]) {
    it(`the probe kernel computes y = a·x + y for n = ${n}`, () => {
      const x = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 3);
      const y = Float32Array.from({ length: n }, (_, i) => 1 / (i + 1));
      const mem = layout([n, n]);
      const [px, py] = mem.offsets;
      mem.write(px, x);
      mem.write(py, y);
      testKernels().probe(1.5, px, py, n);
      const got = mem.f32(py, n);
      for (let i = 0; i < n; i++) expect(got[i]).toBe(Math.fround(Math.fround(1.5 * x[i]) + y[i]));
    });
  }

  it("grows the memory for large layouts", () => {
    const n = 5_000_000; // 20 MB
    const mem = layout([n, n]);
    mem.write(mem.offsets[0] + (n - 1) * 4, [3]);
    mem.write(mem.offsets[1] + (n - 1) * 4, [7]);
    testKernels().probe(2, mem.offsets[0], mem.offsets[1], n); // the last element, past the first 16 MB: y = 2·3 + 7
    expect(mem.f32(mem.offsets[1], n)[n - 1]).toBe(13);
  });
});
