// Host side of the WebAssembly cross-entropy on logits (assembly/crossentropy.ts); same contracts as
// crossentropyLogitsLseReference and crossentropyLogitsGradReference in ../crossentropy.ts. Threads claim ranges
// of counted rows as they go, each row computed alone, so results are bit-identical for every thread count.
import { layout, type Layout } from "./memory.js";
import { getNumThreads, runClaimed, wakeWorkers, type Claims } from "./threads.js";
import { copyFloats } from "../../util/stepPool.js";

/** Problems below this many logits run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

const threadsFor = (rows: number, K: number) => (rows * K >= PARALLEL_MIN ? getNumThreads() : 1);
/** Claims of at least 4096 logits' rows. */
const claims = (rows: number, K: number): Claims => ({ items: rows, minGrain: Math.ceil(4096 / Math.max(1, K)) });

/** Lays out z, the rows (i32), the classes (i32) and lse (f64: two floats each). */
function place(z: Float32Array, rows: Int32Array, classes: Int32Array | null, extra: number[], K: number): Layout {
  wakeWorkers(threadsFor(rows.length, K));
  const mem = layout([z.length, rows.length, classes?.length ?? 0, 2 * rows.length, ...extra]);
  const [pz, pr, pc] = mem.offsets;
  mem.write(pz, z);
  new Int32Array(mem.f32(pr, rows.length).buffer, pr, rows.length).set(rows);
  if (classes) new Int32Array(mem.f32(pc, classes.length).buffer, pc, classes.length).set(classes);
  return mem;
}

export function crossentropyLogitsLseWasm(z: Float32Array, rows: Int32Array, K: number): Float64Array {
  if (rows.length === 0) return new Float64Array(0);
  const mem = place(z, rows, null, [], K);
  const [pz, pr, , pl] = mem.offsets;
  runClaimed("crossentropyLogitsForward", threadsFor(rows.length, K), [pz, pr, K, pl], claims(rows.length, K));
  return new Float64Array(mem.f32(pl, 0).buffer, pl, rows.length).slice();
}

export function crossentropyLogitsGradWasm(z: Float32Array, rows: Int32Array, classes: Int32Array, K: number, lse: Float64Array, scale: number): Float32Array {
  const mem = place(z, rows, classes, [z.length], K);
  const [pz, pr, pc, pl, pdz] = mem.offsets;
  new Float64Array(mem.f32(pl, 0).buffer, pl, lse.length).set(lse);
  const dz = mem.f32(pdz, z.length);
  if (rows.length * K < z.length) dz.fill(0); // rows not counted (padded steps) get exactly 0
  runClaimed("crossentropyLogitsBackward", threadsFor(rows.length, K), [pz, pr, pc, K, pl, scale, pdz], claims(rows.length, K));
  return copyFloats(dz);
}
