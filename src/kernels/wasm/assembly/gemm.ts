// Matrix multiply C[m×n] (+)= op(A)·op(B) in the manner of Goto & van de Geijn: B is packed into column
// panels of NR columns and A into row panels of MR rows, so the inner kernel streams both contiguously;
// an MR×NR register tile of f32x4 accumulators takes one rank-1 update per reduction step.
//   op(A) = A stored [m×k] row-major, or Aᵀ with A stored [k×m]; op(B) = B [k×n] or Bᵀ with B [n×k].
// Transposes cost nothing: the packing routines read either storage order.
// Blocking (f32): a KC×NR panel of B (KC·NR·4 = 8 KB) stays in L1 while the MC×KC block of A (MC·KC·4 =
// 96 KB) streams from L2; the KC×NC block of B (1 MB) sits in L2/L3.
// Summation order of C(i, j): p = 0…k−1 in KC-blocks, each block summed in order into one accumulator
// lane and then added to C. It depends only on k, never on which rows/columns a call covers, so splitting
// C over threads (i0…i1, j0…j1 ranges) gives bit-identical results.
import { gemmFewRows } from "./gemmFewRows";
import { madd } from "./simd";

// 4×8 tile: 8 accumulators + 2 B vectors + 1 broadcast A + a product temporary fit the 15 vector registers
// V8 gives WebAssembly on x64 (it keeps one as scratch). Measured in one run against TF.js at 1024³:
// 4×8 40.7 GFLOP/s; 5×8 23.4 and 6×8 25.0 (their accumulators spill).
const MR: i32 = 4; // rows of a register tile (microKernel is written out for 4)
const NR: i32 = 8; // columns of a register tile (two f32x4)
const KC: i32 = 256;
const MC: i32 = 96; // multiple of MR
const NC: i32 = 1024; // multiple of NR

/** Bytes of scratch one gemm call needs (packed B, packed A, one edge tile). */
export function gemmWorkspaceBytes(): i32 {
  return (KC * NC + MC * KC + MR * NR) << 2;
}

/**
 * C[i0:i1, j0:j1] (+)= (op(A)·op(B))[i0:i1, j0:j1]; a, b, c, work are byte offsets, C is [m×n] row-major.
 * accumulate = false overwrites C; with k = 0 the product is zero.
 */
export function gemm(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, work: usize,
): void {
  gemmFrom(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work, 0);
}

/**
 * op(B) [k×n] packed whole, every block as gemm packs it for itself: for each NC-column block jc (width nc, padded
 * to ncp, a multiple of NR) and each KC-row block pc, packB's panels at float offset jc·k + pc·ncp. Threads that
 * split C by rows all read the same B: packed once, it is not packed again by every range (gemmFrom). This packs the
 * NR-column panels [first, end) of every block (a range kernel: threads may share the panels out).
 */
export function gemmPackB(b: usize, transB: bool, k: i32, n: i32, out: usize, first: i32, end: i32): void {
  for (let q = first; q < end; q++) {
    const j = q * NR, jc = j / NC * NC, nc = min(NC, n - jc), ncp = (nc + NR - 1) & ~(NR - 1);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b, transB, k, n, pc, kc, j, min(NR, n - j), out + ((<usize>jc * k + <usize>pc * ncp + <usize>(j - jc) * kc) << 2));
    }
  }
}

/**
 * op(A) [m×k] packed whole, the mirror of gemmPackB for threads that split C by columns (each range reads all of A):
 * for each KC-column block pc, packA's MR-row panels at float offset pc·mp + i·kc (mp: m rounded up to MR). This packs
 * the panels [first, end) (rows first·MR …) of every block.
 */
export function gemmPackA(a: usize, transA: bool, m: i32, k: i32, out: usize, first: i32, end: i32): void {
  const mp = (m + MR - 1) & ~(MR - 1);
  for (let q = first; q < end; q++) {
    const i = q * MR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packA(a, transA, m, k, i, min(MR, m - i), pc, kc, out + ((<usize>pc * mp + <usize>i * kc) << 2));
    }
  }
}

/**
 * gemm, reading op(B) from `packedB` (gemmPackB's layout; only for whole rows of C: j0 = 0, j1 = n) and op(A) from
 * `packedA` (gemmPackA's; only for whole columns: i0 = 0, i1 = m) when not 0, else packing each block into `work` as
 * it goes. The same blocks, panels and sums either way: the same bits.
 */
