// Host side of the WebAssembly layer normalization (assembly/layerNorm.ts); same contracts as
// layerNormForwardReference and layerNormBackwardReference in ../layerNorm.ts, and the same bits. Threads claim
// ranges of rows (forward, dx) and of channels (dγ, dβ: each channel summed over all rows in order) as they go,
// so results are bit-identical for every thread count.
import type { LayerNormGradients, LayerNormTrace } from "../layerNorm.js";
import { layout } from "./memory.js";
import { getNumThreads, runClaimed, wakeWorkers, type Claims } from "./threads.js";
import { copyFloats } from "../../util/stepPool.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

const threadsFor = (n: number) => (n >= PARALLEL_MIN ? getNumThreads() : 1);
/** Claims of rows: at least 4096 elements' worth. */
const rowClaims = (rows: number, C: number): Claims => ({ items: rows, minGrain: Math.ceil(4096 / Math.max(1, C)) });

export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace?: true): { out: Float32Array; trace: LayerNormTrace };
export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace: boolean): { out: Float32Array; trace: LayerNormTrace | null };
export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace = true): { out: Float32Array; trace: LayerNormTrace | null } {
  const n = X.length, rows = C === 0 ? 0 : n / C;
  wakeWorkers(threadsFor(n));
  const mem = layout([n, C, C, n, rows, n]);
  const [px, pg, pb, pc, ps, po] = mem.offsets;
  mem.write(px, X);
  mem.write(pg, G);
  mem.write(pb, Bt);
  runClaimed("layerNormForward", threadsFor(n), [px, pg, pb, C, epsilon, pc, ps, po], rowClaims(rows, C));
  const trace = keepTrace ? { centered: copyFloats(mem.f32(pc, n)), sd: copyFloats(mem.f32(ps, rows)) } : null;
  return { out: copyFloats(mem.f32(po, n)), trace };
}

export function layerNormBackwardWasm(dy: Float32Array, G: Float32Array, C: number, trace: LayerNormTrace, needs: readonly boolean[]): LayerNormGradients {
  const n = dy.length, rows = trace.sd.length, threads = threadsFor(n);
  wakeWorkers(threads);
  const mem = layout([n, C, n, rows, n, C, C, ...Array.from({ length: threads }, () => C)]);
  const [pdy, pg, pc, ps, pdx, pdg, pdb, ...scratch] = mem.offsets;
  mem.write(pdy, dy);
  if (needs[0] || needs[1]) {
    mem.write(pc, trace.centered);
    mem.write(ps, trace.sd);
  }
  if (needs[0]) {
    mem.write(pg, G);
    runClaimed("layerNormBackward", threads, [pdy, pg, pc, ps, C, pdx], rowClaims(rows, C), scratch.map((s) => [s]));
  }
  if (needs[1] || needs[2]) {
    // ranges of 16 channels (a cache line of dγ and dβ each)
    runClaimed("layerNormParamGrads", threads, [pdy, pc, ps, rows, C, needs[1] ? pdg : 0, needs[2] ? pdb : 0], { items: C, minGrain: 16, quantum: 16 });
  }
  return {
    dx: needs[0] ? copyFloats(mem.f32(pdx, n)) : null,
    dScale: needs[1] ? copyFloats(mem.f32(pdg, C)) : null,
    dOffset: needs[2] ? copyFloats(mem.f32(pdb, C)) : null,
  };
}
