// Helpers the recurrent kernels (lstm.ts, gru.ts, rnn.ts) share: a vector loop's lanes and its scalar
// tail in one code path, a row's time index at a step (../../recurrence.ts), and row sums.

export const ONE = memory.data<f32>([1, 1, 1, 1], 16); // a row in memory, not a v128.const (see ./exp.ts)

/** Four floats at p, or the one float at p in every lane (a loop's scalar tail). */
// @ts-ignore: decorator
@inline export function lanes(p: usize, vector: bool): v128 {
  return vector ? v128.load(p) : f32x4.splat(load<f32>(p));
}

/** Stores four lanes at p, or lane 0 alone. */
// @ts-ignore: decorator
@inline export function setLanes(p: usize, v: v128, vector: bool): void {
  if (vector) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/** The time index row b visits at step k (lengths: i32 per row), or −1 past the row's length. */
// @ts-ignore: decorator
@inline export function stepTime(lengths: usize, b: i32, k: i32, reverse: bool): i32 {
  const L = load<i32>(lengths + (<usize>b << 2));
  if (k >= L) return -1;
  return reverse ? L - 1 - k : k;
}

/** True when some row is shorter than T (its padded steps must be zero-filled; otherwise every step is written). */
export function somePadding(lengths: usize, B: i32, T: i32): bool {
  for (let b = 0; b < B; b++) if (load<i32>(lengths + (<usize>b << 2)) < T) return true;
  return false;
}

/** dst[0:width] = Σ over n rows of src[n·stride + 0:width], rows in order (as the references sum them). */
export function sumRows(src: usize, rows: i32, stride: i32, width: i32, dst: usize): void {
  memory.fill(dst, 0, <usize>width << 2);
  for (let n = 0; n < rows; n++) {
    const row = src + (<usize>(n * stride) << 2);
    let j = 0;
    for (; j + 4 <= width; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(row + o)));
    }
    for (; j < width; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(row + o));
    }
  }
}
