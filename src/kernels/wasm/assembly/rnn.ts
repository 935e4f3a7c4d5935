// The basic recurrence h' = tanh(P_t + b + R h) forward and backward through time (math in ../../rnn.ts,
// whose plain-JS loops are the references; row lengths and direction as in ../../recurrence.ts). Each is
// one call for all steps, one GEMM per step for all rows, the element-wise work vectorized.
//   forward: p [B, T, H], r [H, H], bias [H], lengths (i32 per row); hCur [B, H] holds h0 on entry and
//     the final states on return; outputs h, hPrev [B, T, H] (zeros at padded steps); scratch a [B, H].
//   backward: carry [B, H] holds dhLast on entry and dh0 on return; outputs dp [B, T, H], dr [H, H],
//     db [H]; scratch da [B, H].
import { gemm } from "./gemm";
import { tanhv } from "./activations";
import { ONE, lanes, setLanes, somePadding, stepTime, sumRows } from "./lanes";

export function rnnForward(
  p: usize, r: usize, bias: usize, lengths: usize, B: i32, T: i32, H: i32, reverse: bool,
  h: usize, hPrev: usize, hCur: usize, a: usize, gemmWork: usize,
): void {
  const bytes = <usize>(B * T * H) << 2;
  if (somePadding(lengths, B, T)) {
    memory.fill(h, 0, bytes);
    memory.fill(hPrev, 0, bytes);
  }
  for (let k = 0; k < T; k++) {
    gemm(hCur, false, r, true, a, B, H, H, false, 0, B, 0, H, gemmWork); // h [B, H]·Rᵀ
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse);
      if (t < 0) continue;
      const ho = <usize>((b * T + t) * H) << 2, bo = <usize>(b * H) << 2;
      let j = 0;
      for (; j + 4 <= H; j += 4) rnnUnit(p + ho, bias, a + bo, hCur + bo, h + ho, hPrev + ho, j, true);
      for (; j < H; j++) rnnUnit(p + ho, bias, a + bo, hCur + bo, h + ho, hPrev + ho, j, false);
    }
  }
}

// @ts-ignore: decorator
@inline function rnnUnit(p: usize, bias: usize, a: usize, hCur: usize, h: usize, hPrev: usize, j: i32, vector: bool): void {
  const o = <usize>j << 2;
  setLanes(hPrev + o, lanes(hCur + o, vector), vector);
  const y = tanhv(f32x4.add(f32x4.add(lanes(p + o, vector), lanes(bias + o, vector)), lanes(a + o, vector)));
  setLanes(h + o, y, vector);
  setLanes(hCur + o, y, vector);
}

export function rnnBackward(
  dh: usize, carry: usize, r: usize, h: usize, hPrev: usize, lengths: usize, B: i32, T: i32, H: i32, reverse: bool,
  dp: usize, dr: usize, db: usize, da: usize, gemmWork: usize,
): void {
  const N = B * T;
  if (somePadding(lengths, B, T)) memory.fill(dp, 0, <usize>(N * H) << 2);
  for (let k = T - 1; k >= 0; k--) {
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse), bo = <usize>(b * H) << 2;
      if (t < 0) { memory.fill(da + bo, 0, <usize>H << 2); continue; }
      const ho = <usize>((b * T + t) * H) << 2;
      let j = 0;
      for (; j + 4 <= H; j += 4) rnnDelta(dh + ho, h + ho, carry + bo, dp + ho, da + bo, j, true);
      for (; j < H; j++) rnnDelta(dh + ho, h + ho, carry + bo, dp + ho, da + bo, j, false);
    }
    gemm(da, false, r, false, carry, B, H, H, true, 0, B, 0, H, gemmWork); // carry += da [B, H]·R [H, H]
  }
  gemm(dp, true, hPrev, false, dr, H, N, H, false, 0, H, 0, H, gemmWork); // dPᵀ [H, B·T]·h_prev
  sumRows(dp, N, H, H, db);
}

/** da = (dh + carry)(1 − h²) into dP and the step's da; the carry is cleared for the GEMM to refill. */
// @ts-ignore: decorator
@inline function rnnDelta(dh: usize, h: usize, carry: usize, dp: usize, da: usize, j: i32, vector: bool): void {
  const o = <usize>j << 2;
  const y = lanes(h + o, vector);
  const d = f32x4.mul(f32x4.add(lanes(dh + o, vector), lanes(carry + o, vector)), f32x4.sub(v128.load(ONE), f32x4.mul(y, y)));
  setLanes(dp + o, d, vector);
  setLanes(da + o, d, vector);
  setLanes(carry + o, f32x4.splat(0), vector);
}
