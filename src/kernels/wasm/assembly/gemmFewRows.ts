// The matrix product for fewer rows than the register tile (m < 4: a decoding step's one row per sequence),
// straight from A and B without packing them: packing B costs a pass over all of it, and the 4×8 tile would
// spend 3/4 of its work on padded rows. Each f32x4 lane sums one C(i, j), in gemm's order exactly:
//   per KC-block of p:  acc = Σ_{p in block, in order} A(i, p)·B(p, j)   (madd from 0);  C = acc or C += acc
// so a row comes out with the same bits as from gemm's tiles (and from any split of the columns over threads).
import { madd } from "./simd";

/** C[i0:i1, j0:j1] (+)= (op(A)·op(B))[i0:i1, j0:j1] for m < 4, with gemm's arguments and summation order. */
export function gemmFewRows(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool, kcBlock: i32,
  i0: i32, i1: i32, j0: i32, j1: i32, work: usize,
): void {
  for (let i = i0; i < i1; i++) {
    const aRow = transA ? a + (<usize>i << 2) : a + (<usize>i * k << 2);
    const aStride: usize = transA ? <usize>m << 2 : 4; // bytes from A(i, p) to A(i, p + 1)
    const cRow = c + (<usize>i * n << 2);
    let j = j0;
    if (!transB) { // B [k×n] row-major: its rows streamed in order, the sums of a chunk of columns kept in `work`
      j = j0 + ((j1 - j0) & ~3);
      rowTimesRowsOfB(aRow, aStride, b, k, n, kcBlock, j0, j, cRow, accumulate, work);
    } else for (; j + 8 <= j1; j += 8) { // B stored [n×k]: eight columns at a time, two independent sums (one alone waits on its own madds)
      for (let pc = 0; pc < k; pc += kcBlock) {
        rowsOfBtTwice(aRow + <usize>pc * aStride, aStride, b + ((<usize>j * k + pc) << 2), <usize>k << 2, min(kcBlock, k - pc), cRow + (<usize>j << 2), accumulate || pc > 0);
      }
    }
    for (; j < j1; j += 4) {
      const cols = min(4, j1 - j);
      for (let pc = 0; pc < k; pc += kcBlock) {
        const kc = min(kcBlock, k - pc);
        const acc = transB && cols == 4
          ? rowsOfBt(aRow + <usize>pc * aStride, aStride, b + ((<usize>j * k + pc) << 2), <usize>k << 2, kc)
          : columnsOfB(aRow + <usize>pc * aStride, aStride, b, transB, k, n, pc, kc, j, cols);
        store4(cRow + (<usize>j << 2), acc, cols, accumulate || pc > 0);
      }
    }
  }
}

/**
 * B stored [n×k], four whole columns of op(B) (= four rows of B, `ldb` bytes apart) from p = 0 … kc − 1: four
 * contiguous loads per four values of p, transposed in registers so lane r holds B(j + r, p).
 */
// @ts-ignore: decorator
@inline function rowsOfBt(ap: usize, aStride: usize, bp: usize, ldb: usize, kc: i32): v128 {
  let acc = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const r0 = v128.load(bp), r1 = v128.load(bp + ldb), r2 = v128.load(bp + 2 * ldb), r3 = v128.load(bp + 3 * ldb);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    acc = madd(v128.load32_splat(ap), v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), acc);
    acc = madd(v128.load32_splat(ap + aStride), v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), acc);
    acc = madd(v128.load32_splat(ap + 2 * aStride), v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), acc);
    acc = madd(v128.load32_splat(ap + 3 * aStride), v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), acc);
    ap += 4 * aStride;
    bp += 16;
  }
  for (; p < kc; p++) {
    let bv = f32x4.splat(load<f32>(bp));
    bv = f32x4.replace_lane(bv, 1, load<f32>(bp + ldb));
    bv = f32x4.replace_lane(bv, 2, load<f32>(bp + 2 * ldb));
    bv = f32x4.replace_lane(bv, 3, load<f32>(bp + 3 * ldb));
    acc = madd(v128.load32_splat(ap), bv, acc);
    ap += aStride;
    bp += 4;
  }
  return acc;
}

