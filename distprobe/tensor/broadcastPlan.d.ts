import { type Shape } from "./shape.js";
export interface OperandWalk {
    innerStep: 0 | 1;
    outerStep: number;
}
export interface BroadcastPlan {
    outer: number;
    inner: number;
    walks: OperandWalk[];
}
/** The [outer, inner] plan for operands of the given shapes broadcasting to `out`, or null. */
export declare function broadcastPlan(shapes: readonly Shape[], out: Shape): BroadcastPlan | null;
/**
 * Sums `grad` (laid out like the output of `plan`) back to the operand that walked it, adding in
 * output order into a float32 accumulator, exactly as the general reduceToShape does.
 */
export declare function reduceByWalk(grad: Float32Array, plan: BroadcastPlan, walk: OperandWalk, size: number, sameShapeAsOut: boolean): Float32Array;
