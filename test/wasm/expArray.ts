// exp4 over an array, for the tests of the kernels' vectorized exp (test/unit/wasmAttention.test.ts).
import { exp4 } from "../../src/kernels/wasm/assembly/exp";

/** y[i] = e^x[i] for n floats (n a multiple of 4). */
export function expArray(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, exp4(v128.load(x + o)));
  }
}
