// Elementwise ops with NumPy broadcasting. Each op states its derivative next to its forward.
import { record } from "../autodiff.js";
import { broadcastIndex, broadcastShapes, sameShape, sizeOf } from "../shape.js";
import { Tensor, type TensorLike, asTensor } from "../tensor.js";
import { reduceToShape } from "./reduceToShape.js";

type Operand = TensorLike;

const operand = (x: Operand, where: string): Tensor => asTensor(x, where);

/**
 * z = f(a, b) elementwise with broadcasting; `da`/`db` give ∂z/∂a and ∂z/∂b at (a, b, z).
 * Gradients of broadcast inputs are summed back to their shapes.
 */
function binary(
  name: string, x: Operand, y: Operand,
  f: (a: number, b: number) => number,
  da: (a: number, b: number, z: number) => number,
  db: (a: number, b: number, z: number) => number,
): Tensor {
  const a = operand(x, `ops.${name}`), b = operand(y, `ops.${name}`);
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape, `ops.${name}`);
  const n = sizeOf(shape);
  const ia = a.size === n ? null : broadcastIndex(a.shape, shape);
  const ib = b.size === n ? null : broadcastIndex(b.shape, shape);
  const out = new Float32Array(n);
  const A = a.data, Bd = b.data;
  for (let i = 0; i < n; i++) out[i] = f(A[ia ? ia[i] : i], Bd[ib ? ib[i] : i]);
  const z = new Tensor(out, shape);
  record([z], [a, b], ([g], needs) => {
    const ga = needs[0] ? new Float32Array(n) : null;
    const gb = needs[1] ? new Float32Array(n) : null;
    for (let i = 0; i < n; i++) {
      const av = A[ia ? ia[i] : i], bv = Bd[ib ? ib[i] : i];
      if (ga) ga[i] = g![i] * da(av, bv, out[i]);
      if (gb) gb[i] = g![i] * db(av, bv, out[i]);
    }
    return [ga && reduceToShape(ga, shape, a.shape), gb && reduceToShape(gb, shape, b.shape)];
  });
  return z;
}

/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export const add = (a: Operand, b: Operand) => binary("add", a, b, (x, y) => x + y, () => 1, () => 1);
/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export const sub = (a: Operand, b: Operand) => binary("sub", a, b, (x, y) => x - y, () => 1, () => -1);
/** a · b;  ∂/∂a = b, ∂/∂b = a */
export const mul = (a: Operand, b: Operand) => binary("mul", a, b, (x, y) => x * y, (_, y) => y, (x) => x);
/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² */
export const div = (a: Operand, b: Operand) => binary("div", a, b, (x, y) => x / y, (_, y) => 1 / y, (x, y) => -x / (y * y));
/** max(a, b);  the gradient goes to the larger (to a on ties) */
export const maximum = (a: Operand, b: Operand) =>
  binary("maximum", a, b, (x, y) => (x >= y ? x : y), (x, y) => (x >= y ? 1 : 0), (x, y) => (x >= y ? 0 : 1));

/** y = f(x) elementwise; `df(x, y)` = dy/dx. */
function unary(name: string, x: Operand, f: (x: number) => number, df: (x: number, y: number) => number): Tensor {
  const a = operand(x, `ops.${name}`);
  const n = a.size, A = a.data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = f(A[i]);
  const y = new Tensor(out, a.shape);
  record([y], [a], ([g]) => {
    const ga = new Float32Array(n);
    for (let i = 0; i < n; i++) ga[i] = g![i] * df(A[i], out[i]);
    return [ga];
  });
  return y;
}

/** −x */
export const neg = (x: Operand) => unary("neg", x, (v) => -v, () => -1);
/** eˣ;  d/dx = eˣ */
export const exp = (x: Operand) => unary("exp", x, Math.exp, (_, y) => y);
/** ln x;  d/dx = 1/x */
export const log = (x: Operand) => unary("log", x, Math.log, (v) => 1 / v);
/** √x;  d/dx = 1/(2√x) */
export const sqrt = (x: Operand) => unary("sqrt", x, Math.sqrt, (_, y) => 0.5 / y);
/** x²;  d/dx = 2x */
export const square = (x: Operand) => unary("square", x, (v) => v * v, (v) => 2 * v);
/** tanh x;  d/dx = 1 − tanh² x */
export const tanh = (x: Operand) => unary("tanh", x, Math.tanh, (_, y) => 1 - y * y);
/** σ(x) = 1/(1 + e⁻ˣ);  d/dx = σ(1 − σ) */
export const sigmoid = (x: Operand) =>
  unary("sigmoid", x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))), (_, y) => y * (1 - y));
/** max(0, x);  d/dx = [x > 0] */
export const relu = (x: Operand) => unary("relu", x, (v) => (v > 0 ? v : 0), (v) => (v > 0 ? 1 : 0));

/** erf from the Chebyshev fit of Numerical Recipes' erfc (fractional error < 1.2e-7, below float32 resolution). */
export function erf(x: number): number {
  // erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2), z = |x|
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** GELU, exact form x·Φ(x) (MATLAB geluLayer's default);  d/dx = Φ(x) + x·φ(x) */
export const gelu = (x: Operand) =>
  unary(
    "gelu", x,
    (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
    (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI),
  );

/** c · x for a constant c;  d/dx = c */
export const scale = (x: Operand, c: number) => unary("scale", x, (v) => v * c, () => c);

