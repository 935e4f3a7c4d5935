// exp on four lanes: range reduction x = n·ln2 + r, |r| ≤ ln2/2, then a degree-6 polynomial for e^r
// (Cephes' expf coefficients, ~1 ulp) scaled by 2^n built in the exponent bits.
// exp(−∞) = 0 exactly, x < −87.3 gives 0 (no subnormal results), NaN stays NaN; arguments here are ≤ 0
// (scores minus their row max), so overflow cannot happen.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const UNDERFLOW: f32 = -87.3365448; // below this e^x is subnormal or zero in float32: return 0

// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const tooSmall = f32x4.lt(x, f32x4.splat(UNDERFLOW));
  const xc = f32x4.max(x, f32x4.splat(UNDERFLOW)); // keeps NaN (wasm max propagates it), clamps −∞
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  const r2 = f32x4.mul(r, r);
  let poly = f32x4.splat(1.9875691500e-4);
  poly = f32x4.add(f32x4.mul(poly, r), f32x4.splat(1.3981999507e-3));
  poly = f32x4.add(f32x4.mul(poly, r), f32x4.splat(8.3334519073e-3));
  poly = f32x4.add(f32x4.mul(poly, r), f32x4.splat(4.1665795894e-2));
  poly = f32x4.add(f32x4.mul(poly, r), f32x4.splat(1.6666665459e-1));
  poly = f32x4.add(f32x4.mul(poly, r), f32x4.splat(5.0000001201e-1));
  const er = f32x4.add(f32x4.add(f32x4.mul(poly, r2), r), f32x4.splat(1));
  // 2^n: n ∈ [−126, 0] here, a normal number whose exponent field is n + 127
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(er, pow2n), tooSmall);
}

/** e^x for one float, by the same arithmetic as exp4. */
// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}
