import { Tensor, type TensorLike } from "../tensor.js";
type Operand = TensorLike;
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
interface Walk {
    outer: number;
    inner: number;
    sa: number;
    aOut: number;
    sb: number;
    bOut: number;
}
type Loop = (z: Float32Array, a: Float32Array, b: Float32Array, w: Walk) => void;
type GradLoop = (out: Float32Array, g: Float32Array, a: Float32Array, b: Float32Array, w: Walk) => void;
declare const BINARY_OPS: {
    readonly add: BinaryOp;
    readonly sub: BinaryOp;
    readonly mul: BinaryOp;
    readonly div: BinaryOp;
    readonly maximum: BinaryOp;
};
/** The general path of a binary op on any operands, for testing the fast path against it. */
export declare function binaryReference(name: keyof typeof BINARY_OPS, x: Operand, y: Operand): Tensor;
/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export declare const add: (a: Operand, b: Operand) => Tensor;
/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export declare const sub: (a: Operand, b: Operand) => Tensor;
/** a · b;  ∂/∂a = b, ∂/∂b = a */
export declare const mul: (a: Operand, b: Operand) => Tensor;
/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² */
export declare const div: (a: Operand, b: Operand) => Tensor;
/** max(a, b);  the gradient goes to the larger (to a on ties) */
export declare const maximum: (a: Operand, b: Operand) => Tensor;
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
declare const UNARY_OPS: {
    readonly neg: UnaryOp;
    readonly exp: UnaryOp;
    readonly log: UnaryOp;
    readonly sqrt: UnaryOp;
    readonly square: UnaryOp;
    readonly tanh: UnaryOp;
    readonly sigmoid: UnaryOp;
    readonly relu: UnaryOp;
    readonly scale: UnaryOp;
};
/** The general path of a unary op (a call of f and df per element), for testing the loops against it. */
export declare function unaryReference(name: keyof typeof UNARY_OPS, x: Operand, c?: number): Tensor;
/** −x */
export declare const neg: (x: Operand) => Tensor;
/** eˣ;  d/dx = eˣ */
export declare const exp: (x: Operand) => Tensor;
/** ln x;  d/dx = 1/x */
export declare const log: (x: Operand) => Tensor;
/** √x;  d/dx = 1/(2√x) */
export declare const sqrt: (x: Operand) => Tensor;
/** x²;  d/dx = 2x */
export declare const square: (x: Operand) => Tensor;
/** tanh x;  d/dx = 1 − tanh² x */
export declare const tanh: (x: Operand) => Tensor;
/** σ(x) = 1/(1 + e⁻ˣ);  d/dx = σ(1 − σ) */
export declare const sigmoid: (x: Operand) => Tensor;
/** max(0, x);  d/dx = [x > 0] */
export declare const relu: (x: Operand) => Tensor;
/** erf from the Chebyshev fit of Numerical Recipes' erfc (fractional error < 1.2e-7, below float32 resolution). */
export declare function erf(x: number): number;
/** GELU, exact form x·Φ(x) (MATLAB geluLayer's default);  d/dx = Φ(x) + x·φ(x) */
export declare const gelu: (x: Operand) => Tensor;
/** c · x for a constant c;  d/dx = c */
export declare const scale: (x: Operand, c: number) => Tensor;
export {};
