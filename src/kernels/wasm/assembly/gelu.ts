// GELU on f32x4, forward and backward, over a range [first, end) of a flat array (a thread's share).
// form 0, exact:  gelu(x) = x·Φ(x),  Φ(x) = ½·erfc(−x/√2);   gelu′(x) = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2)/√(2π)
//   erfc(z), z = |x|/√2 ≥ 0, from Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7):
//   erfc(z) = t·exp(−z² + P(t)),  t = 1/(1 + z/2);  then Φ(x) = ½·erfc(z) for x < 0 and 1 − ½·erfc(z) for x ≥ 0
//   (as ../../gelu.ts's reference, there in float64).
// form 1, tanh:   gelu(x) ≈ ½x(1 + tanh u),  u = √(2/π)(x + 0.044715x³);
//   gelu′(x) = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²)
//   evaluated as s = σ(2u) = ½(1 + tanh u):  gelu = x·s,  gelu′ = s + 2x·s(1 − s)·√(2/π)(1 + 3·0.044715x²)
//   (1 + tanh u would cancel to nothing in the negative tail).
import { exp4 } from "./exp";
import { sigmoidv } from "./activations";
import { lanes, setLanes } from "./lanes";

// The constants as rows of four lanes in static memory (see ./exp.ts: a v128.const is rebuilt at each use).
const K = memory.data<f32>([
  1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.70710678118654752, 0.70710678118654752, 0.70710678118654752, 0.70710678118654752,
  0.39894228040143268, 0.39894228040143268, 0.39894228040143268, 0.39894228040143268, // 1/√(2π)
  0.79788456080286536, 0.79788456080286536, 0.79788456080286536, 0.79788456080286536, // √(2/π)
  0.044715, 0.044715, 0.044715, 0.044715, 0.134145, 0.134145, 0.134145, 0.134145, // 0.044715, 3·0.044715
  // P(t), highest degree first: 0.17087277 t⁹ … + 1.00002368 t − 1.26551223
  0.17087277, 0.17087277, 0.17087277, 0.17087277, -0.82215223, -0.82215223, -0.82215223, -0.82215223,
  1.48851587, 1.48851587, 1.48851587, 1.48851587, -1.13520398, -1.13520398, -1.13520398, -1.13520398,
  0.27886807, 0.27886807, 0.27886807, 0.27886807, -0.18628806, -0.18628806, -0.18628806, -0.18628806,
  0.09678418, 0.09678418, 0.09678418, 0.09678418, 0.37409196, 0.37409196, 0.37409196, 0.37409196,
  1.00002368, 1.00002368, 1.00002368, 1.00002368, -1.26551223, -1.26551223, -1.26551223, -1.26551223,
  -88, -88, -88, -88, 1e30, 1e30, 1e30, 1e30,
], 16);
const ONE = 0, HALF = 1, SQRT_HALF = 2, INV_SQRT_2PI = 3, SQRT_2_PI = 4, CUBIC = 5, CUBIC3 = 6, P = 7, P_TERMS = 10, MINUS_88 = P + P_TERMS, BIG = MINUS_88 + 1;

// @ts-ignore: decorator
@inline function k(row: i32): v128 {
  return v128.load(K + (<usize>row << 4));
}

/** Φ(x) by the erfc fit. */
// @ts-ignore: decorator
@inline function phi(x: v128): v128 {
  const z = f32x4.mul(f32x4.abs(x), k(SQRT_HALF));
  const t = f32x4.div(k(ONE), f32x4.add(k(ONE), f32x4.mul(z, k(HALF))));
  let p = k(P);
  for (let i = 1; i < P_TERMS; i++) p = f32x4.add(f32x4.mul(p, t), k(P + i));
  const halfErfc = f32x4.mul(f32x4.mul(t, exp4(f32x4.sub(p, f32x4.mul(z, z)))), k(HALF)); // the argument is < 0
  return v128.bitselect(halfErfc, f32x4.sub(k(ONE), halfErfc), f32x4.lt(x, f32x4.splat(0)));
}

/** σ(2u) = ½(1 + tanh u), u = √(2/π)(x + 0.044715x³), of the tanh form. */
// @ts-ignore: decorator
@inline function halfOnePlusTanh(x: v128): v128 {
  const u = f32x4.mul(k(SQRT_2_PI), f32x4.add(x, f32x4.mul(f32x4.mul(f32x4.mul(x, x), x), k(CUBIC))));
  const twoU = f32x4.add(u, u);
  // σ below e^−88 is 0 (sigmoidv's clamp would leave e^−88, and x = −∞ would give −∞ instead of −∞·0 = NaN)
  return v128.andnot(sigmoidv(twoU), f32x4.lt(twoU, k(MINUS_88)));
}

// @ts-ignore: decorator
@inline function forward(x: v128, form: i32): v128 {
  if (form == 0) return f32x4.mul(x, phi(x));
  return f32x4.mul(x, halfOnePlusTanh(x));
}

// @ts-ignore: decorator
@inline function derivative(x: v128, form: i32): v128 {
  const x2 = f32x4.mul(x, x);
  if (form == 0) return f32x4.add(phi(x), f32x4.mul(x, f32x4.mul(exp4(f32x4.mul(x2, f32x4.neg(k(HALF)))), k(INV_SQRT_2PI))));
  const s = halfOnePlusTanh(x);
  // du/dx, with x² held below 1e30: beyond, s(1 − s) = 0 and an infinite du would make the term 0·∞ = NaN
  const du = f32x4.mul(k(SQRT_2_PI), f32x4.add(k(ONE), f32x4.mul(f32x4.pmin(x2, k(BIG)), k(CUBIC3))));
  const twoX = f32x4.add(x, x);
  return f32x4.add(s, f32x4.mul(f32x4.mul(twoX, f32x4.mul(s, f32x4.sub(k(ONE), s))), du));
}

/** y[i] = gelu(x[i]) for i in [first, end) (x, y: byte offsets of float arrays). */
export function geluForward(x: usize, y: usize, form: i32, first: i32, end: i32): void {
  let i = first;
  for (; i + 4 <= end; i += 4) v128.store(y + (<usize>i << 2), forward(v128.load(x + (<usize>i << 2)), form));
  for (; i < end; i++) setLanes(y + (<usize>i << 2), forward(lanes(x + (<usize>i << 2), false), form), false);
}

/** dx[i] = g[i]·gelu′(x[i]) for i in [first, end). */
export function geluBackward(x: usize, g: usize, dx: usize, form: i32, first: i32, end: i32): void {
  let i = first;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.mul(v128.load(g + o), derivative(v128.load(x + o), form)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    setLanes(dx + o, f32x4.mul(lanes(g + o, false), derivative(lanes(x + o, false), form)), false);
  }
}
