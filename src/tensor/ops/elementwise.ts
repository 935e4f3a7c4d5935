// Elementwise ops with NumPy broadcasting. Each op states its derivative next to its forward.
import { logistic } from "../../kernels/logistic.js";
import { record } from "../autodiff.js";
import { broadcastIndex, broadcastShapes, sameShape, sizeOf } from "../shape.js";
import { Tensor, checkSize, uncheckedTensor, type TensorLike, asTensor } from "../tensor.js";
import { reduceToShape } from "./reduceToShape.js";
import { broadcastPlan, reduceByWalk, type BroadcastPlan, type OperandWalk } from "../broadcastPlan.js";

type Operand = TensorLike;

const operand = (x: Operand, where: string): Tensor => asTensor(x, where);

/**
 * A binary op. `f`, `da`, `db` are its scalar rule and partial derivatives ∂z/∂a, ∂z/∂b at (a, b, z); the
 * general path (any broadcast) calls them per element. The loops below do the same arithmetic over a
 * broadcast plan (see broadcastPlan.ts), without index maps or calls per element or per run:
 *   run:   z[o, i] = f(a[o·aOut + i·sa], b[o·bOut + i·sb])
 *   gradA: out[o, i] = g[o, i] · ∂z/∂a, likewise gradB; null where the derivative is 1 (the gradient is g).
 */
interface BinaryOp {
  name: string;
  f: (a: number, b: number) => number;
  da: (a: number, b: number, z: number) => number;
  db: (a: number, b: number, z: number) => number;
  run: Loop;
  gradA: GradLoop | null;
  gradB: GradLoop | null;
}
/** The output as [outer, inner] and each operand's steps along inner and outer. */
interface Walk { outer: number; inner: number; sa: number; aOut: number; sb: number; bOut: number }
type Loop = (z: Float32Array, a: Float32Array, b: Float32Array, w: Walk) => void;
type GradLoop = (out: Float32Array, g: Float32Array, a: Float32Array, b: Float32Array, w: Walk) => void;

const ADD: BinaryOp = {
  name: "add", f: (x, y) => x + y, da: () => 1, db: () => 1,
  run: (z, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) z[zo + i] = a[ao + i * sa] + b[bo + i * sb];
    }
  },
  gradA: null,
  gradB: null,
};
const SUB: BinaryOp = {
  name: "sub", f: (x, y) => x - y, da: () => 1, db: () => -1,
  run: (z, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) z[zo + i] = a[ao + i * sa] - b[bo + i * sb];
    }
  },
  gradA: null,
  gradB: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = -g[zo + i];
    }
  },
};
const MUL: BinaryOp = {
  name: "mul", f: (x, y) => x * y, da: (_, y) => y, db: (x) => x,
  run: (z, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) z[zo + i] = a[ao + i * sa] * b[bo + i * sb];
    }
  },
  gradA: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * b[bo + i * sb];
    }
  },
  gradB: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * a[ao + i * sa];
    }
  },
};
const DIV: BinaryOp = {
  name: "div", f: (x, y) => x / y, da: (_, y) => 1 / y, db: (x, y) => -x / (y * y),
  run: (z, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) z[zo + i] = a[ao + i * sa] / b[bo + i * sb];
    }
  },
  gradA: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * (1 / b[bo + i * sb]);
    }
  },
  gradB: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * (-a[ao + i * sa] / (b[bo + i * sb] * b[bo + i * sb]));
    }
  },
};
// max(a, b) as torch.maximum: NaN if either operand is NaN, a on ties (so max(−0, +0) = −0, as in PyTorch;
// Math.max would give +0). Its partial derivatives are PyTorch's (derivatives.yaml, maximum):
//   ∂z/∂a = 1 where a > b, 0 where a < b, ½ on a tie (a = b), and 1 where a or b is NaN; ∂z/∂b likewise,
// so a tie splits the incoming gradient in halves and at a NaN both operands receive all of it.
const maxOf = (x: number, y: number) => (x >= y || x !== x ? x : y);
const largerShare = (x: number, y: number) => (x > y ? 1 : x < y ? 0 : x === y ? 0.5 : 1);
const MAXIMUM: BinaryOp = {
  name: "maximum", f: maxOf, da: (x, y) => largerShare(x, y), db: (x, y) => largerShare(y, x),
  run: (z, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) z[zo + i] = maxOf(a[ao + i * sa], b[bo + i * sb]);
    }
  },
  gradA: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * largerShare(a[ao + i * sa], b[bo + i * sb]);
    }
  },
  gradB: (out, g, a, b, w) => {
    const { outer, inner, sa, aOut, sb, bOut } = w;
    for (let o = 0; o < outer; o++) {
      const zo = o * inner, ao = o * aOut, bo = o * bOut;
      for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * largerShare(b[bo + i * sb], a[ao + i * sa]);
    }
  },
};

