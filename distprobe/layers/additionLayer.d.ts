import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue } from "./layer.js";
/** Adds its inputs in1 … inN elementwise (same shapes) into out, as MATLAB's additionLayer; used for residual connections. */
export declare class AdditionLayer extends Layer {
    readonly numInputs: number;
    readonly kind = "additionLayer";
    readonly inputNames: readonly string[];
    readonly outputNames: readonly ["out"];
    protected readonly parameterNames: readonly [];
    constructor(numInputs: number, options?: {
        name?: string;
    });
    protected parameterShape(): number[] | undefined;
    protected initialValue(): Tensor;
    protected setSizes(): void;
    inferSizes(inputs: Record<string, number>): Record<string, number>;
    forward(inputs: Record<string, NetValue>, _c: ForwardContext): Record<string, NetValue>;
    apply(inputs: Record<string, TensorLike>): TensorLike;
    config(): LayerConfig;
}
/**
 * MATLAB additionLayer(numInputs): out = in1 + … + inN.
 * @example netGraph({ nodes: { att: selfAttentionLayer(2, 8), add: additionLayer(2) }, edges: [["input", "att"], ["input", "add/in1"], ["att", "add/in2"]] })
 */
export declare function additionLayer(numInputs?: number, options?: {
    name?: string;
}): AdditionLayer;