/**
 * rowsOfBt for eight columns (rows of B: the first four from `bp`, the next four 4·ldb further), stored at c and
 * c + 16 bytes: two accumulators whose madds interleave, each lane still summing its p in order (the same bits).
 */
// @ts-ignore: decorator
@inline function rowsOfBtTwice(ap: usize, aStride: usize, bp: usize, ldb: usize, kc: i32, c: usize, add: bool): void {
  let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0);
  let bq = bp + 4 * ldb;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const a0 = v128.load32_splat(ap), a1 = v128.load32_splat(ap + aStride), a2 = v128.load32_splat(ap + 2 * aStride), a3 = v128.load32_splat(ap + 3 * aStride);
    const r0 = v128.load(bp), r1 = v128.load(bp + ldb), r2 = v128.load(bp + 2 * ldb), r3 = v128.load(bp + 3 * ldb);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const s0 = v128.load(bq), s1 = v128.load(bq + ldb), s2 = v128.load(bq + 2 * ldb), s3 = v128.load(bq + 3 * ldb);
    const u0 = v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(s0, s1, 2, 6, 3, 7);
    const u2 = v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), u3 = v128.shuffle<f32>(s2, s3, 2, 6, 3, 7);
    acc0 = madd(a0, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), acc0);
    acc1 = madd(a0, v128.shuffle<f32>(u0, u2, 0, 1, 4, 5), acc1);
    acc0 = madd(a1, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), acc0);
    acc1 = madd(a1, v128.shuffle<f32>(u0, u2, 2, 3, 6, 7), acc1);
    acc0 = madd(a2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), acc0);
    acc1 = madd(a2, v128.shuffle<f32>(u1, u3, 0, 1, 4, 5), acc1);
    acc0 = madd(a3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), acc0);
    acc1 = madd(a3, v128.shuffle<f32>(u1, u3, 2, 3, 6, 7), acc1);
    ap += 4 * aStride;
    bp += 16;
    bq += 16;
  }
  for (; p < kc; p++) {
    const av = v128.load32_splat(ap);
    let bv = f32x4.splat(load<f32>(bp)), bw = f32x4.splat(load<f32>(bq));
    bv = f32x4.replace_lane(bv, 1, load<f32>(bp + ldb));
    bv = f32x4.replace_lane(bv, 2, load<f32>(bp + 2 * ldb));
    bv = f32x4.replace_lane(bv, 3, load<f32>(bp + 3 * ldb));
    bw = f32x4.replace_lane(bw, 1, load<f32>(bq + ldb));
    bw = f32x4.replace_lane(bw, 2, load<f32>(bq + 2 * ldb));
    bw = f32x4.replace_lane(bw, 3, load<f32>(bq + 3 * ldb));
    acc0 = madd(av, bv, acc0);
    acc1 = madd(av, bw, acc1);
    ap += aStride;
    bp += 4;
    bq += 4;
  }
  store4(c, acc0, 4, add);
  store4(c + 16, acc1, 4, add);
}

const CHUNK = 1024; // columns whose sums stay in `work` (4 KB, in L1) while B's rows stream by

/**
 * C[i, j0:j1] (+)= Σ_p A(i, p)·B(p, j0:j1) for B [k×n] row-major and j1 − j0 a multiple of 4, reading B row by row
 * (contiguous, in order: a column walk would stride n floats and cross a page every few rows). Per chunk of
 * columns and KC-block, t = 0 then t_j = madd(A(i, p), B(p, j), t_j) for p in order (four at a time), then
 * C = t or C += t: each lane the very sequence columnsOfB and rowsOfBt run, so the same bits.
 */
