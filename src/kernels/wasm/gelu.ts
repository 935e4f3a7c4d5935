// Host side of the WebAssembly GELU (assembly/gelu.ts); same contracts as geluForwardReference and
// geluBackwardReference in ../gelu.ts. The arrays are copied into linear memory and the result back; the
// threads claim ranges of elements (multiples of 16 floats, a cache line) as they go, each element computed
// alone, so results are bit-identical for every thread count.
import type { GeluForm } from "../gelu.js";
import { layout } from "./memory.js";
import { getNumThreads, runClaimed, wakeWorkers, type Claims } from "./threads.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs, ~30k GELUs' worth of time less). */
const PARALLEL_MIN = 32768;

const threadsFor = (n: number) => (n >= PARALLEL_MIN ? getNumThreads() : 1);
const claims = (n: number): Claims => ({ items: n, minGrain: 4096, quantum: 16 });
const formFlag = (form: GeluForm) => (form === "tanh" ? 1 : 0);

export function geluForwardWasm(x: Float32Array, y: Float32Array, form: GeluForm): void {
  const n = x.length;
  if (n === 0) return;
  wakeWorkers(threadsFor(n));
  const mem = layout([n, n]);
  const [px, py] = mem.offsets;
  mem.write(px, x);
  runClaimed("geluForward", threadsFor(n), [px, py, formFlag(form)], claims(n));
  y.set(mem.f32(py, n));
}

export function geluBackwardWasm(x: Float32Array, g: Float32Array, dx: Float32Array, form: GeluForm): void {
  const n = x.length;
  if (n === 0) return;
  wakeWorkers(threadsFor(n));
  const mem = layout([n, n, n]);
  const [px, pg, pdx] = mem.offsets;
  mem.write(px, x);
  mem.write(pg, g);
  runClaimed("geluBackward", threadsFor(n), [px, pg, pdx, formFlag(form)], claims(n));
  dx.set(mem.f32(pdx, n));
}
