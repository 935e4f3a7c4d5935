// Host side of assembly/headsLayout.ts: a heads-last array [B, rows, heads, cols] goes into memory in one piece (a
// staging area) and the threads move its rows into the attention kernel's padded heads-first layout
// [B·heads, rowsP, colsP]; results come back the other way. Only rows move, so the bits are the input's.
// Several arrays go through two staging areas in turn (./pipeline.ts, one array a chunk): while the threads move one
// array's rows, this thread copies the next array into the other area (or the previous one out of it).
import type { Layout } from "./memory.js";
import { pipelined } from "./pipeline.js";
import { getNumThreads, runClaimed, startClaimed, wakeWorkers } from "./threads.js";
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

/** Where a heads-last array [groups / heads, rows, heads, cols] goes in the padded layout: [groups, rowsP, colsP] at `offset`. */
export interface HeadsLastPlace { offset: number; groups: number; heads: number; rows: number; cols: number; rowsP: number; colsP: number }

/** The kernels' arguments (source, destination, shape) of moving `a` in from `stage` (toPadded) or out to it. */
const moveArgs = (stage: number, a: HeadsLastPlace, toPadded: boolean) => [...(toPadded ? [stage, a.offset] : [a.offset, stage]), a.heads, a.rows, a.cols, a.rowsP, a.colsP];
const eachOf = (n: number) => Array.from({ length: n }, (_, i) => [i, i + 1] as const);

/** writeHeadsLast for each array in turn, through the two staging areas `stages` (each as large as the largest array). */
export function writeHeadsLastAll(mem: Layout, stages: readonly [number, number], arrays: readonly (HeadsLastPlace & { src: Float32Array })[]): void {
  wakeWorkers(threadsFor(Math.max(0, ...arrays.map((a) => a.src.length))));
  pipelined(eachOf(arrays.length), (i) => startClaimed("headsLastToPadded", threadsFor(arrays[i].src.length), moveArgs(stages[i % 2], arrays[i], true), { items: arrays[i].groups, minGrain: 1 }), {
    copyIn: (i) => mem.write(stages[i % 2], arrays[i].src),
    copyOut: () => {},
  });
}

/** readHeadsLast for each array in turn, through the two staging areas `stages`: new arrays, in order. */
export function readHeadsLastAll(mem: Layout, stages: readonly [number, number], arrays: readonly HeadsLastPlace[]): Float32Array[] {
  const out: Float32Array[] = [];
  const floats = (a: HeadsLastPlace) => a.groups * a.rows * a.cols;
  pipelined(eachOf(arrays.length), (i) => startClaimed("paddedToHeadsLast", threadsFor(floats(arrays[i])), moveArgs(stages[i % 2], arrays[i], false), { items: arrays[i].groups, minGrain: 1 }), {
    copyIn: () => {},
    copyOut: (i) => void out.push(copyFloats(mem.f32(stages[i % 2], floats(arrays[i])))),
  });
  return out;
}
