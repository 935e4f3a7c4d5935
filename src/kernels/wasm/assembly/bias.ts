// A bias on the rows of a matrix product, forward and backward (the host side is ../bias.ts):
//   gemmBias:    C[i0:i1, j0:j1] = (op(A)·op(B))[i0:i1, j0:j1] + bias[j0:j1]   (the product rounded to float32 first,
//                then one float32 add per element: the bits of the product followed by a separate add)
//   columnSums:  out[j] = Σ_i G[i, j] for j in [j0, j1), summed in row order i = 0, 1, … from +0 in float32
//                (one lane per column, so each column's order is the plain loop's whatever the vector width)
import { gemmFrom } from "./gemm";

export function gemmBias(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, work: usize, bias: usize,
): void {
  gemmBiasFrom(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work, bias, 0);
}

/** gemmBias reading a packed B or A when packedB or packedA is not 0 (gemmFrom in ./gemm.ts). */
export function gemmBiasFrom(
  a: usize, transA: bool, b: usize, transB: bool, c: usize,
  m: i32, k: i32, n: i32, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32, work: usize, bias: usize, packedB: usize, packedA: usize = 0,
): void {
  gemmFrom(a, transA, b, transB, c, m, k, n, accumulate, i0, i1, j0, j1, work, packedB, packedA);
  for (let i = i0; i < i1; i++) {
    const row = c + (<usize>i * n << 2);
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const at = row + (<usize>j << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(bias + (<usize>j << 2))));
    }
    for (; j < j1; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(bias + (<usize>j << 2)));
    }
  }
}

export function columnSums(g: usize, out: usize, m: i32, n: i32, j0: i32, j1: i32): void {
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    let s = f32x4.splat(0);
    for (let i = 0; i < m; i++) s = f32x4.add(s, v128.load(g + ((<usize>i * n + j) << 2)));
    v128.store(out + (<usize>j << 2), s);
  }
  for (; j < j1; j++) {
    let s: f32 = 0;
    for (let i = 0; i < m; i++) s += load<f32>(g + ((<usize>i * n + j) << 2));
    store<f32>(out + (<usize>j << 2), s);
  }
}
