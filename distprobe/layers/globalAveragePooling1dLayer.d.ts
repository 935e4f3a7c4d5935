import type { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { ParameterFreeLayer } from "./simpleLayer.js";
/** Mean over the time axis of each sequence, padding excluded: [.., T, C] → [.., C]. */
export declare class GlobalAveragePooling1dLayer extends ParameterFreeLayer {
    readonly kind = "globalAveragePooling1dLayer";
    constructor(options?: {
        name?: string;
    });
    protected channelsOut(channelsIn: number): number;
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/** MATLAB globalAveragePooling1dLayer: the mean over each sequence's valid time steps, [B, T, C] → [B, C]. */
export declare function globalAveragePooling1dLayer(options?: {
    name?: string;
}): GlobalAveragePooling1dLayer;
