// Additive (Bahdanau) scores on f32x4, forward and backward, without the pair tensor (see ../../additiveScores.ts):
//   s[l,m,n] = Σ_j w_j·tanh(K₁[l,n,j] + Q₂[l,m,j])
//   backward, with t = tanh(K₁[l,n,j] + Q₂[l,m,j]) recomputed and u = dS[l,m,n]·w_j·(1 − t²):
//   dK₁[l,n,j] = Σ_m u,  dQ₂[l,m,j] = Σ_n u,  dw_j = Σ_{l,m,n} dS[l,m,n]·t  (kept per l in dwRows[l], summed by the host)
// K₁ [L, N, a], Q₂ [L, M, a], w [a], S and dS [L, M, N]; arrays are byte offsets of floats.
import { tanhv } from "./activations";
import { lanes, setLanes, ONE } from "./lanes";

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** S rows r = l·M + m for r in [first, end). */
export function additiveScoresForward(K1: usize, Q2: usize, w: usize, S: usize, M: i32, N: i32, a: i32, first: i32, end: i32): void {
  for (let r = first; r < end; r++) {
    const l = r / M;
    const q = Q2 + (<usize>(r * a) << 2), keys = K1 + (<usize>(l * N * a) << 2);
    for (let n = 0; n < N; n++) {
      const k = keys + (<usize>(n * a) << 2);
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= a; j += 4) {
        const o = <usize>j << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(w + o), tanhv(f32x4.add(v128.load(k + o), v128.load(q + o)))));
      }
      let s = hsum(acc);
      for (; j < a; j++) {
        const o = <usize>j << 2;
        s += f32x4.extract_lane(f32x4.mul(lanes(w + o, false), tanhv(f32x4.add(lanes(k + o, false), lanes(q + o, false)))), 0);
      }
      store<f32>(S + (<usize>(r * N + n) << 2), s);
    }
  }
}

/** One lane group (4 lanes, or lane 0 alone) of the backward at pair (k, q) with gradient g: updates dk, dq, dw. */
// @ts-ignore: decorator
@inline function pairLanes(k: usize, q: usize, w: usize, g: v128, dk: usize, dq: usize, dw: usize, vector: bool): void {
  const t = tanhv(f32x4.add(lanes(k, vector), lanes(q, vector)));
  const u = f32x4.mul(f32x4.mul(g, lanes(w, vector)), f32x4.sub(v128.load(ONE), f32x4.mul(t, t)));
  setLanes(dk, f32x4.add(lanes(dk, vector), u), vector);
  setLanes(dq, f32x4.add(lanes(dq, vector), u), vector);
  setLanes(dw, f32x4.add(lanes(dw, vector), f32x4.mul(g, t)), vector);
}

/** dK₁[l], dQ₂[l] and dwRows[l] (a floats) for l in [first, end), each written whole. */
export function additiveScoresBackward(K1: usize, Q2: usize, w: usize, dS: usize, dK1: usize, dQ2: usize, dwRows: usize, M: i32, N: i32, a: i32, first: i32, end: i32): void {
  for (let l = first; l < end; l++) {
    const keys = K1 + (<usize>(l * N * a) << 2), dkeys = dK1 + (<usize>(l * N * a) << 2), dw = dwRows + (<usize>(l * a) << 2);
    memory.fill(dkeys, 0, <usize>(N * a) << 2);
    memory.fill(dw, 0, <usize>a << 2);
    for (let m = 0; m < M; m++) {
      const r = l * M + m;
      const q = Q2 + (<usize>(r * a) << 2), dq = dQ2 + (<usize>(r * a) << 2);
      memory.fill(dq, 0, <usize>a << 2);
      for (let n = 0; n < N; n++) {
        const gs = load<f32>(dS + (<usize>(r * N + n) << 2));
        if (gs == 0) continue; // a pair without gradient adds nothing (as in the reference)
        const g = f32x4.splat(gs), k = keys + (<usize>(n * a) << 2), dk = dkeys + (<usize>(n * a) << 2);
        let j = 0;
        for (; j + 4 <= a; j += 4) {
          const o = <usize>j << 2;
          pairLanes(k + o, q + o, w + o, g, dk + o, dq + o, dw + o, true);
        }
        for (; j < a; j++) {
          const o = <usize>j << 2;
          pairLanes(k + o, q + o, w + o, g, dk + o, dq + o, dw + o, false);
        }
      }
    }
  }
}
