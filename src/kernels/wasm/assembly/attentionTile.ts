// The small matrix products of the attention kernels, on tiles already in linear memory:
//   C[m, n] (+)= Σ_k A[m, k]·B[k, n],  m < M (a multiple of 4), n < N (a multiple of 4), k < K
// A is read one element at a time (broadcast to four lanes) at a + 4·(m·am + k·ak), so the same routine
// multiplies by A or by Aᵀ; B and C are row-major with leading dimensions ldb and ldc (in floats).
// Every C element is its own lane summed over k in order from 0 (or from its old value), whatever the
// tile position: the backward recomputes the forward's scores bit for bit by calling the same routine.
import { madd } from "./simd";

/** C = A·B (accumulate = false) or C += A·B, with 4×8 register tiles (a 4×4 tile for the last columns); M = 1: one row (decoding's single query). */
// @ts-ignore: decorator
@inline export function tileProduct(M: i32, N: i32, K: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  const aRow = (<usize>am) << 2, aStep = (<usize>ak) << 2, bStep = (<usize>ldb) << 2, cRow = (<usize>ldc) << 2;
  if (M == 1) { oneRowProduct(N, K, a, aStep, b, bStep, c, accumulate); return; }
  for (let m = 0; m < M; m += 4) {
    const a0 = a + (<usize>m) * aRow, c0 = c + (<usize>m) * cRow;
    let n = 0;
    for (; n + 8 <= N; n += 8) tile4x8(K, a0, aRow, aStep, b + ((<usize>n) << 2), bStep, c0 + ((<usize>n) << 2), cRow, accumulate);
    if (n < N) tile4x4(K, a0, aRow, aStep, b + ((<usize>n) << 2), bStep, c0 + ((<usize>n) << 2), cRow, accumulate);
  }
}

// @ts-ignore: decorator
@inline function tile4x8(K: i32, a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, cRow: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + cRow); c11 = v128.load(c + cRow, 16);
    c20 = v128.load(c + 2 * cRow); c21 = v128.load(c + 2 * cRow, 16);
    c30 = v128.load(c + 3 * cRow); c31 = v128.load(c + 3 * cRow, 16);
  }
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const x0 = v128.load32_splat(a), x1 = v128.load32_splat(a + aRow);
    const x2 = v128.load32_splat(a + 2 * aRow), x3 = v128.load32_splat(a + 3 * aRow);
    c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
    c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
    c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
    c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
    a += aStep; b += bStep;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + cRow, c10); v128.store(c + cRow, c11, 16);
  v128.store(c + 2 * cRow, c20); v128.store(c + 2 * cRow, c21, 16);
  v128.store(c + 3 * cRow, c30); v128.store(c + 3 * cRow, c31, 16);
}

// @ts-ignore: decorator
@inline function tile4x4(K: i32, a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, cRow: usize, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  if (accumulate) {
    c0 = v128.load(c); c1 = v128.load(c + cRow); c2 = v128.load(c + 2 * cRow); c3 = v128.load(c + 3 * cRow);
  }
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(b);
    c0 = madd(v128.load32_splat(a), b0, c0);
    c1 = madd(v128.load32_splat(a + aRow), b0, c1);
    c2 = madd(v128.load32_splat(a + 2 * aRow), b0, c2);
    c3 = madd(v128.load32_splat(a + 3 * aRow), b0, c3);
    a += aStep; b += bStep;
  }
  v128.store(c, c0); v128.store(c + cRow, c1); v128.store(c + 2 * cRow, c2); v128.store(c + 3 * cRow, c3);
}

/**
 * Row 0 of tileProduct (the same lanes, the same order), without the three rows a 4-row tile would add. Each lane
 * is one chain of madds over k; 32 columns (eight chains) go at once, so the chains' latencies overlap (one chain
 * alone waits on each madd: decoding's P·V ran at a quarter of the speed).
 */
