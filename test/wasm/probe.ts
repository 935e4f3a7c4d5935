// A tiny kernel the loading test (test/unit/wasm.test.ts) calls: y[i] = a·x[i] + y[i] for n floats (n any size).
import { madd } from "../../src/kernels/wasm/assembly/simd";

export function probe(a: f32, x: usize, y: usize, n: i32): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, madd(av, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, a * load<f32>(x + o) + load<f32>(y + o));
  }
}
