import { Tensor } from "./tensor.js";
/** Given the gradients of the outputs (null = no gradient), the gradients of the inputs (null = none). */
export type VectorJacobianProduct = (outputGrads: (Float32Array | null)[], needsGrad: boolean[]) => (Float32Array | null)[];
/** True while some input of a would-be node is traced (ops may skip bookkeeping otherwise). */
export declare function isTraced(t: Tensor): boolean;
/** Records an op for the backward pass; a no-op unless an input is traced. */
export declare function record(outputs: readonly Tensor[], inputs: readonly Tensor[], vjp: VectorJacobianProduct): void;
/**
 * Evaluates `f` (which must return a one-element tensor) and its gradient with respect to each
 * tensor of `wrt`. A tensor of `wrt` that `f` does not use gets a zero gradient.
 */
export declare function valueAndGrad(f: () => Tensor, wrt: readonly Tensor[]): {
    value: number;
    grads: Tensor[];
};
/** Like valueAndGrad, for callers that only need the gradients. */
export declare function grad(f: () => Tensor, wrt: readonly Tensor[]): Tensor[];
