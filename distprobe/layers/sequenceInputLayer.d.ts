import { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { ParameterFreeLayer } from "./simpleLayer.js";
/** Options of sequenceInputLayer: normalization ("none" or "zscore" with statistics from the training data), mean, standardDeviation, name. */
export interface SequenceInputLayerOptions {
    normalization?: "none" | "zscore";
    mean?: number[];
    standardDeviation?: number[];
    name?: string;
}
/** The input of a sequence net: declares the channel count C and optionally z-scores each channel. */
export declare class SequenceInputLayer extends ParameterFreeLayer {
    readonly kind = "sequenceInputLayer";
    readonly inputSize: number;
    readonly normalization: "none" | "zscore";
    mean?: Float32Array;
    standardDeviation?: Float32Array;
    constructor(inputSize: number, options?: SequenceInputLayerOptions);
    /** Sets the z-score statistics (one value per channel). */
    setStatistics(mean: ArrayLike<number>, standardDeviation: ArrayLike<number>): void;
    exampleRank(): number;
    get needsStatistics(): boolean;
    protected channelsOut(channelsIn: number): number;
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/**
 * MATLAB sequenceInputLayer(inputSize, options): sequences [T, inputSize] enter the net here.
 * @example sequenceInputLayer(12, { normalization: "zscore" })
 */
export declare function sequenceInputLayer(inputSize: number, options?: SequenceInputLayerOptions): SequenceInputLayer;
