import { Random } from "../tensor/random.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { type Initializer } from "./initializers.js";
import type { ForwardContext, LayerConfig, NetValue, ParameterFactors } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
/** Options of fullyConnectedLayer: bias on/off, input size, initializers, initial weights [out, in] and bias, learn-rate and L2 factors, name. */
export interface FullyConnectedLayerOptions {
    inputSize?: number | "auto";
    weightsInitializer?: Initializer;
    biasInitializer?: Initializer;
    weights?: TensorLike;
    bias?: TensorLike;
    /** false: no bias parameter (for scoring nets such as wᵀ tanh(W₁k + W₂q)) */
    hasBias?: boolean;
    weightLearnRateFactor?: number;
    biasLearnRateFactor?: number;
    weightL2Factor?: number;
    biasL2Factor?: number;
    name?: string;
}
/** y = x·Wᵀ + b over the last axis: [.., inputSize] → [.., outputSize], W [outputSize, inputSize]. */
export declare class FullyConnectedLayer extends SimpleLayer {
    readonly kind = "fullyConnectedLayer";
    readonly outputSize: number;
    inputSize: number | "auto";
    readonly hasBias: boolean;
    protected readonly parameterNames: readonly string[];
    private readonly options;
    constructor(outputSize: number, options?: FullyConnectedLayerOptions);
    protected parameterShape(name: string): number[] | undefined;
    protected initialValue(name: string, shape: number[], random: Random): Tensor;
    protected setSizes(sizes: Record<string, number>): void;
    protected parameterRank(name: string): number;
    protected inferSizesFrom(name: string, shape: readonly number[]): void;
    protected saveSizes(): () => void;
    protected channelsOut(channelsIn: number): number;
    parameterFactors(name: string): ParameterFactors;
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/**
 * MATLAB fullyConnectedLayer(outputSize, options): a dense map of the channels.
 * @example fullyConnectedLayer(9).apply(tensor([[1, 2, 3]])) // [1, 9]
 */
export declare function fullyConnectedLayer(outputSize: number, options?: FullyConnectedLayerOptions): FullyConnectedLayer;
