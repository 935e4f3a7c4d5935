// Host side of the WebAssembly GELU (assembly/gelu.ts); same contracts as geluForwardReference and
// geluBackwardReference in ../gelu.ts. The arrays are copied into linear memory and the result back; the
// threads claim ranges of elements (multiples of 16 floats, a cache line) as they go, each element computed
// alone, so results are bit-identical for every thread count. On several threads the arrays go in chunks
// (./pipeline.ts): this thread copies the next chunk in and the previous one out while the threads compute one.
import type { GeluForm } from "../gelu.js";
import { layout } from "./memory.js";
import { chunksOf, pipelined } from "./pipeline.js";
import { getNumThreads, startClaimed, wakeWorkers } from "./threads.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs, ~30k GELUs' worth of time less). */
const PARALLEL_MIN = 32768;
/** On several threads, up to this many chunks of at least 32768 elements. */
const CHUNKS = 8, MIN_CHUNK = 32768;

const threadsFor = (n: number) => (n >= PARALLEL_MIN ? getNumThreads() : 1);
const formFlag = (form: GeluForm) => (form === "tanh" ? 1 : 0);
const chunks = (n: number, threads: number) => chunksOf(n, threads, 16, CHUNKS, MIN_CHUNK);
/** Starts the kernel on the elements [first, end) (claims of at least 4096 elements, on cache lines). */
const start = (kernel: "geluForward" | "geluBackward", threads: number, args: number[]) => (first: number, end: number) =>
  startClaimed(kernel, threads, args, { first, items: end, minGrain: 4096, quantum: 16 });

export function geluForwardWasm(x: Float32Array, y: Float32Array, form: GeluForm): void {
  const n = x.length, threads = threadsFor(n);
  if (n === 0) return;
  wakeWorkers(threads);
  const mem = layout([n, n]);
  const [px, py] = mem.offsets;
  pipelined(chunks(n, threads), start("geluForward", threads, [px, py, formFlag(form)]), {
    copyIn: (first, end) => mem.write(px + first * 4, x.subarray(first, end)),
    copyOut: (first, end) => y.set(mem.f32(py + first * 4, end - first), first),
  });
}

export function geluBackwardWasm(x: Float32Array, g: Float32Array, dx: Float32Array, form: GeluForm): void {
  const n = x.length, threads = threadsFor(n);
  if (n === 0) return;
  wakeWorkers(threads);
  const mem = layout([n, n, n]);
  const [px, pg, pdx] = mem.offsets;
  pipelined(chunks(n, threads), start("geluBackward", threads, [px, pg, pdx, formFlag(form)]), {
    copyIn: (first, end) => {
      mem.write(px + first * 4, x.subarray(first, end));
      mem.write(pg + first * 4, g.subarray(first, end));
    },
    copyOut: (first, end) => dx.set(mem.f32(pdx + first * 4, end - first), first),
  });
}
