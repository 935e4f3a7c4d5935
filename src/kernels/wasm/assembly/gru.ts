// The GRU recurrence forward and backward through time (math in ../../gru.ts, whose plain-JS loops are
// the references; row lengths and direction as in ../../recurrence.ts). Each is one call for all steps,
// the gates vectorized. With the reset gate after the product (v = h) one GEMM per step serves all three
// gates: forward z = h·Rᵀ [B, 3H] (u = its last H columns), backward carry += [da_r, da_z, du]·R. Before
// it (v = r∘h, which needs r first) a step takes two: h·R_{rz}ᵀ then v·R_nᵀ, and backward du·R_n then
// [da_r, da_z]·R_{rz}.
//   forward: p [B, T, 3H], r [3H, H], bx, bh [3H], lengths (i32 per row); hCur [B, H] holds h0 on entry
//     and the final states on return; outputs h, hPrev, q [B, T, H] and gates [B, T, 3H] (zeros at padded
//     steps); scratch z [B, 3H], v, u [B, H].
//   backward: carry [B, H] holds dhLast on entry and dh0 on return; outputs dp [B, T, 3H], dU [B, T, H]
//     (the gradient of u = R_n v), dr [3H, H], dbx, dbh [3H]; scratch du, dv [B, H], dz [B, 3H],
//     v [B, T, H] (r∘h_prev, before-multiplication only).
import { gemm } from "./gemm";
import { sigmoidv, tanhv } from "./activations";
import { ONE, lanes, setLanes, somePadding, stepTime, sumRows } from "./lanes";

export function gruForward(
  p: usize, r: usize, bx: usize, bh: usize, lengths: usize, B: i32, T: i32, H: i32, reverse: bool, resetAfter: bool,
  h: usize, gates: usize, hPrev: usize, q: usize,
  hCur: usize, z: usize, v: usize, u: usize, gemmWork: usize,
): void {
  const G = 3 * H, N = B * T, stateBytes = <usize>(N * H) << 2;
  const zCols = resetAfter ? G : 2 * H; // z = h·Rᵀ: all three gates (after) or r, z only (before), row stride G
  const padded = somePadding(lengths, B, T);
  if (padded) {
    memory.fill(h, 0, stateBytes);
    memory.fill(hPrev, 0, stateBytes);
    memory.fill(gates, 0, <usize>(N * G) << 2);
  }
  if (padded || !resetAfter) memory.fill(q, 0, stateBytes); // q is written by the after-multiplication modes only
  const rn = r + (<usize>(2 * H * H) << 2); // R_n, rows 2H … 3H of R
  for (let k = 0; k < T; k++) {
    gemm(hCur, false, r, true, z, B, H, G, false, 0, B, 0, zCols, gemmWork); // h [B, H]·Rᵀ, columns 0 … zCols
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse), bo = <usize>(b * H) << 2;
      if (t < 0) { memory.copy(v + bo, hCur + bo, <usize>H << 2); continue; }
      const go = <usize>((b * T + t) * G) << 2, zo = <usize>(b * G) << 2;
      let j = 0;
      for (; j + 4 <= H; j += 4) resetAndUpdate(p + go, bx, bh, z + zo, hCur + bo, gates + go, v + bo, H, j, resetAfter, true);
      for (; j < H; j++) resetAndUpdate(p + go, bx, bh, z + zo, hCur + bo, gates + go, v + bo, H, j, resetAfter, false);
    }
    if (!resetAfter) gemm(v, false, rn, true, u, B, H, H, false, 0, B, 0, H, gemmWork); // v = r∘h [B, H]·R_nᵀ
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse), bo = <usize>(b * H) << 2;
      if (t < 0) continue;
      const go = <usize>((b * T + t) * G) << 2, ho = <usize>((b * T + t) * H) << 2;
      const ub = resetAfter ? z + (<usize>(b * G + 2 * H) << 2) : u + bo; // the row's R_n v
      let j = 0;
      for (; j + 4 <= H; j += 4) candidateAndState(p + go, bx, bh, ub, hCur + bo, gates + go, h + ho, hPrev + ho, q + ho, H, j, resetAfter, true);
      for (; j < H; j++) candidateAndState(p + go, bx, bh, ub, hCur + bo, gates + go, h + ho, hPrev + ho, q + ho, H, j, resetAfter, false);
    }
  }
}

