import type { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { ParameterFreeLayer } from "./simpleLayer.js";
declare const FUNCTIONS: {
    readonly softmaxLayer: (x: Tensor) => Tensor;
    readonly reluLayer: (x: import("../tensor/tensor.js").TensorLike) => Tensor;
    readonly geluLayer: (x: import("../tensor/tensor.js").TensorLike) => Tensor;
    readonly tanhLayer: (x: import("../tensor/tensor.js").TensorLike) => Tensor;
    readonly sigmoidLayer: (x: import("../tensor/tensor.js").TensorLike) => Tensor;
};
export type ActivationKind = keyof typeof FUNCTIONS;
/** An elementwise activation as a layer (softmax over the last axis, relu, gelu, tanh, sigmoid); port in → out, same shape. */
export declare class ActivationLayer extends ParameterFreeLayer {
    readonly kind: ActivationKind;
    constructor(kind: ActivationKind, options?: {
        name?: string;
    });
    protected channelsOut(channelsIn: number): number;
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/** MATLAB softmaxLayer: softmax over the channels (last axis), so a net's output is class probabilities. */
export declare const softmaxLayer: (options?: {
    name?: string;
}) => ActivationLayer;
/** MATLAB reluLayer: max(x, 0) elementwise. */
export declare const reluLayer: (options?: {
    name?: string;
}) => ActivationLayer;
/** MATLAB geluLayer: x·Φ(x) elementwise (the exact form). */
export declare const geluLayer: (options?: {
    name?: string;
}) => ActivationLayer;
/** MATLAB tanhLayer: tanh(x) elementwise. */
export declare const tanhLayer: (options?: {
    name?: string;
}) => ActivationLayer;
/** MATLAB sigmoidLayer: 1 / (1 + e^−x) elementwise. */
export declare const sigmoidLayer: (options?: {
    name?: string;
}) => ActivationLayer;
export {};
