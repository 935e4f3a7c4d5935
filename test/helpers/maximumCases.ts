// The cases of ops.maximum's tests (test/unit/maximum.test.ts, test/integration/torchMaximum.test.ts): every
// kind of pair, and the op's values and gradients on them.
import { Tensor, ops, tensor, valueAndGrad } from "../../src/index.js";

// a > b, a NaN, b NaN, a < b, both NaN, a tie, ±0 tie, −∞ vs NaN, +∞ vs finite
export const A = [5, NaN, 2, 3, NaN, 1, -0, -Infinity, Infinity];
export const B = [4, 2, NaN, 4, NaN, 1, 0, NaN, 7];
export const G = A.map((_, i) => 10 ** i); // incoming gradient: every element's share is readable in the result

export function maximumAndGrads(op: (a: Tensor, b: Tensor) => Tensor, av: number[], bv: number[], g: number[]) {
  const a = tensor(av), b = tensor(bv);
  let z: Tensor | undefined;
  const { grads } = valueAndGrad(() => { z = op(a, b); return ops.sum(ops.mul(z, tensor(g))); }, [a, b]);
  return { z: [...z!.data], da: [...grads[0].data], db: [...grads[1].data] };
}
