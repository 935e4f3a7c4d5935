// Host side of the WebAssembly layer normalization (assembly/layerNorm.ts); same contracts as
// layerNormForwardReference and layerNormBackwardReference in ../layerNorm.ts, and the same bits. Threads take
// ranges of rows (forward, dx) and of channels (dγ, dβ: each channel summed over all rows in order), so
// results are bit-identical for every thread count.
import type { LayerNormGradients, LayerNormTrace } from "../layerNorm.js";
import { layout } from "./memory.js";
import { getNumThreads, runParallel, splitRange } from "./threads.js";

/** Arrays below this many elements run on one thread (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 32768;

const threadsFor = (n: number) => (n >= PARALLEL_MIN ? getNumThreads() : 1);

export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace?: true): { out: Float32Array; trace: LayerNormTrace };
export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace: boolean): { out: Float32Array; trace: LayerNormTrace | null };
export function layerNormForwardWasm(X: Float32Array, G: Float32Array, Bt: Float32Array, C: number, epsilon: number, keepTrace = true): { out: Float32Array; trace: LayerNormTrace | null } {
  const n = X.length, rows = C === 0 ? 0 : n / C;
  const mem = layout([n, C, C, n, n, rows, n]);
  const [px, pg, pb, pc, pn, ps, po] = mem.offsets;
  mem.write(px, X);
  mem.write(pg, G);
  mem.write(pb, Bt);
  runParallel("layerNormForward", splitRange(rows, threadsFor(n), 1).map(([first, end]) => [px, pg, pb, C, epsilon, pc, pn, ps, po, first, end]));
  const trace = keepTrace ? { centered: mem.f32(pc, n).slice(), normalized: mem.f32(pn, n).slice(), sd: mem.f32(ps, rows).slice() } : null;
  return { out: mem.f32(po, n).slice(), trace };
}

export function layerNormBackwardWasm(dy: Float32Array, G: Float32Array, C: number, trace: LayerNormTrace, needs: readonly boolean[]): LayerNormGradients {
  const n = dy.length, rows = trace.sd.length, threads = threadsFor(n);
  const rowRanges = splitRange(rows, threads, 1);
  const mem = layout([n, C, n, n, rows, n, C, C, ...rowRanges.map(() => C)]);
  const [pdy, pg, pc, pn, ps, pdx, pdg, pdb, ...scratch] = mem.offsets;
  mem.write(pdy, dy);
  if (needs[0]) {
    mem.write(pg, G);
    mem.write(pc, trace.centered);
    mem.write(ps, trace.sd);
    runParallel("layerNormBackward", rowRanges.map(([first, end], t) => [pdy, pg, pc, ps, C, pdx, scratch[t], first, end]));
  }
  if (needs[1] || needs[2]) {
    if (needs[1]) mem.write(pn, trace.normalized);
    // ranges of 16 channels (a cache line of dγ and dβ each)
    runParallel("layerNormParamGrads", splitRange(C, threads, 16).map(([first, end]) => [pdy, pn, rows, C, needs[1] ? pdg : 0, needs[2] ? pdb : 0, first, end]));
  }
  return {
    dx: needs[0] ? mem.f32(pdx, n).slice() : null,
    dScale: needs[1] ? mem.f32(pdg, C).slice() : null,
    dOffset: needs[2] ? mem.f32(pdb, C).slice() : null,
  };
}