function oneRowProduct(N: i32, K: i32, a: usize, aStep: usize, b: usize, bStep: usize, c: usize, accumulate: bool): void {
  let n = 0;
  for (; n + 32 <= N; n += 32) {
    const cp = c + ((<usize>n) << 2);
    const z = f32x4.splat(0);
    let c0 = accumulate ? v128.load(cp) : z, c1 = accumulate ? v128.load(cp, 16) : z, c2 = accumulate ? v128.load(cp, 32) : z, c3 = accumulate ? v128.load(cp, 48) : z;
    let c4 = accumulate ? v128.load(cp, 64) : z, c5 = accumulate ? v128.load(cp, 80) : z, c6 = accumulate ? v128.load(cp, 96) : z, c7 = accumulate ? v128.load(cp, 112) : z;
    let ap = a, bp = b + ((<usize>n) << 2);
    for (let k = 0; k < K; k++) {
      const x = v128.load32_splat(ap);
      c0 = madd(x, v128.load(bp), c0); c1 = madd(x, v128.load(bp, 16), c1); c2 = madd(x, v128.load(bp, 32), c2); c3 = madd(x, v128.load(bp, 48), c3);
      c4 = madd(x, v128.load(bp, 64), c4); c5 = madd(x, v128.load(bp, 80), c5); c6 = madd(x, v128.load(bp, 96), c6); c7 = madd(x, v128.load(bp, 112), c7);
      ap += aStep; bp += bStep;
    }
    v128.store(cp, c0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
    v128.store(cp, c4, 64); v128.store(cp, c5, 80); v128.store(cp, c6, 96); v128.store(cp, c7, 112);
  }
  for (; n < N; n += 8) {
    const wide = n + 8 <= N, cp = c + ((<usize>n) << 2);
    let c0 = accumulate ? v128.load(cp) : f32x4.splat(0), c1 = accumulate && wide ? v128.load(cp, 16) : f32x4.splat(0);
    let ap = a, bp = b + ((<usize>n) << 2);
    for (let k = 0; k < K; k++) {
      const x = v128.load32_splat(ap);
      c0 = madd(x, v128.load(bp), c0);
      if (wide) c1 = madd(x, v128.load(bp, 16), c1);
      ap += aStep; bp += bStep;
    }
    v128.store(cp, c0);
    if (wide) v128.store(cp, c1, 16);
  }
}

/**
 * The same product for inputs that hold NaN or ±∞ somewhere: terms whose A element is exactly 0 are
 * skipped (selection, not multiplication, as the reference kernel does), so a blocked key's NaN value
 * times its zero weight never reaches C. Same summation order as tileProduct.
 */
export function tileProductSkippingZeros(M: i32, N: i32, K: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  for (let m = 0; m < M; m++) {
    const cm = c + (<usize>(m * ldc) << 2);
    if (!accumulate) memory.fill(cm, 0, (<usize>N) << 2);
    for (let k = 0; k < K; k++) {
      const x = load<f32>(a + (<usize>(m * am + k * ak) << 2));
      if (x == 0) continue;
      const xv = f32x4.splat(x), bk = b + (<usize>(k * ldb) << 2);
      for (let n = 0; n < N; n += 4) {
        const o = (<usize>n) << 2;
        v128.store(cm + o, madd(xv, v128.load(bk + o), v128.load(cm + o)));
      }
    }
  }
}

/**
 * C [M, N] (ld ldc) = A·Kᵀ for A row-major [M, ·] (row stride lda) and K row-major [N, ·] (row stride ldk),
 * over the first K columns of both, M and N multiples of 4. Each lane runs the very sequence tileProduct runs
 * on K packed transposed (c = madd(a_k, key_k, c) for k = 0 … K − 1, from c = 0), so the scores come out bit
 * for bit as from packed keys; the keys are transposed 4×4 in registers instead, which spares a call that
 * reads each key once (decoding) a packing pass over all of them.
 */
export function rowsTimesKeyRows(M: i32, N: i32, K: i32, a: usize, lda: i32, k: usize, ldk: i32, c: usize, ldc: i32): void {
  const aRow = (<usize>lda) << 2, kRow = (<usize>ldk) << 2, cRow = (<usize>ldc) << 2;
  if (M == 1) { oneRowTimesKeyRows(N, K, a, k, kRow, c); return; }
  for (let m = 0; m < M; m += 4) {
    const a0 = a + (<usize>m) * aRow;
    for (let n = 0; n < N; n += 4) {
      const k0 = k + (<usize>n) * kRow;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let d = 0; d < K; d += 4) {
        const o = (<usize>d) << 2;
        const r0 = v128.load(k0 + o), r1 = v128.load(k0 + kRow + o), r2 = v128.load(k0 + 2 * kRow + o), r3 = v128.load(k0 + 3 * kRow + o);
        const u0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const u2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        const left = K - d; // columns d … d + 3 of the four keys, as four lanes each
        const ap = a0 + o;
        let t = v128.shuffle<f32>(u0, u1, 0, 1, 4, 5);
        c0 = madd(v128.load32_splat(ap), t, c0); c1 = madd(v128.load32_splat(ap + aRow), t, c1);
        c2 = madd(v128.load32_splat(ap + 2 * aRow), t, c2); c3 = madd(v128.load32_splat(ap + 3 * aRow), t, c3);
        if (left < 2) break;
        t = v128.shuffle<f32>(u0, u1, 2, 3, 6, 7);
        c0 = madd(v128.load32_splat(ap + 4), t, c0); c1 = madd(v128.load32_splat(ap + aRow + 4), t, c1);
        c2 = madd(v128.load32_splat(ap + 2 * aRow + 4), t, c2); c3 = madd(v128.load32_splat(ap + 3 * aRow + 4), t, c3);
        if (left < 3) break;
        t = v128.shuffle<f32>(u2, u3, 0, 1, 4, 5);
        c0 = madd(v128.load32_splat(ap + 8), t, c0); c1 = madd(v128.load32_splat(ap + aRow + 8), t, c1);
        c2 = madd(v128.load32_splat(ap + 2 * aRow + 8), t, c2); c3 = madd(v128.load32_splat(ap + 3 * aRow + 8), t, c3);
        if (left < 4) break;
        t = v128.shuffle<f32>(u2, u3, 2, 3, 6, 7);
        c0 = madd(v128.load32_splat(ap + 12), t, c0); c1 = madd(v128.load32_splat(ap + aRow + 12), t, c1);
        c2 = madd(v128.load32_splat(ap + 2 * aRow + 12), t, c2); c3 = madd(v128.load32_splat(ap + 3 * aRow + 12), t, c3);
      }
      const cp = c + (<usize>m) * cRow + ((<usize>n) << 2);
      v128.store(cp, c0); v128.store(cp + cRow, c1); v128.store(cp + 2 * cRow, c2); v128.store(cp + 3 * cRow, c3);
    }
  }
}

