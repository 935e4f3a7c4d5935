// Vectorized exp, sigmoid and tanh on f32x4 (float32 accuracy: a few ulp relative for exp and sigmoid,
// ≤ 1e-7 absolute for tanh).
//   exp(x) = 2ⁿ·e^r with n = round(x·log₂e), r = x − n·ln2 (ln2 split in a high and a low part so r is
//   exact), e^r by its degree-6 Taylor-like minimax polynomial on |r| ≤ ln2/2 (Cephes expf), 2ⁿ built in
//   the exponent bits. x is clamped to [−87, 88] so 2ⁿ stays a normal float (exp(−87) ≈ 1.6e−38).
//   sigmoid(x) = 1 / (1 + exp(−x));  tanh(x) = sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) ≤ 1.

// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let q = f32x4.splat(1.9875691500e-4);
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.3981999507e-3));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(8.3334519073e-3));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(4.1665795894e-2));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.6666665459e-1));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(5.0000001201e-1));
  const er = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(q, r), r), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(er, scale);
}

// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const e = expv(f32x4.mul(f32x4.abs(x), f32x4.splat(-2.0)));
  const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  return v128.or(t, v128.and(x, f32x4.splat(-0.0))); // the sign of x
}

/** Scalar forms for loop tails (not inlined: one copy of the polynomial each). */
export function sigmoid1(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}

export function tanh1(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}
