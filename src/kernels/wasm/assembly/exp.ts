// exp on four lanes, for attention's softmax and the LSTM's activations: range reduction x = n·ln2 + r,
// |r| ≤ ln2/2 (ln2 split in a high and a low part so r is exact), then a degree-6 polynomial for e^r
// (Cephes' expf coefficients, ~1 ulp) scaled by 2^n built in the exponent bits.
// exp(−∞) = 0 exactly, x < −87.3 gives 0 (no subnormal results), NaN stays NaN. exp4 takes x ≤ 88 (2ⁿ must
// stay finite): attention's arguments are ≤ 0 (scores minus their row max); expUpTo88 clamps for the rest.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const UNDERFLOW: f32 = -87.3365448; // below this e^x is subnormal or zero in float32: return 0

// Rounding by the magic number 1.5·2²³: adding it leaves round(x·log2 e) in the low mantissa bits of t
// (|n| < 2²²), so n = t − MAGIC as a float and 2^n = (bits(t) + 127) << 23 (the shift drops MAGIC's bits).
// This avoids the conversion instructions, which are slow sequences in WebAssembly SIMD on x64.
const MAGIC: f32 = 12582912.0;

// The constants as rows of four lanes in static memory. V8 (x64) rebuilds a v128.const in registers at
// every use inside a loop, about four instructions each; a row read from memory becomes the memory operand
// of the instruction that uses it. Measured on a 4096-float array: 17.3 → 10.7 cycles per vector, same bits.
const EXP_CONSTANTS = memory.data<f32>([
  LOG2E, LOG2E, LOG2E, LOG2E, MAGIC, MAGIC, MAGIC, MAGIC, LN2_HI, LN2_HI, LN2_HI, LN2_HI, LN2_LO, LN2_LO, LN2_LO, LN2_LO,
  UNDERFLOW, UNDERFLOW, UNDERFLOW, UNDERFLOW, 1, 1, 1, 1,
  // the polynomial's coefficients, highest degree first (Cephes' expf: p0 … p5)
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
], 16);
const ROW_LOG2E = 0, ROW_MAGIC = 1, ROW_LN2_HI = 2, ROW_LN2_LO = 3, ROW_UNDERFLOW = 4, ROW_ONE = 5, ROW_P0 = 6;
const EXPONENT_BIAS = memory.data<i32>([127, 127, 127, 127], 16);
const OVERFLOW = memory.data<f32>([88, 88, 88, 88], 16); // e^88 ≈ 1.65e38, the last 2ⁿ below float32's top

// @ts-ignore: decorator
@inline function c(row: i32): v128 {
  return v128.load(EXP_CONSTANTS + (<usize>row << 4));
}

// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const tooSmall = f32x4.lt(x, c(ROW_UNDERFLOW)); // also −∞; those lanes are zeroed at the end
  const t = f32x4.add(f32x4.mul(x, c(ROW_LOG2E)), c(ROW_MAGIC));
  const n = f32x4.sub(t, c(ROW_MAGIC));
  let r = f32x4.sub(x, f32x4.mul(n, c(ROW_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, c(ROW_LN2_LO)));
  // P(r) = (p5 + p4 r) + r²(p3 + p2 r) + r⁴(p1 + p0 r) by Estrin's scheme: a short dependency chain, so
  // the exponentials of a row overlap in the pipeline instead of waiting on one long Horner chain
  const r2 = f32x4.mul(r, r), r4 = f32x4.mul(r2, r2);
  const low = f32x4.add(f32x4.mul(c(ROW_P0 + 4), r), c(ROW_P0 + 5));
  const mid = f32x4.add(f32x4.mul(c(ROW_P0 + 2), r), c(ROW_P0 + 3));
  const high = f32x4.add(f32x4.mul(c(ROW_P0), r), c(ROW_P0 + 1));
  const poly = f32x4.add(f32x4.add(low, f32x4.mul(r2, mid)), f32x4.mul(r4, high));
  const er = f32x4.add(f32x4.add(f32x4.mul(poly, r2), r), c(ROW_ONE));
  // 2^n for n ∈ [−126, 0], a normal number whose exponent field is n + 127 (a NaN x keeps er NaN)
  const pow2n = i32x4.shl(i32x4.add(t, v128.load(EXPONENT_BIAS)), 23);
  return v128.andnot(f32x4.mul(er, pow2n), tooSmall);
}

/** e^min(x, 88) (for arguments of any size: sigmoid, tanh); pmin keeps a NaN x, which is its first operand. */
// @ts-ignore: decorator
@inline export function expUpTo88(x: v128): v128 {
  return exp4(f32x4.pmin(x, v128.load(OVERFLOW)));
}

/** e^x for one float, by the same arithmetic as exp4. */
// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}
