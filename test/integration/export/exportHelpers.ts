// Shared by the export tests: padded batches from lists of sequences, and the largest difference
// between a batched result and net.predict on each sequence alone (valid steps only).
import { Random, Tensor, type NetGraph } from "../../../src/index.js";
import type { ExportCase } from "./exportNets.js";

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
  const rowShape = dims.slice(1);
  const perRow = rowShape.reduce((p, d) => p * d, 1);
  expected.forEach((e, b) => {
    // e is one sequence's result: the padded batch row cut to its own lengths along any axis ([T, C], or
    // scores [H, T, T]); leading axes the row has and e lacks (a single-sequence squeeze) count as size 1
    const shape = [...new Array(Math.max(0, rowShape.length - e.rank)).fill(1), ...e.shape];
    if (shape.length !== rowShape.length || shape.some((d, a) => d > rowShape[a])) {
      throw new Error(`expected row ${b} of shape [${e.shape.join(", ")}] does not fit the batch row [${rowShape.join(", ")}]`);
    }
    for (let i = 0; i < e.size; i++) {
      let rest = i, at = 0, stride = 1;
      for (let a = shape.length - 1; a >= 0; a--) {
        at += (rest % shape[a]) * stride;
        rest = Math.floor(rest / shape[a]);
        stride *= rowShape[a];
      }
      const d = Math.abs(batched[b * perRow + at] - e.data[i]);
      if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
    }
  });
  return max;
}

/**
 * max |batched − net.predict| for output `name` ("" or the only one): predict on each sequence alone, or, for
 * a net whose two inputs are { input, mask } (no sequence lengths), predict on the whole padded batch.
 */
export function differenceFromPredict(batched: ArrayLike<number>, dims: readonly number[], net: NetGraph, c: ExportCase, sequences: Tensor[], name: string): number {
  const pick = (e: Tensor | Record<string, Tensor>) => (e instanceof Tensor ? e : e[name]);
  if (!c.twoInputs) return maxDifference(batched, dims, (net.predict(sequences) as (Tensor | Record<string, Tensor>)[]).map(pick));
  const { x, mask, B, T, C } = padded(sequences);
  const whole = pick(net.predict({ input: new Tensor(x, [B, T, C]), mask: new Tensor(mask, [B, T]) }) as Tensor | Record<string, Tensor>);
  return maxDifference(batched, [1, ...whole.shape], [whole]);
}
