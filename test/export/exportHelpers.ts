// Shared by the export tests: padded batches from lists of sequences, and the largest difference
// between a batched result and net.predict on each sequence alone (valid steps only).
import { Random, Tensor } from "../../src/index.js";

export function randomSequences(lengths: readonly number[], channels: number, seed: number, integers?: number): Tensor[] {
  const r = new Random(seed);
  return lengths.map((L) => new Tensor(Float32Array.from({ length: L * channels }, () => (integers ? Math.floor(r.uniform() * integers) : r.normal())), [L, channels]));
}

/** [B, T, C] zero-padded data and the [B, T] 1/0 mask. */
export function padded(sequences: readonly Tensor[]): { x: Float32Array; mask: Float32Array; B: number; T: number; C: number } {
  const B = sequences.length, T = Math.max(...sequences.map((s) => s.shape[0])), C = sequences[0].shape[1];
  const x = new Float32Array(B * T * C), mask = new Float32Array(B * T);
  sequences.forEach((s, b) => {
    x.set(s.data, b * T * C);
    mask.fill(1, b * T, b * T + s.shape[0]);
  });
  return { x, mask, B, T, C };
}

/**
 * max |batched − expected| where batched is [B, T, K] (per-step outputs: rows cut to each length) or
 * [B, K] (one vector per sequence), and expected[b] is predict's result for sequence b.
 */
export function maxDifference(batched: ArrayLike<number>, dims: readonly number[], expected: readonly Tensor[]): number {
  let max = 0;
  const perRow = dims.slice(1).reduce((p, d) => p * d, 1);
  expected.forEach((e, b) => {
    if (e.size > perRow) throw new Error(`expected row ${b} has ${e.size} values, the batch row only ${perRow}`);
    for (let i = 0; i < e.size; i++) {
      const d = Math.abs(batched[b * perRow + i] - e.data[i]);
      if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
    }
  });
  return max;
}
