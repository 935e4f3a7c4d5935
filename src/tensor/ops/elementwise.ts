// Elementwise ops with NumPy broadcasting. Each op is one table entry: its scalar rule beside its derivative.
// Generic loops apply the rules; each op runs its own copy of them (see `specialise`), so the rule is inlined.
import { geluBackward, geluExact, geluExactDerivative, geluForward, type GeluForm } from "../../kernels/gelu.js";
import { logistic } from "../../kernels/logistic.js";
import { record } from "../autodiff.js";
import { broadcastIndex, broadcastShapes, sameShape, sizeOf } from "../shape.js";
import { Tensor, checkSize, uncheckedTensor, type TensorLike, asTensor } from "../tensor.js";
import { reduceToShape } from "./reduceToShape.js";
import { broadcastPlan, reduceByWalk, type BroadcastPlan, type OperandWalk } from "../broadcastPlan.js";
import { allocFloats } from "../../util/stepPool.js";

type Operand = TensorLike;

const operand = (x: Operand, where: string): Tensor => asTensor(x, where);

/** A partial derivative at (a, b), or 1 where it is 1 (the gradient then passes through as it is). */
type BinaryPartial = ((a: number, b: number) => number) | 1;
/** A binary rule: z = f(a, b), with ∂z/∂a = da(a, b), ∂z/∂b = db(a, b). */
export interface BinaryRule { f: (a: number, b: number) => number; da: BinaryPartial; db: BinaryPartial }
/** A unary rule: y = f(x, c), dy/dx = df(x, y, c), for a constant c (scale's factor; unused by the others). */
export interface UnaryRule { f: (x: number, c: number) => number; df: (x: number, y: number, c: number) => number }

// max(a, b) as torch.maximum: NaN if either operand is NaN, a on ties (so max(−0, +0) = −0, as in PyTorch;
// Math.max would give +0). Its partial derivatives are PyTorch's (derivatives.yaml, maximum):
//   ∂z/∂a = 1 where a > b, 0 where a < b, ½ on a tie (a = b), and 1 where a or b is NaN; ∂z/∂b likewise,
// so a tie splits the incoming gradient in halves and at a NaN both operands receive all of it.
const maxOf = (x: number, y: number) => (x >= y || x !== x ? x : y);
const largerShare = (x: number, y: number) => (x > y ? 1 : x < y ? 0 : x === y ? 0.5 : 1);

export const BINARY_RULES = {
  add: { f: (a, b) => a + b, da: 1, db: 1 },
  sub: { f: (a, b) => a - b, da: 1, db: () => -1 },
  mul: { f: (a, b) => a * b, da: (_, b) => b, db: (a) => a },
  div: { f: (a, b) => a / b, da: (_, b) => 1 / b, db: (a, b) => -a / (b * b) },
  maximum: { f: maxOf, da: largerShare, db: (a, b) => largerShare(b, a) },
} satisfies Record<string, BinaryRule>;

