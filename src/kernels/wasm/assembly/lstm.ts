// The LSTM recurrence forward and backward through time (math in ../../lstm.ts, whose plain-JS loops are
// the references; row lengths (i32 per row) and direction as in ../../recurrence.ts). Each is one call for all steps; the module's gemm runs single-threaded inside it (its
// summation order is fixed, so results do not depend on the thread count).
//   forward: per step one GEMM h_{t−1}·Rᵀ for all four gates of all rows, then the gates and the cell
//     update, vectorized. Arrays (byte offsets): p [B, T, 4H] = x·Wᵀ, r [4H, H], bias [4H]; outputs h,
//     cells, hPrev, cPrev [B, T, H] and the activated gates [B, T, 4H] (zeros at padded steps); hCur, cCur
//     [B, H] hold h0, c0 on entry and the final states on return; scratch z [B, 4H] and gemmWork.
//   backward: per step the gate gradients dz_t of all rows, vectorized, then one GEMM dz_t·R carries dh to
//     step t − 1; at the end dR = dPᵀ·h_{t−1} (one GEMM over all B·T rows) and db = Σ rows of dP.
//     dhNext, dcNext [B, H] hold dhLast, dcLast on entry and dh0, dc0 on return.
import { gemm } from "./gemm";
import { sigmoid1, sigmoidv, tanh1, tanhv } from "./activations";
import { ONE, lanes, setLanes, somePadding, stepTime, sumRows } from "./lanes";

export function lstmForward(
  p: usize, r: usize, bias: usize, lengths: usize, B: i32, T: i32, H: i32, reverse: bool,
  h: usize, gates: usize, cells: usize, hPrev: usize, cPrev: usize,
  hCur: usize, cCur: usize, z: usize, gemmWork: usize,
): void {
  const G = 4 * H, stateBytes = <usize>(B * T * H) << 2;
  if (somePadding(lengths, B, T)) {
    memory.fill(h, 0, stateBytes);
    memory.fill(cells, 0, stateBytes);
    memory.fill(hPrev, 0, stateBytes);
    memory.fill(cPrev, 0, stateBytes);
    memory.fill(gates, 0, <usize>(B * T * G) << 2);
  }
  for (let k = 0; k < T; k++) {
    gemm(hCur, false, r, true, z, B, H, G, false, 0, B, 0, G, gemmWork); // [B, H]·[4H, H]ᵀ
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse);
      if (t < 0) continue;
      const row = b * T + t;
      const zr = z + (<usize>(b * G) << 2), pr = p + (<usize>(row * G) << 2), gr = gates + (<usize>(row * G) << 2);
      // gates: i, f, o = σ(z + p + b), g = tanh(z + p + b)
      for (let k = 0; k < 4; k++) {
        let j = k * H;
        const end = j + H;
        for (; j + 4 <= end; j += 4) {
          const o = <usize>j << 2;
          const v = f32x4.add(f32x4.add(v128.load(zr + o), v128.load(pr + o)), v128.load(bias + o));
          v128.store(gr + o, k == 2 ? tanhv(v) : sigmoidv(v));
        }
        for (; j < end; j++) {
          const o = <usize>j << 2;
          const v = load<f32>(zr + o) + load<f32>(pr + o) + load<f32>(bias + o);
          store<f32>(gr + o, k == 2 ? tanh1(v) : sigmoid1(v));
        }
      }
      // c = f∘c + i∘g;  h = o∘tanh(c)
      const hr = <usize>(row * H) << 2, br = <usize>(b * H) << 2;
      const gi = gr, gf = gr + (<usize>H << 2), gg = gr + (<usize>(2 * H) << 2), go = gr + (<usize>(3 * H) << 2);
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        v128.store(hPrev + hr + o, v128.load(hCur + br + o));
        const cOld = v128.load(cCur + br + o);
        v128.store(cPrev + hr + o, cOld);
        const c = f32x4.add(f32x4.mul(v128.load(gf + o), cOld), f32x4.mul(v128.load(gi + o), v128.load(gg + o)));
        v128.store(cCur + br + o, c);
        v128.store(cells + hr + o, c);
        const hv = f32x4.mul(v128.load(go + o), tanhv(c));
        v128.store(hCur + br + o, hv);
        v128.store(h + hr + o, hv);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        store<f32>(hPrev + hr + o, load<f32>(hCur + br + o));
        const cOld = load<f32>(cCur + br + o);
        store<f32>(cPrev + hr + o, cOld);
        const c = load<f32>(gf + o) * cOld + load<f32>(gi + o) * load<f32>(gg + o);
        store<f32>(cCur + br + o, c);
        store<f32>(cells + hr + o, c);
        const hv = load<f32>(go + o) * tanh1(c);
        store<f32>(hCur + br + o, hv);
        store<f32>(h + hr + o, hv);
      }
    }
  }
}

