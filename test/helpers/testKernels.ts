// The test-only WebAssembly exports (test/wasm/: probe, expArray), built by the global setup into
// test/.build/ in the library's variants and instantiated here on the library's own memory, so arrays
// laid out by layout() (src/kernels/wasm/memory.ts) serve them, growth included.
import { readFileSync } from "node:fs";
import { wasmKernels } from "../../src/kernels/wasm/loader.js";

export interface TestKernelExports {
  /** y[i] = a·x[i] + y[i] for n floats (byte offsets x, y) */
  probe(a: number, x: number, y: number, n: number): void;
  /** y[i] = e^x[i] by the kernels' exp4, for n floats (n a multiple of 4) */
  expArray(x: number, y: number, n: number): void;
}

let cached: { memory: WebAssembly.Memory; exports: TestKernelExports } | null = null;

export function testKernels(): TestKernelExports {
  const { variant, memory } = wasmKernels();
  if (cached?.memory !== memory) {
    const bytes = readFileSync(new URL(`../.build/${variant}.wasm`, import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    cached = { memory, exports: instance.exports as unknown as TestKernelExports };
  }
  return cached.exports;
}