/** r = σ(P_r + bx_r + (R_r h) + bh_r), z likewise; v = h (after) or r∘h (before). p, gates: the row's [3H]. */
// @ts-ignore: decorator
@inline function resetAndUpdate(p: usize, bx: usize, bh: usize, zrz: usize, hc: usize, gates: usize, v: usize, H: i32, j: i32, resetAfter: bool, vector: bool): void {
  const o = <usize>j << 2, gate = <usize>H << 2;
  const rg = sigmoidv(f32x4.add(f32x4.add(f32x4.add(lanes(p + o, vector), lanes(bx + o, vector)), lanes(zrz + o, vector)), lanes(bh + o, vector)));
  const a = gate + o;
  const zg = sigmoidv(f32x4.add(f32x4.add(f32x4.add(lanes(p + a, vector), lanes(bx + a, vector)), lanes(zrz + a, vector)), lanes(bh + a, vector)));
  setLanes(gates + o, rg, vector);
  setLanes(gates + a, zg, vector);
  const hp = lanes(hc + o, vector);
  setLanes(v + o, resetAfter ? hp : f32x4.mul(rg, hp), vector);
}

/** n = tanh(P_n + bx_n + r∘(u + bh_n)) (after) or tanh(P_n + bx_n + u) (before); h' = (1 − z) n + z h. */
// @ts-ignore: decorator
@inline function candidateAndState(p: usize, bx: usize, bh: usize, u: usize, hc: usize, gates: usize, h: usize, hPrev: usize, q: usize, H: i32, j: i32, resetAfter: bool, vector: bool): void {
  const o = <usize>j << 2, gate = <usize>H << 2, a = 2 * gate + o;
  const rg = lanes(gates + o, vector), zg = lanes(gates + gate + o, vector), hp = lanes(hc + o, vector), uu = lanes(u + o, vector);
  const qv = f32x4.add(uu, lanes(bh + a, vector));
  const n = tanhv(f32x4.add(f32x4.add(lanes(p + a, vector), lanes(bx + a, vector)), resetAfter ? f32x4.mul(rg, qv) : uu));
  setLanes(gates + a, n, vector);
  if (resetAfter) setLanes(q + o, qv, vector);
  setLanes(hPrev + o, hp, vector);
  const hn = f32x4.add(f32x4.mul(f32x4.sub(v128.load(ONE), zg), n), f32x4.mul(zg, hp));
  setLanes(h + o, hn, vector);
  setLanes(hc + o, hn, vector);
}

export function gruBackward(
  dh: usize, carry: usize, r: usize, gates: usize, hPrev: usize, q: usize, lengths: usize, B: i32, T: i32, H: i32, reverse: bool, resetAfter: bool,
  dp: usize, dU: usize, dr: usize, dbx: usize, dbh: usize,
  du: usize, dv: usize, dz: usize, v: usize, gemmWork: usize,
): void {
  const G = 3 * H, N = B * T;
  const zCols = resetAfter ? G : 2 * H; // dz rows: [da_r, da_z, du] (after) or [da_r, da_z] (before)
  if (somePadding(lengths, B, T)) {
    memory.fill(dp, 0, <usize>(N * G) << 2);
    memory.fill(dU, 0, <usize>(N * H) << 2);
  }
  const rn = r + (<usize>(2 * H * H) << 2);
  for (let k = T - 1; k >= 0; k--) {
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse), bo = <usize>(b * H) << 2, zo = <usize>(b * zCols) << 2;
      if (t < 0) { memory.fill(dz + zo, 0, <usize>zCols << 2); memory.fill(du + bo, 0, <usize>H << 2); continue; }
      const go = <usize>((b * T + t) * G) << 2, ho = <usize>((b * T + t) * H) << 2;
      const dub = resetAfter ? dz + zo + (<usize>(2 * H) << 2) : du + bo; // the row's du
      let j = 0;
      for (; j + 4 <= H; j += 4) candidateDelta(dh + ho, carry + bo, gates + go, hPrev + ho, dp + go, dU + ho, dub, H, j, resetAfter, true);
      for (; j < H; j++) candidateDelta(dh + ho, carry + bo, gates + go, hPrev + ho, dp + go, dU + ho, dub, H, j, resetAfter, false);
    }
    if (!resetAfter) gemm(du, false, rn, false, dv, B, H, H, false, 0, B, 0, H, gemmWork); // dv = du [B, H]·R_n [H, H]
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse), bo = <usize>(b * H) << 2, zo = <usize>(b * zCols) << 2;
      if (t < 0) continue;
      const go = <usize>((b * T + t) * G) << 2, ho = <usize>((b * T + t) * H) << 2;
      let j = 0;
      for (; j + 4 <= H; j += 4) resetDelta(gates + go, hPrev + ho, q + ho, dp + go, dv + bo, carry + bo, H, j, resetAfter, true);
      for (; j < H; j++) resetDelta(gates + go, hPrev + ho, q + ho, dp + go, dv + bo, carry + bo, H, j, resetAfter, false);
      memory.copy(dz + zo, dp + go, <usize>(2 * H) << 2);
    }
    gemm(dz, false, r, false, carry, B, zCols, H, true, 0, B, 0, H, gemmWork); // carry += dz [B, zCols]·R[0 … zCols]
  }
  gemm(dp, true, hPrev, false, dr, G, N, H, false, 0, G, 0, H, gemmWork); // dPᵀ·h_prev (its R_n rows are replaced next)
  let vs = hPrev;
  if (!resetAfter) { // v = r ∘ h_prev
    for (let n = 0; n < N; n++) {
      const go = <usize>(n * G) << 2, ho = <usize>(n * H) << 2;
      let j = 0;
      for (; j + 4 <= H; j += 4) { const o = <usize>j << 2; v128.store(v + ho + o, f32x4.mul(v128.load(gates + go + o), v128.load(hPrev + ho + o))); }
      for (; j < H; j++) { const o = <usize>j << 2; store<f32>(v + ho + o, load<f32>(gates + go + o) * load<f32>(hPrev + ho + o)); }
    }
    vs = v;
  }
  gemm(dU, true, vs, false, dr + (<usize>(2 * H * H) << 2), H, N, H, false, 0, H, 0, H, gemmWork); // dR_n = dUᵀ·v
  sumRows(dp, N, G, G, dbx);
  sumRows(dp, N, G, 2 * H, dbh);
  sumRows(dU, N, H, H, dbh + (<usize>(2 * H) << 2));
}