export function gemmFrom(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, work: usize, packedB: usize, packedA: usize = 0,
): void {
  if (i0 >= i1 || j0 >= j1) return;
  if (k == 0) {
    if (!accumulate) for (let i = i0; i < i1; i++) memory.fill(c + ((<usize>i * n + j0) << 2), 0, <usize>(j1 - j0) << 2);
    return;
  }
  if (m < MR) { gemmFewRows(a, transA, b, transB, c, m, k, n, accumulate, KC, i0, i1, j0, j1, work); return; } // decoding's rows: no packing
  const workB = work;
  const workA = workB + (<usize>(KC * NC) << 2);
  const tile = workA + (<usize>(MC * KC) << 2);
  const mp = (m + MR - 1) & ~(MR - 1);
  const ldc = <usize>n << 2;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      let blockB = packedB + ((<usize>jc * k + <usize>pc * ((nc + NR - 1) & ~(NR - 1))) << 2);
      if (!packedB) {
        blockB = workB;
        packB(b, transB, k, n, pc, kc, jc, nc, blockB);
      }
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        let blockA = packedA + ((<usize>pc * mp + <usize>ic * kc) << 2);
        if (!packedA) {
          blockA = workA;
          packA(a, transA, m, k, ic, mc, pc, kc, blockA);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const bPanel = blockB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const aPanel = blockA + (<usize>(ir * kc) << 2);
            const cTile = c + ((<usize>(ic + ir) * n + jc + jr) << 2);
            // an edge tile is computed whole (padded) aside, then its valid part moved into C; one call
            // site keeps a single inlined copy of the micro-kernel
            const edge = ir + MR > mc || jr + NR > nc;
            microKernel(kc, aPanel, bPanel, edge ? tile : cTile, edge ? <usize>(NR << 2) : ldc, add && !edge);
            if (edge) storeEdge(tile, cTile, ldc, min(MR, mc - ir), min(NR, nc - jr), add);
          }
        }
      }
    }
  }
}

/** MR×NR (4×8) tile: acc = Σ_p a[p, 0:4]ᵀ · b[p, 0:8] over the packed panels, then C = acc or C += acc. */
// @ts-ignore: decorator
@inline function microKernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4); c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8); c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12); c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    ap += MR << 2;
    bp += NR << 2;
  }
  storeRow(c, c00, c01, add);
  storeRow(c + ldc, c10, c11, add);
  storeRow(c + 2 * ldc, c20, c21, add);
  storeRow(c + 3 * ldc, c30, c31, add);
}

// @ts-ignore: decorator
@inline function storeRow(c: usize, v0: v128, v1: v128, add: bool): void {
  if (add) {
    v0 = f32x4.add(v128.load(c), v0);
    v1 = f32x4.add(v128.load(c, 16), v1);
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
}

/** The valid rows × cols of an edge tile (row stride NR) into C. */
function storeEdge(tile: usize, c: usize, ldc: usize, rows: i32, cols: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    const t = tile + (<usize>(r * NR) << 2), cr = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(t + o);
      store<f32>(cr + o, add ? load<f32>(cr + o) + v : v);
    }
  }
}

/**
 * op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns: panel q holds, for each p, the NR values
 * op(B)(pc+p, jc+q·NR … jc+q·NR+NR−1), zero past column nc.
 */
function packB(b: usize, transB: bool, k: i32, n: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = out + (<usize>(jr * kc) << 2);
    if (!transB) {
      // B(p, j) = b[p·n + j]: rows of the panel are contiguous runs of B's rows
      let src = b + ((<usize>pc * n + jc + jr) << 2);
      const ldb = <usize>n << 2;
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const dst = panel + (<usize>(p * NR) << 2);
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldb;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const dst = panel + (<usize>(p * NR) << 2);
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let j = 0; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
          src += ldb;
        }
      }
    } else {
      // B stored [n×k], op(B)(p, j) = b[j·k + p]: each column of the panel is a contiguous run
      if (cols < NR) memory.fill(panel, 0, <usize>(kc * NR) << 2);
      for (let j = 0; j < cols; j++) {
        const src = b + ((<usize>(jc + jr + j) * k + pc) << 2);
        const dst = panel + (<usize>j << 2);
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR) << 2), load<f32>(src + (<usize>p << 2)));
      }
    }
  }
}

/**
 * op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows: panel q holds, for each p, the MR values
 * op(A)(ic+q·MR … ic+q·MR+MR−1, pc+p), zero past row mc.
 */
function packA(a: usize, transA: bool, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = out + (<usize>(ir * kc) << 2);
    if (rows < MR) memory.fill(panel, 0, <usize>(kc * MR) << 2);
    if (!transA) {
      // A(i, p) = a[i·k + p]: each row of the block is a contiguous run
      for (let r = 0; r < rows; r++) {
        const src = a + ((<usize>(ic + ir + r) * k + pc) << 2);
        const dst = panel + (<usize>r << 2);
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR) << 2), load<f32>(src + (<usize>p << 2)));
      }
    } else {
      // A stored [k×m], op(A)(i, p) = a[p·m + i]: the MR values of one p are contiguous
      let src = a + ((<usize>pc * m + ic + ir) << 2);
      const lda = <usize>m << 2;
      for (let p = 0; p < kc; p++) {
        const dst = panel + (<usize>(p * MR) << 2);
        for (let r = 0; r < rows; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
        src += lda;
      }
    }
  }
}
