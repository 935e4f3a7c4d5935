// Cross-entropy on logits, fused (log-softmax + negative log-likelihood), over the counted rows of z [·, K]:
//   per counted row: m = maxₖ zₖ,  lse = m + log Σₖ exp(zₖ − m)   (no exp overflows: every argument ≤ 0)
//   forward: lse per row (float64; the host sums lse − z_c);   backward: dz = exp(z − lse)·scale, dz_c −= scale
// f32x4 over the classes; threads take ranges of counted rows. rows, classes: i32 per counted row.
import { exp4 } from "./exp";

// @ts-ignore: decorator
@inline function rowAt(z: usize, rows: usize, r: i32, K: i32): usize {
  return z + (<usize>(load<i32>(rows + (<usize>r << 2)) * K) << 2);
}

/** lse[r] (f64) for counted rows r in [first, end). */
export function crossentropyLogitsForward(z: usize, rows: usize, K: i32, lse: usize, first: i32, end: i32): void {
  for (let r = first; r < end; r++) {
    const p = rowAt(z, rows, r, K);
    let m4 = f32x4.splat(-Infinity), k = 0;
    for (; k + 4 <= K; k += 4) m4 = f32x4.max(m4, v128.load(p + (<usize>k << 2))); // NaN-propagating max
    let m = max(max(f32x4.extract_lane(m4, 0), f32x4.extract_lane(m4, 1)), max(f32x4.extract_lane(m4, 2), f32x4.extract_lane(m4, 3)));
    for (; k < K; k++) m = max(m, load<f32>(p + (<usize>k << 2)));
    const mv = f32x4.splat(m);
    let s4 = f32x4.splat(0);
    k = 0;
    for (; k + 4 <= K; k += 4) s4 = f32x4.add(s4, exp4(f32x4.sub(v128.load(p + (<usize>k << 2)), mv)));
    let s = (f32x4.extract_lane(s4, 0) + f32x4.extract_lane(s4, 2)) + (f32x4.extract_lane(s4, 1) + f32x4.extract_lane(s4, 3));
    for (; k < K; k++) s += f32x4.extract_lane(exp4(f32x4.splat(load<f32>(p + (<usize>k << 2)) - m)), 0);
    store<f64>(lse + (<usize>r << 3), <f64>m + Math.log(<f64>s));
  }
}

/** dz on counted rows r in [first, end): exp(z − lse[r])·scale, minus scale at the row's class. */
export function crossentropyLogitsBackward(z: usize, rows: usize, classes: usize, K: i32, lse: usize, scale: f32, dz: usize, first: i32, end: i32): void {
  const sv = f32x4.splat(scale);
  for (let r = first; r < end; r++) {
    const offset = rowAt(0, rows, r, K), p = z + offset, d = dz + offset;
    // lse as hi + lo in float32, so z − lse = (z − hi) − lo keeps the bits float32 would drop at large logits
    const L = load<f64>(lse + (<usize>r << 3)), hiS = <f32>L;
    const hi = f32x4.splat(hiS), lo = f32x4.splat(<f32>(L - <f64>hiS));
    let k = 0;
    for (; k + 4 <= K; k += 4) v128.store(d + (<usize>k << 2), f32x4.mul(exp4(f32x4.sub(f32x4.sub(v128.load(p + (<usize>k << 2)), hi), lo)), sv));
    for (; k < K; k++) store<f32>(d + (<usize>k << 2), f32x4.extract_lane(f32x4.mul(exp4(f32x4.sub(f32x4.sub(f32x4.splat(load<f32>(p + (<usize>k << 2))), hi), lo)), sv), 0));
    const c = d + (<usize>load<i32>(classes + (<usize>r << 2)) << 2);
    store<f32>(c, load<f32>(c) - scale);
  }
}