/** z = op(a, b) elementwise with broadcasting; gradients of broadcast inputs are summed back to their shapes. */
function binary(op: BinaryOp, x: Operand, y: Operand): Tensor {
  const where = `ops.${op.name}`;
  const a = operand(x, where), b = operand(y, where);
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape, where);
  checkSize(shape, where);
  const plan = broadcastPlan([a.shape, b.shape], shape);
  return plan ? binaryOnPlan(op, a, b, shape, plan) : binaryGeneral(op, a, b, shape);
}

/** The fast path: loops over the [outer, inner] plan. */
function binaryOnPlan(op: BinaryOp, a: Tensor, b: Tensor, shape: number[], plan: BroadcastPlan): Tensor {
  const { outer, inner } = plan, [wa, wb] = plan.walks;
  const walk: Walk = { outer, inner, sa: wa.innerStep, aOut: wa.outerStep, sb: wb.innerStep, bOut: wb.outerStep };
  const n = outer * inner, A = a.data, Bd = b.data;
  const out = new Float32Array(n);
  op.run(out, A, Bd, walk);
  const z = uncheckedTensor(out, shape);
  record([z], [a, b], ([g], needs) => {
    const grad = (loop: GradLoop | null, operandWalk: OperandWalk, operandShape: readonly number[]): Float32Array => {
      let full = g!;
      if (loop) {
        full = new Float32Array(n);
        loop(full, g!, A, Bd, walk);
      }
      return reduceByWalk(full, plan, operandWalk, sizeOf(operandShape), sameShape(operandShape, shape));
    };
    return [needs[0] ? grad(op.gradA, wa, a.shape) : null, needs[1] ? grad(op.gradB, wb, b.shape) : null];
  });
  return z;
}

/** The general path (the reference for the fast one): an index map per broadcast operand. */
function binaryGeneral(op: BinaryOp, a: Tensor, b: Tensor, shape: number[]): Tensor {
  const { f, da, db } = op;
  const n = sizeOf(shape);
  const ia = a.size === n ? null : broadcastIndex(a.shape, shape);
  const ib = b.size === n ? null : broadcastIndex(b.shape, shape);
  const out = new Float32Array(n);
  const A = a.data, Bd = b.data;
  for (let i = 0; i < n; i++) out[i] = f(A[ia ? ia[i] : i], Bd[ib ? ib[i] : i]);
  const z = uncheckedTensor(out, shape);
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

const BINARY_OPS = { add: ADD, sub: SUB, mul: MUL, div: DIV, maximum: MAXIMUM } as const;

/** The general path of a binary op on any operands, for testing the fast path against it. */
export function binaryReference(name: keyof typeof BINARY_OPS, x: Operand, y: Operand): Tensor {
  const op = BINARY_OPS[name];
  const a = operand(x, `ops.${name}`), b = operand(y, `ops.${name}`);
  return binaryGeneral(op, a, b, broadcastShapes(a.shape, b.shape, `ops.${name}`));
}

/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export const add = (a: Operand, b: Operand) => binary(ADD, a, b);
/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export const sub = (a: Operand, b: Operand) => binary(SUB, a, b);
/** a · b;  ∂/∂a = b, ∂/∂b = a */
export const mul = (a: Operand, b: Operand) => binary(MUL, a, b);
/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² */
export const div = (a: Operand, b: Operand) => binary(DIV, a, b);
/** max(a, b) as torch.maximum: NaN if either is NaN;  ∂/∂a = 1 where a > b, ½ on ties, 1 at NaN (∂/∂b likewise) */
export const maximum = (a: Operand, b: Operand) => binary(MAXIMUM, a, b);

/**
 * A unary op: y = f(x), dy/dx = df(x, y), with an optional constant c (scale). The general path calls
 * f and df per element; ops that training uses a lot also have loops doing the same arithmetic inline
 * (one loop per op, so no call per element):  run: y[i] = f(x[i]);  grad: gx[i] = g[i] · df(x[i], y[i]).
 */
interface UnaryOp {
  name: string;
  f: (x: number, c: number) => number;
  df: (x: number, y: number, c: number) => number;
  run?: (y: Float32Array, x: Float32Array, n: number, c: number) => void;
  grad?: (gx: Float32Array, g: Float32Array, x: Float32Array, y: Float32Array, n: number, c: number) => void;
}

/** σ(x) without overflow: 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) below */

const NEG: UnaryOp = {
  name: "neg", f: (v) => -v, df: () => -1,
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = -x[i]; },
  grad: (gx, g, _x, _y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * -1; },
};
const EXP: UnaryOp = {
  name: "exp", f: Math.exp, df: (_, y) => y,
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); },
  grad: (gx, g, _x, y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * y[i]; },
};
const LOG: UnaryOp = {
  name: "log", f: Math.log, df: (v) => 1 / v,
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = Math.log(x[i]); },
  grad: (gx, g, x, _y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (1 / x[i]); },
};
const SQRT: UnaryOp = {
  name: "sqrt", f: Math.sqrt, df: (_, y) => 0.5 / y,
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); },
  grad: (gx, g, _x, y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (0.5 / y[i]); },
};
const SQUARE: UnaryOp = {
  name: "square", f: (v) => v * v, df: (v) => 2 * v,
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = x[i] * x[i]; },
  grad: (gx, g, x, _y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (2 * x[i]); },
};
const TANH: UnaryOp = {
  name: "tanh", f: Math.tanh, df: (_, y) => 1 - y * y,
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); },
  grad: (gx, g, _x, y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (1 - y[i] * y[i]); },
};
const SIGMOID: UnaryOp = {
  name: "sigmoid", f: logistic, df: (_, y) => y * (1 - y),
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = logistic(x[i]); },
  grad: (gx, g, _x, y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (y[i] * (1 - y[i])); },
};
const RELU: UnaryOp = {
  name: "relu", f: (v) => (v > 0 ? v : 0), df: (v) => (v > 0 ? 1 : 0),
  run: (y, x, n) => { for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0; },
  grad: (gx, g, x, _y, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (x[i] > 0 ? 1 : 0); },
};
const SCALE: UnaryOp = {
  name: "scale", f: (v, c) => v * c, df: (_v, _y, c) => c,
  run: (y, x, n, c) => { for (let i = 0; i < n; i++) y[i] = x[i] * c; },
  grad: (gx, g, _x, _y, n, c) => { for (let i = 0; i < n; i++) gx[i] = g[i] * c; },
};
const GELU: UnaryOp = {
  name: "gelu",
  f: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  df: (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI),
};

