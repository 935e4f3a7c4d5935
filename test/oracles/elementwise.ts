// Oracles of the elementwise ops' loops. binaryReference runs every shape through the general path (an
// index map per operand, a call of the rule per element); unaryReference is the plainest loop over the same
// rule, one autodiff node. The ops' specialised loops must agree with them to the bit.
import { record } from "../../src/tensor/autodiff.js";
import { BINARY_RULES, UNARY_RULES, binaryGeneral } from "../../src/tensor/ops/elementwise.js";
import { broadcastShapes } from "../../src/tensor/shape.js";
import { asTensor, uncheckedTensor, type Tensor, type TensorLike } from "../../src/tensor/tensor.js";

export function binaryReference(name: keyof typeof BINARY_RULES, x: TensorLike, y: TensorLike): Tensor {
  const a = asTensor(x, `ops.${name}`), b = asTensor(y, `ops.${name}`);
  return binaryGeneral(BINARY_RULES[name], a, b, broadcastShapes(a.shape, b.shape, `ops.${name}`));
}

/** y = f(x, c) per element; dy/dx = g · df(x, y, c) per element. */
export function unaryReference(name: keyof typeof UNARY_RULES, x: TensorLike, c = 0): Tensor {
  const { f, df } = UNARY_RULES[name];
  const a = asTensor(x, `ops.${name}`);
  const y = uncheckedTensor(a.data.map((v) => f(v, c)), a.shape);
  record([y], [a], ([g]) => [g!.map((gi, i) => gi * df(a.data[i], y.data[i], c))]);
  return y;
}
