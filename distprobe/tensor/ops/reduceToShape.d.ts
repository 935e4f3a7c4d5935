import { type Shape } from "../shape.js";
export declare function reduceToShape(grad: Float32Array, fromShape: Shape, toShape: Shape): Float32Array;
/** The general path (an index map), the reference for the fast one. */
export declare function reduceToShapeGeneral(grad: Float32Array, fromShape: Shape, toShape: Shape): Float32Array;