/** dh = dh_t + carry; da_z, da_n into dP; du (the step's and dU's); carry ← dh∘z (the direct path). */
// @ts-ignore: decorator
@inline function candidateDelta(dh: usize, carry: usize, gates: usize, hPrev: usize, dp: usize, dU: usize, du: usize, H: i32, j: i32, resetAfter: bool, vector: bool): void {
  const o = <usize>j << 2, gate = <usize>H << 2, one = v128.load(ONE);
  const rg = lanes(gates + o, vector), zg = lanes(gates + gate + o, vector), n = lanes(gates + 2 * gate + o, vector), hp = lanes(hPrev + o, vector);
  const dhj = f32x4.add(lanes(dh + o, vector), lanes(carry + o, vector));
  const dan = f32x4.mul(f32x4.mul(dhj, f32x4.sub(one, zg)), f32x4.sub(one, f32x4.mul(n, n)));
  setLanes(dp + gate + o, f32x4.mul(f32x4.mul(f32x4.mul(dhj, f32x4.sub(hp, n)), zg), f32x4.sub(one, zg)), vector);
  setLanes(dp + 2 * gate + o, dan, vector);
  const d = resetAfter ? f32x4.mul(dan, rg) : dan;
  setLanes(du + o, d, vector);
  setLanes(dU + o, d, vector);
  setLanes(carry + o, f32x4.mul(dhj, zg), vector);
}

/** dr = da_n∘q (after) or dv∘h_prev (before); da_r into dP; before: carry += dv∘r (after: the GEMM adds du·R_n). */
// @ts-ignore: decorator
@inline function resetDelta(gates: usize, hPrev: usize, q: usize, dp: usize, dv: usize, carry: usize, H: i32, j: i32, resetAfter: bool, vector: bool): void {
  const o = <usize>j << 2, gate = <usize>H << 2;
  const rg = lanes(gates + o, vector);
  if (resetAfter) {
    const dr = f32x4.mul(lanes(dp + 2 * gate + o, vector), lanes(q + o, vector));
    setLanes(dp + o, f32x4.mul(f32x4.mul(dr, rg), f32x4.sub(v128.load(ONE), rg)), vector);
  } else {
    const dvj = lanes(dv + o, vector);
    setLanes(dp + o, f32x4.mul(f32x4.mul(f32x4.mul(dvj, lanes(hPrev + o, vector)), rg), f32x4.sub(v128.load(ONE), rg)), vector);
    setLanes(carry + o, f32x4.add(lanes(carry + o, vector), f32x4.mul(dvj, rg)), vector);
  }
}
