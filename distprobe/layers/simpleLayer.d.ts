import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { Layer, type ForwardContext, type NetValue } from "./layer.js";
/** The base of one-input, one-output layers acting on the last (channel) axis: vectors, sequences [T, C] and batches [B, T, C] alike. */
export declare abstract class SimpleLayer extends Layer {
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    private readonly applySeeds;
    /** output channels for given input channels (fixing and checking this layer's sizes) */
    protected abstract channelsOut(channelsIn: number): number;
    /** the computation on a batch; `lengths` are given for padded sequences */
    protected abstract compute(x: Tensor, lengths: readonly number[] | undefined, context: ForwardContext): NetValue;
    inferSizes(inputs: Record<string, number>): Record<string, number>;
    forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue>;
    /** Applies the layer to one array (any leading axes, channels last). */
    apply(input: TensorLike, options?: {
        training?: boolean;
        seed?: number;
    }): TensorLike;
}
/** Sizes of a layer without parameters: nothing to fix. */
export declare abstract class ParameterFreeLayer extends SimpleLayer {
    protected readonly parameterNames: readonly string[];
    protected parameterShape(): number[] | undefined;
    protected initialValue(): Tensor;
    protected setSizes(): void;
}