/**
 * Row 0 of rowsTimesKeyRows (the same transposes, lanes and order) for M = 1: decoding's single query. Eight keys
 * (two chains of madds over d) go at once, so the chains' latencies overlap.
 */
function oneRowTimesKeyRows(N: i32, K: i32, a: usize, k: usize, kRow: usize, c: usize): void {
  let n = 0;
  for (; n + 8 <= N; n += 8) {
    const k0 = k + (<usize>n) * kRow, k1 = k0 + 4 * kRow;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    for (let d = 0; d < K; d += 4) {
      const o = (<usize>d) << 2;
      const r0 = v128.load(k0 + o), r1 = v128.load(k0 + kRow + o), r2 = v128.load(k0 + 2 * kRow + o), r3 = v128.load(k0 + 3 * kRow + o);
      const s0 = v128.load(k1 + o), s1 = v128.load(k1 + kRow + o), s2 = v128.load(k1 + 2 * kRow + o), s3 = v128.load(k1 + 3 * kRow + o);
      const u0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const u2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const w0 = v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), w1 = v128.shuffle<f32>(s2, s3, 0, 4, 1, 5);
      const w2 = v128.shuffle<f32>(s0, s1, 2, 6, 3, 7), w3 = v128.shuffle<f32>(s2, s3, 2, 6, 3, 7);
      const left = K - d, ap = a + o;
      let x = v128.load32_splat(ap);
      c0 = madd(x, v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), c0); c1 = madd(x, v128.shuffle<f32>(w0, w1, 0, 1, 4, 5), c1);
      if (left < 2) break;
      x = v128.load32_splat(ap + 4);
      c0 = madd(x, v128.shuffle<f32>(u0, u1, 2, 3, 6, 7), c0); c1 = madd(x, v128.shuffle<f32>(w0, w1, 2, 3, 6, 7), c1);
      if (left < 3) break;
      x = v128.load32_splat(ap + 8);
      c0 = madd(x, v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), c0); c1 = madd(x, v128.shuffle<f32>(w2, w3, 0, 1, 4, 5), c1);
      if (left < 4) break;
      x = v128.load32_splat(ap + 12);
      c0 = madd(x, v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), c0); c1 = madd(x, v128.shuffle<f32>(w2, w3, 2, 3, 6, 7), c1);
    }
    v128.store(c + ((<usize>n) << 2), c0);
    v128.store(c + ((<usize>n + 4) << 2), c1);
  }
  for (; n < N; n += 4) {
    const k0 = k + (<usize>n) * kRow;
    let c0 = f32x4.splat(0);
    for (let d = 0; d < K; d += 4) {
      const o = (<usize>d) << 2;
      const r0 = v128.load(k0 + o), r1 = v128.load(k0 + kRow + o), r2 = v128.load(k0 + 2 * kRow + o), r3 = v128.load(k0 + 3 * kRow + o);
      const u0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const u2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const left = K - d, ap = a + o;
      c0 = madd(v128.load32_splat(ap), v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), c0);
      if (left < 2) break;
      c0 = madd(v128.load32_splat(ap + 4), v128.shuffle<f32>(u0, u1, 2, 3, 6, 7), c0);
      if (left < 3) break;
      c0 = madd(v128.load32_splat(ap + 8), v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), c0);
      if (left < 4) break;
      c0 = madd(v128.load32_splat(ap + 12), v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), c0);
    }
    v128.store(c + ((<usize>n) << 2), c0);
  }
}
