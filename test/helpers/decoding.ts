// Helpers of the incremental-decoding tests: every split of a sequence, and feeding a decoder the pieces of one.
import { expect } from "vitest";
import { Tensor, type Decoder } from "../../src/index.js";

/** Every way to cut T positions into consecutive non-empty pieces (2^(T−1) of them), as piece lengths. */
export function compositions(T: number): number[][] {
  const all: number[][] = [];
  for (let cuts = 0; cuts < 2 ** (T - 1); cuts++) {
    const pieces: number[] = [];
    let start = 0;
    for (let t = 1; t <= T; t++) if (t === T || cuts & (1 << (t - 1))) { pieces.push(t - start); start = t; }
    all.push(pieces);
  }
  return all;
}

/** Feeds `pieces` of a [T, …] sequence to a new decoder and returns the outputs' data, concatenated. */
export function decodeInPieces(decoder: Decoder, x: Tensor, pieces: readonly number[]): Float32Array {
  const out: number[] = [];
  let t = 0;
  for (const n of pieces) {
    const piece = new Tensor(x.data.slice(t * (x.size / x.shape[0]), (t + n) * (x.size / x.shape[0])), [n, ...x.shape.slice(1)]);
    const y = decoder.next(piece) as Tensor;
    expect(y.shape[0]).toBe(n);
    out.push(...y.data);
    t += n;
  }
  expect(decoder.position).toBe(x.shape[0]);
  return Float32Array.from(out);
}
