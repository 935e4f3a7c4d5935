// Host side of the WebAssembly Adam update (assembly/adam.ts); same contract and bits as adamUpdateReference in
// ../adam.ts. The four arrays are copied in, the ranges (multiples of 16 elements) split across the threads, and
// w, m and v copied back in place.
import type { AdamStep } from "../adam.js";
import { layout } from "./memory.js";
import { getNumThreads, runParallel, splitRange } from "./threads.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

export function adamUpdateWasm(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
  const n = w.length;
  if (n === 0) return;
  const mem = layout([n, n, n, n]);
  const [pw, pg, pm, pv] = mem.offsets;
  mem.write(pw, w);
  mem.write(pg, g);
  mem.write(pm, m);
  mem.write(pv, v);
  const ranges = splitRange(n, n >= PARALLEL_MIN ? getNumThreads() : 1, 16);
  runParallel("adamUpdate", ranges.map(([first, end]) => [pw, pg, pm, pv, s.b1, 1 - s.b1, s.b2, 1 - s.b2, s.lr, s.c1, s.c2, s.epsilon, first, end]));
  w.set(mem.f32(pw, n));
  m.set(mem.f32(pm, n));
  v.set(mem.f32(pv, n));
}
