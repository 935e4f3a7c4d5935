import { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
export interface LayerNormalizationLayerOptions {
    epsilon?: number;
    name?: string;
}
/** Normalizes each position over its channels, then scales and offsets them (learned scale and offset [C]). */
export declare class LayerNormalizationLayer extends SimpleLayer {
    readonly kind = "layerNormalizationLayer";
    readonly epsilon: number;
    numChannels: number | "auto";
    protected readonly parameterNames: readonly ["scale", "offset"];
    constructor(options?: LayerNormalizationLayerOptions);
    protected parameterShape(): number[] | undefined;
    protected initialValue(name: string, shape: number[]): Tensor;
    protected setSizes(sizes: Record<string, number>): void;
    protected parameterRank(_name: string): number;
    protected inferSizesFrom(_name: string, shape: readonly number[]): void;
    protected saveSizes(): () => void;
    protected channelsOut(channelsIn: number): number;
    parameterFactors(name: string): {
        learnRate: number;
        l2: number;
    };
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/** MATLAB layerNormalizationLayer(options): (x − mean)/√(var + ε)·scale + offset over the last axis. */
export declare function layerNormalizationLayer(options?: LayerNormalizationLayerOptions): LayerNormalizationLayer;