function rowTimesRowsOfB(aRow: usize, aStride: usize, b: usize, k: i32, n: i32, kcBlock: i32, j0: i32, j1: i32, cRow: usize, accumulate: bool, t: usize): void {
  const ldb = <usize>n << 2;
  for (let jc = j0; jc < j1; jc += CHUNK) {
    const bytes = <usize>min(CHUNK, j1 - jc) << 2;
    for (let pc = 0; pc < k; pc += kcBlock) {
      const end = pc + min(kcBlock, k - pc);
      memory.fill(t, 0, bytes);
      let p = pc;
      for (; p + 4 <= end; p += 4) {
        const ap = aRow + <usize>p * aStride, bp = b + <usize>p * ldb + (<usize>jc << 2);
        const x0 = v128.load32_splat(ap), x1 = v128.load32_splat(ap + aStride), x2 = v128.load32_splat(ap + 2 * aStride), x3 = v128.load32_splat(ap + 3 * aStride);
        for (let o: usize = 0; o < bytes; o += 16) {
          let acc = v128.load(t + o);
          acc = madd(x0, v128.load(bp + o), acc);
          acc = madd(x1, v128.load(bp + ldb + o), acc);
          acc = madd(x2, v128.load(bp + 2 * ldb + o), acc);
          acc = madd(x3, v128.load(bp + 3 * ldb + o), acc);
          v128.store(t + o, acc);
        }
      }
      for (; p < end; p++) {
        const x = v128.load32_splat(aRow + <usize>p * aStride), bp = b + <usize>p * ldb + (<usize>jc << 2);
        for (let o: usize = 0; o < bytes; o += 16) v128.store(t + o, madd(x, v128.load(bp + o), v128.load(t + o)));
      }
      const add = accumulate || pc > 0, cp = cRow + (<usize>jc << 2);
      for (let o: usize = 0; o < bytes; o += 16) v128.store(cp + o, add ? f32x4.add(v128.load(cp + o), v128.load(t + o)) : v128.load(t + o));
    }
  }
}

/** Columns j … j + cols − 1 (cols ≤ 4) of op(B) from p = pc … pc + kc − 1; B [k×n] rows are contiguous, else lanes are gathered (0 past cols). */
function columnsOfB(ap: usize, aStride: usize, b: usize, transB: bool, k: i32, n: i32, pc: i32, kc: i32, j: i32, cols: i32): v128 {
  let acc = f32x4.splat(0);
  for (let p = pc; p < pc + kc; p++) {
    let bv: v128;
    if (!transB && cols == 4) bv = v128.load(b + ((<usize>p * n + j) << 2));
    else {
      bv = f32x4.splat(0);
      for (let r = 0; r < cols; r++) {
        const x = load<f32>(b + ((transB ? <usize>(j + r) * k + p : <usize>p * n + j + r) << 2));
        bv = r == 0 ? f32x4.replace_lane(bv, 0, x) : r == 1 ? f32x4.replace_lane(bv, 1, x) : r == 2 ? f32x4.replace_lane(bv, 2, x) : f32x4.replace_lane(bv, 3, x);
      }
    }
    acc = madd(v128.load32_splat(ap), bv, acc);
    ap += aStride;
  }
  return acc;
}

/** C[j … j + cols − 1] = acc (or += acc), lane by lane: storeRow's and storeEdge's sums. */
// @ts-ignore: decorator
@inline function store4(c: usize, acc: v128, cols: i32, add: bool): void {
  if (cols == 4) {
    v128.store(c, add ? f32x4.add(v128.load(c), acc) : acc);
    return;
  }
  for (let r = 0; r < cols; r++) {
    const v = r == 0 ? f32x4.extract_lane(acc, 0) : r == 1 ? f32x4.extract_lane(acc, 1) : f32x4.extract_lane(acc, 2);
    const o = c + (<usize>r << 2);
    store<f32>(o, add ? load<f32>(o) + v : v);
  }
}