export const UNARY_RULES = {
  neg: { f: (x) => -x, df: () => -1 },
  exp: { f: Math.exp, df: (_, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  sqrt: { f: Math.sqrt, df: (_, y) => 0.5 / y },
  square: { f: (x) => x * x, df: (x) => 2 * x },
  tanh: { f: Math.tanh, df: (_, y) => 1 - y * y },
  sigmoid: { f: logistic, df: (_, y) => y * (1 - y) },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  gelu: { f: geluExact, df: geluExactDerivative }, // x·Φ(x); Φ(x) + x·φ(x) (../../kernels/gelu.ts)
  scale: { f: (x, c) => x * c, df: (_x, _y, c) => c },
} satisfies Record<string, UnaryRule>;

// The generic loops. A broadcast plan (broadcastPlan.ts) views the output as [outer, inner]; each operand
// is read at o·out + i·step:
//   onWalk:      z[o, i] = f(a[o·aOut + i·sa], b[o·bOut + i·sb])
//   partialWalk: out[o, i] = g[o, i] · d(a[…], b[…])          (∂z/∂a or ∂z/∂b times the incoming gradient)
//   unaryLoop:   y[i] = f(x[i], c);   unaryPartial: gx[i] = g[i] · df(x[i], y[i], c)
// They use nothing but their arguments, so `specialise` can copy them from their source.
/** The output as [outer, inner] and each operand's steps along inner and outer. */
interface Walk { outer: number; inner: number; sa: number; aOut: number; sb: number; bOut: number }

function onWalk(f: (a: number, b: number) => number, z: Float32Array, a: Float32Array, b: Float32Array, w: Walk): void {
  const { outer, inner, sa, aOut, sb, bOut } = w;
  for (let o = 0; o < outer; o++) {
    const zo = o * inner, ao = o * aOut, bo = o * bOut;
    for (let i = 0; i < inner; i++) z[zo + i] = f(a[ao + i * sa], b[bo + i * sb]);
  }
}

function partialWalk(d: (a: number, b: number) => number, out: Float32Array, g: Float32Array, a: Float32Array, b: Float32Array, w: Walk): void {
  const { outer, inner, sa, aOut, sb, bOut } = w;
  for (let o = 0; o < outer; o++) {
    const zo = o * inner, ao = o * aOut, bo = o * bOut;
    for (let i = 0; i < inner; i++) out[zo + i] = g[zo + i] * d(a[ao + i * sa], b[bo + i * sb]);
  }
}

function unaryLoop(f: (x: number, c: number) => number, y: Float32Array, x: Float32Array, n: number, c: number): void {
  for (let i = 0; i < n; i++) y[i] = f(x[i], c);
}

function unaryPartial(df: (x: number, y: number, c: number) => number, gx: Float32Array, g: Float32Array, x: Float32Array, y: Float32Array, n: number, c: number): void {
  for (let i = 0; i < n; i++) gx[i] = g[i] * df(x[i], y[i], c);
}

const canGenerateCode = (() => {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
})();

/**
 * A copy of a generic loop for one op. In a loop shared by every op, the call of the rule sees all rules and
 * the engine inlines none (measured: ops.add on 1e6 elements ~6× slower than a written-out loop); a copy
 * compiled from the loop's source (named after the op, so no two copies share a compilation) has a call
 * site of its own that sees one rule and inlines it. Where generating code is refused (a
 * Content-Security-Policy without 'unsafe-eval'), the shared loop runs: the same arithmetic, slower.
 */
function specialise<F extends (...args: never[]) => void>(loop: F, op: string): F {
  return canGenerateCode ? (new Function(`return ${loop.toString()} // ${op}`)() as F) : loop;
}

/** A binary op: its rule, and its loops specialised to it (null where the partial is 1). */
interface BinaryOp {
  name: string;
  rule: BinaryRule;
  run: typeof onWalk;
  gradA: typeof partialWalk | null;
  gradB: typeof partialWalk | null;
}

const binaryOp = (name: keyof typeof BINARY_RULES): BinaryOp => {
  const rule: BinaryRule = BINARY_RULES[name];
  return {
    name, rule, run: specialise(onWalk, name),
    gradA: rule.da === 1 ? null : specialise(partialWalk, `${name} ∂a`),
    gradB: rule.db === 1 ? null : specialise(partialWalk, `${name} ∂b`),
  };
};

const BINARY_OPS = {
  add: binaryOp("add"), sub: binaryOp("sub"), mul: binaryOp("mul"), div: binaryOp("div"), maximum: binaryOp("maximum"),
};

/** z = op(a, b) elementwise with broadcasting; gradients of broadcast inputs are summed back to their shapes. */
function binary(op: BinaryOp, x: Operand, y: Operand): Tensor {
  const where = `ops.${op.name}`;
  const a = operand(x, where), b = operand(y, where);
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape, where);
  checkSize(shape, where);
  const plan = broadcastPlan([a.shape, b.shape], shape);
  return plan ? binaryOnPlan(op, a, b, shape, plan) : binaryGeneral(op.rule, a, b, shape);
}

/** The fast path: loops over the [outer, inner] plan. */
function binaryOnPlan(op: BinaryOp, a: Tensor, b: Tensor, shape: number[], plan: BroadcastPlan): Tensor {
  const { outer, inner } = plan, [wa, wb] = plan.walks;
  const walk: Walk = { outer, inner, sa: wa.innerStep, aOut: wa.outerStep, sb: wb.innerStep, bOut: wb.outerStep };
  const n = outer * inner, A = a.data, Bd = b.data;
  const out = allocFloats(n);
  op.run(op.rule.f, out, A, Bd, walk);
  const z = uncheckedTensor(out, shape);
  record([z], [a, b], ([g], needs) => {
    const grad = (loop: typeof partialWalk | null, d: BinaryPartial, operandWalk: OperandWalk, operandShape: readonly number[]): Float32Array => {
      let full = g!;
      if (loop && d !== 1) {
        full = allocFloats(n);
        loop(d, full, g!, A, Bd, walk);
      }
      return reduceByWalk(full, plan, operandWalk, sizeOf(operandShape), sameShape(operandShape, shape));
    };
    return [
      needs[0] ? grad(op.gradA, op.rule.da, wa, a.shape) : null,
      needs[1] ? grad(op.gradB, op.rule.db, wb, b.shape) : null,
    ];
  });
  return z;
}

/**
 * The general path (any broadcast): an index map per broadcast operand and a call of the rule per element.
 * Exported for the tests' oracle (test/oracles/elementwise.ts), which runs every shape through it.
 */
export function binaryGeneral(rule: BinaryRule, a: Tensor, b: Tensor, shape: number[]): Tensor {
  const { f, da, db } = rule;
  const n = sizeOf(shape);
  const ia = a.size === n ? null : broadcastIndex(a.shape, shape);
  const ib = b.size === n ? null : broadcastIndex(b.shape, shape);
  const out = allocFloats(n);
  const A = a.data, Bd = b.data;
  for (let i = 0; i < n; i++) out[i] = f(A[ia ? ia[i] : i], Bd[ib ? ib[i] : i]);
  const z = uncheckedTensor(out, shape);
  record([z], [a, b], ([g], needs) => {
    const ga = needs[0] ? allocFloats(n) : null;
    const gb = needs[1] ? allocFloats(n) : null;
    for (let i = 0; i < n; i++) {
      const av = A[ia ? ia[i] : i], bv = Bd[ib ? ib[i] : i];
      if (ga) ga[i] = da === 1 ? g![i] : g![i] * da(av, bv);
      if (gb) gb[i] = db === 1 ? g![i] : g![i] * db(av, bv);
    }
    return [ga && reduceToShape(ga, shape, a.shape), gb && reduceToShape(gb, shape, b.shape)];
  });
  return z;
}

/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export const add = (a: Operand, b: Operand) => binary(BINARY_OPS.add, a, b);
/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export const sub = (a: Operand, b: Operand) => binary(BINARY_OPS.sub, a, b);
/** a · b;  ∂/∂a = b, ∂/∂b = a */
export const mul = (a: Operand, b: Operand) => binary(BINARY_OPS.mul, a, b);
/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² */
export const div = (a: Operand, b: Operand) => binary(BINARY_OPS.div, a, b);
/** max(a, b) as torch.maximum: NaN if either is NaN;  ∂/∂a = 1 where a > b, ½ on ties, 1 at NaN (∂/∂b likewise) */
export const maximum = (a: Operand, b: Operand) => binary(BINARY_OPS.maximum, a, b);

/** A unary op: its rule, and its loops specialised to it. */
interface UnaryOp { name: string; rule: UnaryRule; run: typeof unaryLoop; grad: typeof unaryPartial }

const unaryOp = (name: keyof typeof UNARY_RULES): UnaryOp =>
  ({ name, rule: UNARY_RULES[name], run: specialise(unaryLoop, name), grad: specialise(unaryPartial, `${name} ∂x`) });

const UNARY_OPS = Object.fromEntries(Object.keys(UNARY_RULES).map((name) => [name, unaryOp(name as keyof typeof UNARY_RULES)])) as
  Record<keyof typeof UNARY_RULES, UnaryOp>;

function unary(op: UnaryOp, x: Operand, c = 0): Tensor {
  const a = operand(x, `ops.${op.name}`);
  const n = a.size, A = a.data;
  const { rule: { f, df }, run, grad } = op;
  const out = allocFloats(n);
  run(f, out, A, n, c);
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const ga = allocFloats(n);
    grad(df, ga, g!, A, out, n, c);
    return [ga];
  });
  return y;
}

