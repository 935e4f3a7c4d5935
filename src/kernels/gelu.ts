// GELU, forward and backward, on flat arrays (two forms; PyTorch's gelu(approximate="none" | "tanh")):
//   exact: gelu(x) = x·Φ(x),  Φ(x) = ½(1 + erf(x/√2));  gelu′(x) = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2)/√(2π)
//   tanh:  gelu(x) ≈ ½x(1 + tanh u),  u = √(2/π)(x + 0.044715x³);
//          gelu′(x) = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²)
// Both are evaluated in forms without cancellation in the negative tail (where 1 + erf and 1 + tanh lose
// every digit): Φ(x) = ½·erfc(|x|/√2) for x < 0, and ½(1 + tanh u) = σ(2u), ½(1 − tanh² u) = 2σ(2u)(1 − σ(2u)).
// The scalar rules here (float64, rounded once to float32 on store) are the references; geluForward and
// geluBackward run the WebAssembly kernels (./wasm/gelu.ts: f32x4, split across the threads) where
// WebAssembly can run; they agree with the references within float32 rounding (a few ulp).
import { logistic } from "./logistic.js";
import { wasmUsable } from "./wasm/loader.js";
import { geluBackwardWasm, geluForwardWasm } from "./wasm/gelu.js";

export type GeluForm = "exact" | "tanh";

/** erfc(z) for z ≥ 0 from the Chebyshev fit of Numerical Recipes (fractional error < 1.2e-7, below float32 resolution). */
function erfcFit(z: number): number {
  // erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2)
  const t = 1 / (1 + 0.5 * z);
  return t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}

/** erf by the same fit: erf(x) = ±(1 − erfc(|x|)). */
export function erf(x: number): number {
  const r = erfcFit(Math.abs(x));
  return x >= 0 ? 1 - r : r - 1;
}

/** Φ(x) = ½(1 + erf(x/√2)) = ½·erfc(|x|/√2) for x < 0, 1 − ½·erfc(|x|/√2) otherwise. */
function phi(x: number): number {
  const h = 0.5 * erfcFit(Math.abs(x) / Math.SQRT2);
  return x < 0 ? h : 1 - h;
}
const SQRT_2_PI = Math.sqrt(2 / Math.PI), CUBIC = 0.044715;
/** σ(2u) = ½(1 + tanh u) of the tanh form. */
const halfOnePlusTanh = (x: number) => logistic(2 * SQRT_2_PI * (x + CUBIC * x * x * x));

/** gelu(x), exact form. */
export const geluExact = (x: number) => x * phi(x);
/** gelu′(x), exact form. */
export const geluExactDerivative = (x: number) => phi(x) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
/** gelu(x), tanh form. */
export const geluTanh = (x: number) => x * halfOnePlusTanh(x);
/** gelu′(x), tanh form. */
export function geluTanhDerivative(x: number): number {
  const s = halfOnePlusTanh(x);
  return s + 2 * x * s * (1 - s) * SQRT_2_PI * (1 + 3 * CUBIC * x * x);
}

/** y = gelu(x) elementwise (plain JS: the reference of the WebAssembly kernel). */
export function geluForwardReference(x: Float32Array, y: Float32Array, form: GeluForm): void {
  const f = form === "tanh" ? geluTanh : geluExact;
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
}

/** dx = g ∘ gelu′(x) elementwise (plain JS: the reference of the WebAssembly kernel). */
export function geluBackwardReference(x: Float32Array, g: Float32Array, dx: Float32Array, form: GeluForm): void {
  const d = form === "tanh" ? geluTanhDerivative : geluExactDerivative;
  for (let i = 0; i < x.length; i++) dx[i] = g[i] * d(x[i]);
}

/**
 * Below this many elements the reference runs: copying into the kernels' memory and back costs more than it
 * saves. Measured on one thread: 1024 elements (a decoding step's feed-forward row) take ~55 µs in the reference
 * and ~9 µs in the kernel, copies included; 32 take ~1 µs against ~0.5 µs, 8 ~0.25 µs against ~0.4 µs.
 */
const WASM_MIN = 32;

export const geluForward: typeof geluForwardReference = (x, y, form) =>
  (x.length >= WASM_MIN && wasmUsable() ? geluForwardWasm : geluForwardReference)(x, y, form);

export const geluBackward: typeof geluBackwardReference = (x, g, dx, form) =>
  (x.length >= WASM_MIN && wasmUsable() ? geluBackwardWasm : geluBackwardReference)(x, g, dx, form);
