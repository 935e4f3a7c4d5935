// Host side of the WebAssembly Adam update (assembly/adam.ts); same contract and bits as adamUpdateReference in
// ../adam.ts. The four arrays are copied in, the threads claim ranges (multiples of 16 elements) as they go, and
// w, m and v are copied back in place.
import type { AdamStep } from "../adam.js";
import { layout } from "./memory.js";
import { getNumThreads, runClaimed, wakeWorkers } from "./threads.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

export function adamUpdateWasm(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
  const n = w.length;
  if (n === 0) return;
  const threads = n >= PARALLEL_MIN ? getNumThreads() : 1;
  wakeWorkers(threads);
  const mem = layout([n, n, n, n]);
  const [pw, pg, pm, pv] = mem.offsets;
  mem.write(pw, w);
  mem.write(pg, g);
  mem.write(pm, m);
  mem.write(pv, v);
  runClaimed("adamUpdate", threads, [pw, pg, pm, pv, s.b1, 1 - s.b1, s.b2, 1 - s.b2, s.lr, s.c1, s.c2, s.epsilon], { items: n, minGrain: 4096, quantum: 16 });
  w.set(mem.f32(pw, n));
  m.set(mem.f32(pm, n));
  v.set(mem.f32(pv, n));
}
