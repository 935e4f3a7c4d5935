// Host side of the bias gradient's column sums (assembly/bias.ts; the forward bias rides on the matrix product,
// gemmBiasWasm in ./gemm.ts). Same contract and bits as columnSumsReference in ../bias.ts: threads claim ranges of
// columns (multiples of 4) as they go, each column summed over all rows in order, so every thread count gives the same bits.
import { layout, type Layout } from "./memory.js";
import { getNumThreads, runClaimed } from "./threads.js";
import { copyFloats } from "../../util/stepPool.js";

/** Matrices below this many elements run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

export function columnSumsWasm(g: Float32Array, m: number, n: number): Float32Array {
  const mem = layout([m * n, n]);
  const [pg, pout] = mem.offsets;
  mem.write(pg, g.subarray(0, m * n));
  return columnSumsAt(mem, pg, pout, m, n);
}

/** The column sums of G [m×n] already in memory at `pg`, written at `pout` and returned as a new array. */
export function columnSumsAt(mem: Layout, pg: number, pout: number, m: number, n: number): Float32Array {
  // claims of at least 16 columns (a cache line of each row)
  runClaimed("columnSums", m * n >= PARALLEL_MIN ? getNumThreads() : 1, [pg, pout, m, n], { items: n, minGrain: 16, quantum: 4 });
  return copyFloats(mem.f32(pout, n));
}
