// Layer normalization over rows of C channels, forward and backward, doing exactly the float32 arithmetic
// of the reference in ../../layerNorm.ts (so the same bits): sums in order along the row; where the
// reference computes in float64 and rounds once (products with 1/C, 0.5/s, 1/s, −c/s²), so does this.
//   μ = Σx·(1/C);  c = x − μ;  s = √(Σc²·(1/C) + ε);  n = c/s;  y = n∘γ + β
//   dn = dy∘γ;  ds = Σ dn·(−c/s²);  v = ds·(0.5/s)·(1/C);  dc = dn·(1/s) + v·2c;  dx = dc + Σ(−dc)·(1/C)
//   dγ = Σ_rows dy∘n;  dβ = Σ_rows dy   (by channel ranges: each channel summed over the rows in order)
// Threads take ranges of rows (forward, dx) or of channels (dγ, dβ). Arrays are byte offsets of floats.

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Rows [first, end): out, and for the backward pass centered (c) and sd (s per row). */
export function layerNormForward(x: usize, gamma: usize, beta: usize, C: i32, eps: f32,
  centered: usize, sd: usize, out: usize, first: i32, end: i32): void {
  const invC: f64 = 1.0 / <f64>C;
  for (let r = first; r < end; r++) {
    const row = r * C;
    let s: f32 = 0;
    for (let i = 0; i < C; i++) s += load<f32>(at(x, row + i));
    const mu = <f32>(<f64>s * invC);
    let ss: f32 = 0;
    for (let i = 0; i < C; i++) {
      const c = load<f32>(at(x, row + i)) - mu;
      store<f32>(at(centered, row + i), c);
      ss += c * c;
    }
    const sdr = <f32>Math.sqrt(<f64>(<f32>(<f64>ss * invC) + eps)); // √ of a float32, rounded: float32's √
    store<f32>(at(sd, r), sdr);
    for (let i = 0; i < C; i++) {
      const n = load<f32>(at(centered, row + i)) / sdr;
      store<f32>(at(out, row + i), n * load<f32>(at(gamma, i)) + load<f32>(at(beta, i)));
    }
  }
}

/** dx for rows [first, end); dc: C floats of scratch per thread. */
export function layerNormBackward(dy: usize, gamma: usize, centered: usize, sd: usize, C: i32, dx: usize, dc: usize, first: i32, end: i32): void {
  const invC: f64 = 1.0 / <f64>C;
  for (let r = first; r < end; r++) {
    const row = r * C;
    const s = <f64>load<f32>(at(sd, r));
    let ds: f32 = 0;
    for (let i = 0; i < C; i++) {
      const dn = load<f32>(at(dy, row + i)) * load<f32>(at(gamma, i));
      store<f32>(at(dc, i), dn); // dn for now; dc below
      ds += <f32>(<f64>dn * (-<f64>load<f32>(at(centered, row + i)) / (s * s)));
    }
    const dVarScaled = <f32>(<f64>(<f32>(<f64>ds * (0.5 / s))) * invC);
    const invS = 1.0 / s;
    let dMu: f32 = 0;
    for (let i = 0; i < C; i++) {
      const c = load<f32>(at(centered, row + i));
      const d = <f32>(<f64>load<f32>(at(dc, i)) * invS) + dVarScaled * (<f32>2 * c);
      store<f32>(at(dc, i), d);
      dMu += -d;
    }
    const dSum = <f32>(<f64>dMu * invC);
    for (let i = 0; i < C; i++) store<f32>(at(dx, row + i), load<f32>(at(dc, i)) + dSum);
  }
}

/** dγ and dβ (either 0 to skip) for channels [first, end), each summed over the rows in order; n = c/s as the forward divided. */
export function layerNormParamGrads(dy: usize, centered: usize, sd: usize, rows: i32, C: i32, dGamma: usize, dBeta: usize, first: i32, end: i32): void {
  for (let i = first; i < end; i++) {
    let g: f32 = 0, b: f32 = 0;
    for (let r = 0; r < rows; r++) {
      const dyv = load<f32>(at(dy, r * C + i));
      b += dyv;
      if (dGamma) g += dyv * (load<f32>(at(centered, r * C + i)) / load<f32>(at(sd, r)));
    }
    if (dGamma) store<f32>(at(dGamma, i), g);
    if (dBeta) store<f32>(at(dBeta, i), b);
  }
}
