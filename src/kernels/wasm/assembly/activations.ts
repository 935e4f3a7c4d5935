// Vectorized sigmoid and tanh on f32x4, on ./exp.ts's exp (float32 accuracy: a few ulp relative for
// sigmoid, ≤ 1e-7 absolute for tanh).
//   sigmoid(x) = 1 / (1 + exp(−x));  tanh(x) = sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) ≤ 1.
import { exp4, expUpTo88 } from "./exp";

// Constants as rows of four lanes in static memory (see ./exp.ts: V8 rebuilds a v128.const at each use in a loop).
const ONE = memory.data<f32>([1, 1, 1, 1], 16);
const MINUS_TWO = memory.data<f32>([-2, -2, -2, -2], 16);
const SIGN_BIT = memory.data<u32>([0x80000000, 0x80000000, 0x80000000, 0x80000000], 16);

// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  const one = v128.load(ONE);
  return f32x4.div(one, f32x4.add(one, expUpTo88(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const one = v128.load(ONE);
  const e = exp4(f32x4.mul(f32x4.abs(x), v128.load(MINUS_TWO))); // argument ≤ 0
  const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  return v128.or(t, v128.and(x, v128.load(SIGN_BIT))); // the sign of x
}

/** Scalar forms for loop tails (not inlined: one copy of the polynomial each). */
export function sigmoid1(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}

export function tanh1(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}
