// Sums a gradient of a broadcast result back to the shape of the operand that was broadcast.
import { broadcastIndex, sameShape, sizeOf, type Shape } from "../shape.js";

export function reduceToShape(grad: Float32Array, fromShape: Shape, toShape: Shape): Float32Array {
  if (sameShape(fromShape, toShape)) return grad;
  const map = broadcastIndex(toShape, fromShape);
  const out = new Float32Array(sizeOf(toShape));
  for (let i = 0; i < grad.length; i++) out[map[i]] += grad[i];
  return out;
}