function unary(op: UnaryOp, x: Operand, c = 0, general = false): Tensor {
  const a = operand(x, `ops.${op.name}`);
  const n = a.size, A = a.data;
  const out = new Float32Array(n);
  const { f, df, run, grad } = op;
  if (run && !general) run(out, A, n, c);
  else for (let i = 0; i < n; i++) out[i] = f(A[i], c);
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const ga = new Float32Array(n);
    if (grad && !general) grad(ga, g!, A, out, n, c);
    else for (let i = 0; i < n; i++) ga[i] = g![i] * df(A[i], out[i], c);
    return [ga];
  });
  return y;
}

const UNARY_OPS = { neg: NEG, exp: EXP, log: LOG, sqrt: SQRT, square: SQUARE, tanh: TANH, sigmoid: SIGMOID, relu: RELU, scale: SCALE } as const;

/** The general path of a unary op (a call of f and df per element), for testing the loops against it. */
export function unaryReference(name: keyof typeof UNARY_OPS, x: Operand, c = 0): Tensor {
  return unary(UNARY_OPS[name], x, c, true);
}

/** −x */
export const neg = (x: Operand) => unary(NEG, x);
/** eˣ;  d/dx = eˣ */
export const exp = (x: Operand) => unary(EXP, x);
/** ln x;  d/dx = 1/x */
export const log = (x: Operand) => unary(LOG, x);
/** √x;  d/dx = 1/(2√x) */
export const sqrt = (x: Operand) => unary(SQRT, x);
/** x²;  d/dx = 2x */
export const square = (x: Operand) => unary(SQUARE, x);
/** tanh x;  d/dx = 1 − tanh² x */
export const tanh = (x: Operand) => unary(TANH, x);
/** σ(x) = 1/(1 + e⁻ˣ);  d/dx = σ(1 − σ) */
export const sigmoid = (x: Operand) => unary(SIGMOID, x);
/** max(0, x);  d/dx = [x > 0] */
export const relu = (x: Operand) => unary(RELU, x);

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
export const gelu = (x: Operand) => unary(GELU, x);

/** c · x for a constant c;  d/dx = c */
export const scale = (x: Operand, c: number) => unary(SCALE, x, c);
