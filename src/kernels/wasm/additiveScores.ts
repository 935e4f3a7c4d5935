// Host side of the WebAssembly additive scores (assembly/additiveScores.ts); same contracts as the references in
// ../additiveScores.ts. The forward splits the (l, m) rows over the threads, the backward the l rows (each owns
// dK₁[l], dQ₂[l] and its dw partial, summed here in l order), so results are the same for every thread count.
import type { AdditiveScoresProblem } from "../additiveScores.js";
import { layout } from "./memory.js";
import { getNumThreads, runParallel, splitRange } from "./threads.js";

/** Below this many tanh evaluations one thread runs (a worker round trip costs ~11 µs). */
const PARALLEL_MIN = 65536;

const parts = (work: number) => (work >= PARALLEL_MIN ? getNumThreads() : 1);

export function additiveScoresForwardWasm(p: AdditiveScoresProblem, K1: Float32Array, Q2: Float32Array, w: Float32Array, S: Float32Array): void {
  const { L, M, N, a } = p;
  if (L * M * N === 0) return;
  const mem = layout([K1.length, Q2.length, a, S.length]);
  const [pk, pq, pw, ps] = mem.offsets;
  mem.write(pk, K1);
  mem.write(pq, Q2);
  mem.write(pw, w);
  runParallel("additiveScoresForward", splitRange(L * M, parts(L * M * N * a), 1).map(([first, end]) => [pk, pq, pw, ps, M, N, a, first, end]));
  S.set(mem.f32(ps, S.length));
}

export function additiveScoresBackwardWasm(
  p: AdditiveScoresProblem, K1: Float32Array, Q2: Float32Array, w: Float32Array, dS: Float32Array, dK1: Float32Array, dQ2: Float32Array, dw: Float32Array,
): void {
  const { L, M, N, a } = p;
  dK1.fill(0); dQ2.fill(0); dw.fill(0);
  if (L * M * N === 0) return;
  const mem = layout([K1.length, Q2.length, a, dS.length, K1.length, Q2.length, L * a]);
  const [pk, pq, pw, pds, pdk, pdq, pdw] = mem.offsets;
  mem.write(pk, K1);
  mem.write(pq, Q2);
  mem.write(pw, w);
  mem.write(pds, dS);
  runParallel("additiveScoresBackward", splitRange(L, parts(L * M * N * a), 1).map(([first, end]) => [pk, pq, pw, pds, pdk, pdq, pdw, M, N, a, first, end]));
  dK1.set(mem.f32(pdk, dK1.length));
  dQ2.set(mem.f32(pdq, dQ2.length));
  const rows = mem.f32(pdw, L * a);
  for (let l = 0; l < L; l++) for (let j = 0; j < a; j++) dw[j] += rows[l * a + j];
}
