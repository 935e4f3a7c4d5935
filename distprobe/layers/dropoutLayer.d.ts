import type { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { ParameterFreeLayer } from "./simpleLayer.js";
/** Inverted dropout in training (kept values scaled by 1/(1 − p)), the identity otherwise; same shape in and out. */
export declare class DropoutLayer extends ParameterFreeLayer {
    readonly kind = "dropoutLayer";
    readonly probability: number;
    constructor(probability?: number, options?: {
        name?: string;
    });
    protected channelsOut(channelsIn: number): number;
    protected compute(x: Tensor, lengths: readonly number[] | undefined, context: ForwardContext): NetValue;
    config(): LayerConfig;
}
/** MATLAB dropoutLayer(probability = 0.5): zeroes each value with that probability while training. */
export declare function dropoutLayer(probability?: number, options?: {
    name?: string;
}): DropoutLayer;
