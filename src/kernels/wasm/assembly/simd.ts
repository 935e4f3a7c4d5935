// Vector helpers shared by the kernels. f32x4 lanes; `madd` is a·b + c, fused (one rounding) where the
// engine has relaxed SIMD and the build enables it, two roundings otherwise. Both agree with the
// reference within float32 rounding.

// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Sum of the four lanes, in a fixed order ((l0 + l2) + (l1 + l3)) so every kernel rounds alike. */
// @ts-ignore: decorator
@inline export function hsum(a: v128): f32 {
  const s = f32x4.add(a, v128.shuffle<f32>(a, a, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}
