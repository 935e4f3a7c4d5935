// Adam's update over a range [first, end) of one parameter array, in float64 as the reference in ../../adam.ts
// (same operations in the same order, each stored value rounded once to float32: the same bits):
//   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g·g;  w ← w − lr·(m/c₁) / (√(v/c₂) + ε)   (c₁ = 1−β₁ᵗ, c₂ = 1−β₂ᵗ)
// Two elements per f64x2; m and v are read back as stored (float32) before the weight update.

// @ts-ignore: decorator
@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline function store2(p: usize, x: v128): v128 {
  const f = f32x4.demote_f64x2_zero(x);
  v128.store64_lane(p, f, 0);
  return f64x2.promote_low_f32x4(f); // the stored values
}

export function adamUpdate(w: usize, g: usize, m: usize, v: usize, b1: f64, oneMinusB1: f64, b2: f64, oneMinusB2: f64,
  lr: f64, c1: f64, c2: f64, eps: f64, first: i32, end: i32): void {
  const B1 = f64x2.splat(b1), A1 = f64x2.splat(oneMinusB1), B2 = f64x2.splat(b2), A2 = f64x2.splat(oneMinusB2);
  const LR = f64x2.splat(lr), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2), EPS = f64x2.splat(eps);
  let i = first;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i << 2;
    const gi = load2(g + o);
    const mi = store2(m + o, f64x2.add(f64x2.mul(B1, load2(m + o)), f64x2.mul(A1, gi)));
    const vi = store2(v + o, f64x2.add(f64x2.mul(B2, load2(v + o)), f64x2.mul(f64x2.mul(A2, gi), gi)));
    const step = f64x2.div(f64x2.mul(LR, f64x2.div(mi, C1)), f64x2.add(f64x2.sqrt(f64x2.div(vi, C2)), EPS));
    store2(w + o, f64x2.sub(load2(w + o), step));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(g + o);
    const mi = <f32>(b1 * <f64>load<f32>(m + o) + oneMinusB1 * gi);
    store<f32>(m + o, mi);
    const vi = <f32>(b2 * <f64>load<f32>(v + o) + oneMinusB2 * gi * gi);
    store<f32>(v + o, vi);
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (lr * (<f64>mi / c1)) / (Math.sqrt(<f64>vi / c2) + eps)));
  }
}
