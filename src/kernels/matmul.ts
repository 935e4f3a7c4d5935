// Dense matrix product on flat row-major arrays: C[m×n] (+)= op(A)·op(B),
// op(A) = A stored [m×k], or Aᵀ with A stored [k×m]; op(B) likewise ([k×n] or [n×k]).

export function gemm(
  a: Float32Array, aOffset: number, transA: boolean,
  b: Float32Array, bOffset: number, transB: boolean,
  c: Float32Array, cOffset: number,
  m: number, k: number, n: number,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
  // strides of A(i, p) and B(p, j) in their storage
  const ai = transA ? 1 : k, ap = transA ? m : 1;
  if (!transB) {
    // i-p-j order: the inner loop runs along contiguous rows of B and C
    for (let i = 0; i < m; i++) {
      const cRow = cOffset + i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[aOffset + i * ai + p * ap];
        if (aip === 0) continue;
        const bRow = bOffset + p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
  } else {
    // B stored [n×k]: C(i, j) is a dot product of a row of op(A) with a contiguous row of B
    for (let i = 0; i < m; i++) {
      const cRow = cOffset + i * n;
      for (let j = 0; j < n; j++) {
        const bRow = bOffset + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[aOffset + i * ai + p * ap] * b[bRow + p];
        c[cRow + j] += s;
      }
    }
  }
}