/** −x */
export const neg = (x: Operand) => unary(UNARY_OPS.neg, x);
/** eˣ;  d/dx = eˣ */
export const exp = (x: Operand) => unary(UNARY_OPS.exp, x);
/** ln x;  d/dx = 1/x */
export const log = (x: Operand) => unary(UNARY_OPS.log, x);
/** √x;  d/dx = 1/(2√x) */
export const sqrt = (x: Operand) => unary(UNARY_OPS.sqrt, x);
/** x²;  d/dx = 2x */
export const square = (x: Operand) => unary(UNARY_OPS.square, x);
/** tanh x;  d/dx = 1 − tanh² x */
export const tanh = (x: Operand) => unary(UNARY_OPS.tanh, x);
/** σ(x) = 1/(1 + e⁻ˣ);  d/dx = σ(1 − σ) */
export const sigmoid = (x: Operand) => unary(UNARY_OPS.sigmoid, x);
/** max(0, x);  d/dx = [x > 0] */
export const relu = (x: Operand) => unary(UNARY_OPS.relu, x);

export { erf } from "../../kernels/gelu.js";

/**
 * GELU, exact form x·Φ(x) (MATLAB geluLayer's default), or with approximation "tanh" ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
 * (PyTorch's gelu(approximate="tanh")); the rules and their derivatives are in ../../kernels/gelu.ts, whose kernels
 * run them (WebAssembly, split across the threads, on large arrays).
 */
export function gelu(x: Operand, options: { approximation?: "none" | "tanh" } = {}): Tensor {
  const a = operand(x, "ops.gelu");
  const approximation = options?.approximation ?? "none";
  if (approximation !== "none" && approximation !== "tanh") throw new Error(`ops.gelu: approximation must be "none" or "tanh", got ${JSON.stringify(approximation)}`);
  const form: GeluForm = approximation === "tanh" ? "tanh" : "exact";
  const out = allocFloats(a.size);
  geluForward(a.data, out, form);
  const y = uncheckedTensor(out, a.shape);
  record([y], [a], ([g]) => {
    const gx = allocFloats(a.size);
    geluBackward(a.data, g!, gx, form);
    return [gx];
  });
  return y;
}

/** c · x for a constant c;  d/dx = c */
export const scale = (x: Operand, c: number) => unary(UNARY_OPS.scale, x, c);
