// Host side of the WebAssembly layer normalization (assembly/layerNorm.ts); same contracts as
// layerNormForwardReference and layerNormBackwardReference in ../layerNorm.ts, and the same bits. Threads claim
// ranges of rows (forward, dx) and of channels (dγ, dβ: each channel summed over all rows in order) as they go,
// so results are bit-identical for every thread count. On several threads the rows go in chunks (./pipeline.ts):
// this thread copies the next chunk's rows in and the previous chunk's results out while the threads compute one;
// the last chunk of dx goes out while they compute dγ and dβ.
import type { LayerNormGradients, LayerNormTrace } from "../layerNorm.js";
import { layout } from "./memory.js";
import { chunksOf, pipelined } from "./pipeline.js";
import { getNumThreads, startClaimed, wakeWorkers, type Claims } from "./threads.js";
import { allocFloats, copyFloats } from "../../util/stepPool.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;
/** On several threads, up to this many chunks of rows of at least 65536 elements (a chunk's dispatch and join cost ~20 µs). */
const CHUNKS = 8, MIN_CHUNK = 65536;

const threadsFor = (n: number) => (n >= PARALLEL_MIN ? getNumThreads() : 1);
/** Claims of the rows [first, end): at least 4096 elements' worth. */
const rowClaims = (first: number, end: number, C: number): Claims => ({ first, items: end, minGrain: Math.ceil(4096 / Math.max(1, C)) });
const rowChunks = (rows: number, C: number, threads: number) => chunksOf(rows, threads, 1, CHUNKS, Math.ceil(MIN_CHUNK / Math.max(1, C)));
const joined = () => {};

export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace?: true): { out: Float32Array; trace: LayerNormTrace };
export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace: boolean): { out: Float32Array; trace: LayerNormTrace | null };
export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace = true): { out: Float32Array; trace: LayerNormTrace | null } {
  const n = X.length, rows = C === 0 ? 0 : n / C, threads = threadsFor(n);
  wakeWorkers(threads);
  const mem = layout([n, C, C, n, rows, n]);
  const [px, pg, pb, pc, ps, po] = mem.offsets;
  mem.write(pg, G);
  mem.write(pb, Bt);
  const out = allocFloats(n), trace = keepTrace ? { centered: allocFloats(n), sd: allocFloats(rows) } : null;
  pipelined(rowChunks(rows, C, threads), (first, end) => startClaimed("layerNormForward", threads, [px, pg, pb, C, epsilon, pc, ps, po], rowClaims(first, end, C)), {
    copyIn: (first, end) => mem.write(px + first * C * 4, X.subarray(first * C, end * C)),
    copyOut: (first, end) => {
      out.set(mem.f32(po + first * C * 4, (end - first) * C), first * C);
      if (!trace) return;
      trace.centered.set(mem.f32(pc + first * C * 4, (end - first) * C), first * C);
      trace.sd.set(mem.f32(ps + first * 4, end - first), first);
    },
  });
  return { out, trace };
}

export function layerNormBackwardWasm(dy: Float32Array, G: Float32Array, C: number, trace: LayerNormTrace, needs: readonly boolean[]): LayerNormGradients {
  const n = dy.length, rows = trace.sd.length, threads = threadsFor(n);
  wakeWorkers(threads);
  const mem = layout([n, C, n, rows, n, C, C, ...Array.from({ length: threads }, () => C)]);
  const [pdy, pg, pc, ps, pdx, pdg, pdb, ...scratch] = mem.offsets;
  const copyIn = (first: number, end: number) => {
    mem.write(pdy + first * C * 4, dy.subarray(first * C, end * C));
    if (!needs[0] && !needs[1]) return;
    mem.write(pc + first * C * 4, trace.centered.subarray(first * C, end * C));
    mem.write(ps + first * 4, trace.sd.subarray(first, end));
  };
  // ranges of 16 channels (a cache line of dγ and dβ each), each summed over all rows
  const paramGrads = () => (needs[1] || needs[2]
    ? startClaimed("layerNormParamGrads", threads, [pdy, pc, ps, rows, C, needs[1] ? pdg : 0, needs[2] ? pdb : 0], { items: C, minGrain: 16, quantum: 16 })
    : joined);
  let dx: Float32Array | null = null;
  if (needs[0]) {
    mem.write(pg, G);
    const out = (dx = allocFloats(n));
    pipelined(rowChunks(rows, C, threads), (first, end) => startClaimed("layerNormBackward", threads, [pdy, pg, pc, ps, C, pdx], rowClaims(first, end, C), scratch.map((s) => [s])),
      { copyIn, copyOut: (first, end) => out.set(mem.f32(pdx + first * C * 4, (end - first) * C), first * C) }, paramGrads);
  } else {
    copyIn(0, rows);
    paramGrads()();
  }
  return {
    dx,
    dScale: needs[1] ? copyFloats(mem.f32(pdg, C)) : null,
    dOffset: needs[2] ? copyFloats(mem.f32(pdb, C)) : null,
  };
}