/**
 * dP [B, T, 4H], dR [4H, H] and db [4H] from dh [B, T, H] (the gradient reaching each h_t from outside) and
 * the forward's trace (gates, cells, hPrev, cPrev). dhNext, dcNext [B, H]: dh and dc carried from step
 * t + 1 to t (dhLast, dcLast on entry; dh0, dc0 on return). Scratch: dz [B, 4H] (step t's rows, contiguous
 * for the GEMM; zeros for rows past their length) and gemmWork.
 */
export function lstmBackward(
  dh: usize, r: usize, gates: usize, cells: usize, hPrev: usize, cPrev: usize, lengths: usize, B: i32, T: i32, H: i32, reverse: bool,
  dp: usize, dr: usize, db: usize,
  dhNext: usize, dcNext: usize, dz: usize, gemmWork: usize,
): void {
  const G = 4 * H, N = B * T;
  if (somePadding(lengths, B, T)) memory.fill(dp, 0, <usize>(N * G) << 2);
  for (let k = T - 1; k >= 0; k--) {
    for (let b = 0; b < B; b++) {
      const t = stepTime(lengths, b, k, reverse), zr = dz + (<usize>(b * G) << 2);
      if (t < 0) { memory.fill(zr, 0, <usize>G << 2); continue; }
      const row = b * T + t;
      const gr = gates + (<usize>(row * G) << 2), cr = cells + (<usize>(row * H) << 2), cpr = cPrev + (<usize>(row * H) << 2), dhr = dh + (<usize>(row * H) << 2);
      const br = <usize>(b * H) << 2;
      let j = 0;
      for (; j + 4 <= H; j += 4) gateGradients(gr, cr, cpr, dhr, dhNext + br, dcNext + br, zr, H, j, true);
      for (; j < H; j++) gateGradients(gr, cr, cpr, dhr, dhNext + br, dcNext + br, zr, H, j, false);
      memory.copy(dp + (<usize>(row * G) << 2), zr, <usize>G << 2); // dP[b, t] = dz_t[b]
    }
    gemm(dz, false, r, false, dhNext, B, G, H, true, 0, B, 0, H, gemmWork); // dh_{t−1} += dz_t [B, 4H]·R [4H, H]
  }
  gemm(dp, true, hPrev, false, dr, G, N, H, false, 0, G, 0, H, gemmWork); // dPᵀ [4H, B·T]·h_{t−1} [B·T, H]
  sumRows(dp, N, G, G, db);
}

/**
 * Units j … j+3 (vector) or unit j alone (lane 0 of a splat) of one row at step t; gates, cell, cPrev, dh:
 * that row's [4H], [H], [H], [H] at step t; dhNext, dcNext: the row's carried dh and dc; dz: the row's [4H]
 * result. tc = tanh(c_t) is recomputed by the forward's own tanh (the same bits the forward used for h_t):
 *   dh = dh_t + dhNext;  dc = dcNext + dh∘o∘(1 − tc²);  dcNext ← dc∘f;  dhNext ← 0 (the GEMM adds dz·R)
 *   dz = (dc∘g∘i(1−i), dc∘c_{t−1}∘f(1−f), dc∘i∘(1−g²), dh∘tc∘o(1−o))
 */
// @ts-ignore: decorator
@inline function gateGradients(
  gates: usize, cell: usize, cPrevRow: usize, dh: usize, dhNext: usize, dcNext: usize, dz: usize,
  H: i32, j: i32, vector: bool,
): void {
  const o = <usize>j << 2, gate = <usize>H << 2; // byte offsets of unit j and of one gate's block
  const one = v128.load(ONE);
  const i = lanes(gates + o, vector), f = lanes(gates + gate + o, vector);
  const g = lanes(gates + 2 * gate + o, vector), og = lanes(gates + 3 * gate + o, vector);
  const tc = tanhv(lanes(cell + o, vector));
  const cPrev = lanes(cPrevRow + o, vector);
  const dhj = f32x4.add(lanes(dh + o, vector), lanes(dhNext + o, vector));
  const dc = f32x4.add(lanes(dcNext + o, vector), f32x4.mul(f32x4.mul(dhj, og), f32x4.sub(one, f32x4.mul(tc, tc))));
  setLanes(dcNext + o, f32x4.mul(dc, f), vector);
  setLanes(dhNext + o, f32x4.splat(0), vector);
  setLanes(dz + o, f32x4.mul(f32x4.mul(f32x4.mul(dc, g), i), f32x4.sub(one, i)), vector);
  setLanes(dz + gate + o, f32x4.mul(f32x4.mul(f32x4.mul(dc, cPrev), f), f32x4.sub(one, f)), vector);
  setLanes(dz + 2 * gate + o, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), vector);
  setLanes(dz + 3 * gate + o, f32x4.mul(f32x4.mul(f32x4.mul(dhj, tc), og), f32x4.sub(one, og)), vector);
}
