// Host side of the WebAssembly cross-entropy on logits (assembly/crossentropy.ts); same contracts as
// crossentropyLogitsLseReference and crossentropyLogitsGradReference in ../crossentropy.ts. Threads take ranges
// of counted rows, each row computed alone, so results are bit-identical for every thread count.
import { layout, type Layout } from "./memory.js";
import { getNumThreads, runParallel, splitRange } from "./threads.js";
import { copyFloats } from "../../util/stepPool.js";

/** Problems below this many logits run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

const ranges = (rows: number, K: number) => splitRange(rows, rows * K >= PARALLEL_MIN ? getNumThreads() : 1, 1);

/** Lays out z, the rows (i32), the classes (i32) and lse (f64: two floats each). */
function place(z: Float32Array, rows: Int32Array, classes: Int32Array | null, extra: number[]): Layout {
  const mem = layout([z.length, rows.length, classes?.length ?? 0, 2 * rows.length, ...extra]);
  const [pz, pr, pc] = mem.offsets;
  mem.write(pz, z);
  new Int32Array(mem.f32(pr, rows.length).buffer, pr, rows.length).set(rows);
  if (classes) new Int32Array(mem.f32(pc, classes.length).buffer, pc, classes.length).set(classes);
  return mem;
}

export function crossentropyLogitsLseWasm(z: Float32Array, rows: Int32Array, K: number): Float64Array {
  if (rows.length === 0) return new Float64Array(0);
  const mem = place(z, rows, null, []);
  const [pz, pr, , pl] = mem.offsets;
  runParallel("crossentropyLogitsForward", ranges(rows.length, K).map(([first, end]) => [pz, pr, K, pl, first, end]));
  return new Float64Array(mem.f32(pl, 0).buffer, pl, rows.length).slice();
}

export function crossentropyLogitsGradWasm(z: Float32Array, rows: Int32Array, classes: Int32Array, K: number, lse: Float64Array, scale: number): Float32Array {
  const mem = place(z, rows, classes, [z.length]);
  const [pz, pr, pc, pl, pdz] = mem.offsets;
  new Float64Array(mem.f32(pl, 0).buffer, pl, lse.length).set(lse);
  const dz = mem.f32(pdz, z.length);
  if (rows.length * K < z.length) dz.fill(0); // rows not counted (padded steps) get exactly 0
  runParallel("crossentropyLogitsBackward", ranges(rows.length, K).map(([first, end]) => [pz, pr, pc, K, pl, scale, pdz, first, end]));
  return copyFloats(dz);
}
