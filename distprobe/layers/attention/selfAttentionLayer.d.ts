import { Random } from "../../tensor/random.js";
import { Tensor, type NestedArray, type OneOrList, type TensorLike } from "../../tensor/tensor.js";
import { type Initializer, type InitializerFunction } from "../initializers.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue, type ParameterFactors } from "../layer.js";
type BooleanArray = boolean[][] | boolean[][][] | number[][] | number[][][] | Tensor;
/** Options of selfAttentionLayer, MATLAB's name-value arguments in camelCase (sizes, masks, scores output, dropout, initializers, parameters, factors, name). */
export interface SelfAttentionLayerOptions {
    numValueChannels?: number | "auto";
    outputSize?: number | "auto";
    inputSize?: number | "auto";
    hasPaddingMaskInput?: boolean;
    attentionMask?: "none" | "causal" | BooleanArray;
    dropoutProbability?: number;
    hasScoresOutput?: boolean;
    weightsInitializer?: Initializer;
    biasInitializer?: "zeros" | "narrow-normal" | "ones" | InitializerFunction;
    queryWeights?: TensorLike;
    keyWeights?: TensorLike;
    valueWeights?: TensorLike;
    outputWeights?: TensorLike;
    queryBias?: TensorLike;
    keyBias?: TensorLike;
    valueBias?: TensorLike;
    outputBias?: TensorLike;
    weightLearnRateFactor?: number;
    biasLearnRateFactor?: number;
    weightL2Factor?: number;
    biasL2Factor?: number;
    name?: string;
}
/** Options of selfAttentionLayer's apply: training mode (dropout) and the dropout seed. */
export interface SelfAttentionApplyOptions {
    training?: boolean;
    /** dropout seed (default: drawn from the layer's own generator) */
    seed?: number;
    /** forwardBatch only: return the attention weights even without hasScoresOutput (for inspection) */
    returnScores?: boolean;
}
/** A batch as the layer computes it: x [B, T, C]; keys are limited by keyLengths and/or a padding mask [B, T]. */
export interface SelfAttentionBatch {
    x: Tensor;
    keyLengths?: readonly number[];
    paddingMask?: Tensor;
}
/** apply's result for one input: `out`, or `{ out, scores }` when the layer has hasScoresOutput (S = true). */
export type SelfAttentionResult<S extends boolean, A> = S extends true ? {
    out: A;
    scores: A;
} : A;
/** S: the layer's hasScoresOutput, so apply's result type follows it. */
export declare class SelfAttentionLayer<S extends boolean = boolean> extends Layer {
    readonly kind = "selfAttentionLayer";
    readonly numHeads: number;
    readonly numKeyChannels: number;
    readonly numValueChannels: number;
    private _inputSize;
    private requestedOutputSize;
    readonly hasPaddingMaskInput: boolean;
    readonly attentionMask: "none" | "causal" | Tensor;
    readonly dropoutProbability: number;
    readonly hasScoresOutput: S;
    readonly weightsInitializer: Initializer;
    readonly biasInitializer: "zeros" | "narrow-normal" | "ones" | InitializerFunction;
    readonly weightLearnRateFactor: number;
    readonly biasLearnRateFactor: number;
    readonly weightL2Factor: number;
    readonly biasL2Factor: number;
    protected readonly parameterNames: readonly ["queryWeights", "keyWeights", "valueWeights", "outputWeights", "queryBias", "keyBias", "valueBias", "outputBias"];
    private readonly dropoutSeeds;
    constructor(numHeads: number, numKeyChannels: number, options?: SelfAttentionLayerOptions);
    get inputSize(): number | "auto";
    get outputSize(): number | "auto";
    get numInputs(): number;
    get inputNames(): string[];
    get numOutputs(): number;
    get outputNames(): string[];
    protected parameterShape(name: string): number[] | undefined;
    protected initialValue(name: string, shape: number[], random: Random): Tensor;
    protected setSizes(sizes: Record<string, number>): void;
    protected parameterRank(name: string): number;
    protected inferSizesFrom(name: string, shape: readonly number[]): void;
    private fixInputSize;
    parameterFactors(name: string): ParameterFactors;
    /**
     * x [T, C] → out [T, O]; x [B, T, C] → out [B, T, O]; a list of [Tᵢ, C] → a list of [Tᵢ, O] (each
     * computed alone). With hasPaddingMaskInput pass { in: x, mask }; with hasScoresOutput the result is
     * { out, scores } with scores [B, H, T, T] ([H, T, T] for a single sequence).
     */
    apply(input: Tensor | {
        in: Tensor;
        mask?: TensorLike;
    }, options?: SelfAttentionApplyOptions): SelfAttentionResult<S, Tensor>;
    apply(input: readonly Tensor[] | {
        in: readonly Tensor[];
        mask?: readonly TensorLike[];
    }, options?: SelfAttentionApplyOptions): SelfAttentionResult<S, Tensor>[];
    apply(input: NestedArray[] | Float32Array | {
        in: NestedArray[] | Float32Array;
        mask?: TensorLike | readonly TensorLike[];
    }, options?: SelfAttentionApplyOptions): OneOrList<SelfAttentionResult<S, NestedArray[]>>;
    protected saveSizes(): () => void;
    private applyChecked;
    private splitPorts;
    private applyOne;
    /** The computation on a batch; nets call this directly with keyLengths for padded sequences. */
    forwardBatch(batch: SelfAttentionBatch, options?: SelfAttentionApplyOptions, which?: string): {
        out: Tensor;
        scores?: Tensor;
    };
    exampleRank(port: string): number;
    /** Net use: in → out (outputSize channels); scores have no channel axis. */
    inferSizes(inputs: Record<string, number>): Record<string, number>;
    /** Net use: padded sequences [B, T, C] with lengths; padded keys are blocked like a padding mask. */
    forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue>;
    config(): LayerConfig;
    private maskSpec;
}
/**
 * MATLAB selfAttentionLayer(numHeads, numKeyChannels, options): x [T, C] or [B, T, C] → [.., T, outputSize], with {out, scores} typed when hasScoresOutput is true.
 * @example const { out, scores } = selfAttentionLayer(4, 12, { hasScoresOutput: true }).apply(x)
 */
export declare function selfAttentionLayer(numHeads: number, numKeyChannels: number, options: SelfAttentionLayerOptions & {
    hasScoresOutput: true;
}): SelfAttentionLayer<true>;
export declare function selfAttentionLayer(numHeads: number, numKeyChannels: number, options?: SelfAttentionLayerOptions & {
    hasScoresOutput?: false;
}): SelfAttentionLayer<false>;
export declare function selfAttentionLayer(numHeads: number, numKeyChannels: number, options?: SelfAttentionLayerOptions): SelfAttentionLayer;
export {};
