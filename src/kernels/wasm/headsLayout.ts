// Host side of assembly/headsLayout.ts: a heads-last array [B, rows, heads, cols] goes into memory in one piece (a
// staging area) and the threads move its rows into the attention kernel's padded heads-first layout
// [B·heads, rowsP, colsP]; results come back the other way. Only rows move, so the bits are the input's.
import type { Layout } from "./memory.js";
import { getNumThreads, runClaimed, wakeWorkers } from "./threads.js";
import { copyFloats } from "../../util/stepPool.js";

/** Arrays below this many floats move on one thread (a worker round trip costs ~11 µs, about a 64k-float move). */
const PARALLEL_MIN = 2 ** 16;

const threadsFor = (n: number) => (n >= PARALLEL_MIN ? getNumThreads() : 1);

/** Writes src [groups / heads, rows, heads, cols] at `offset` as [groups, rowsP, colsP], zero padded, through `stage` (src.length floats). */
export function writeHeadsLast(mem: Layout, stage: number, offset: number, src: Float32Array, groups: number, heads: number, rows: number, cols: number, rowsP: number, colsP: number): void {
  wakeWorkers(threadsFor(src.length));
  mem.write(stage, src);
  runClaimed("headsLastToPadded", threadsFor(src.length), [stage, offset, heads, rows, cols, rowsP, colsP], { items: groups, minGrain: 1 });
}

/** The inverse: [groups, rowsP, colsP] at `offset` as a new [groups / heads, rows, heads, cols] array, through `stage`. */
export function readHeadsLast(mem: Layout, stage: number, offset: number, groups: number, heads: number, rows: number, cols: number, rowsP: number, colsP: number): Float32Array {
  const n = groups * rows * cols;
  runClaimed("paddedToHeadsLast", threadsFor(n), [offset, stage, heads, rows, cols, rowsP, colsP], { items: groups, minGrain: 1 });
  return copyFloats(mem.f32(stage, n));
}
