// Sums a gradient of a broadcast result back to the shape of the operand that was broadcast.
import { broadcastPlan, reduceByWalk } from "../broadcastPlan.js";
import { broadcastIndex, sameShape, sizeOf, type Shape } from "../shape.js";
import { allocZeros } from "../../util/stepPool.js";

export function reduceToShape(grad: Float32Array, fromShape: Shape, toShape: Shape): Float32Array {
  if (sameShape(fromShape, toShape)) return grad;
  // rows (a weight shared over batch axes), columns and scalars: no index map
  const plan = broadcastPlan([toShape], fromShape);
  if (plan) return reduceByWalk(grad, plan, plan.walks[0], sizeOf(toShape), false);
  return reduceToShapeGeneral(grad, fromShape, toShape);
}

/** The general path (an index map), the reference for the fast one. */
export function reduceToShapeGeneral(grad: Float32Array, fromShape: Shape, toShape: Shape): Float32Array {
  const map = broadcastIndex(toShape, fromShape);
  const out = allocZeros(sizeOf(toShape));
  for (let i = 0; i < grad.length; i++) out[map[i]] += grad[i];
  return out;
}
