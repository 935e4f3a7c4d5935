import type { TensorLike } from "../../tensor/tensor.js";
import { AttentionBase, type AttentionLayerOptions } from "./attentionLayer.js";
import type { Scoring } from "./scoring.js";
import type { ShapeSpec } from "./shapeSpec.js";
import type { LayerConfig } from "../layer.js";
/** One example for sequenceAttentionLayer: input [n, d1] (keys = values) and query [m, d2]. */
export interface SequenceAttentionExample<T = TensorLike> {
    input: T;
    query: T;
}
/** Options of sequenceAttentionLayer: attentionLayer's, without the key/value port shapes and multiHead. */
export type SequenceAttentionLayerOptions = Omit<AttentionLayerOptions, "key" | "value" | "multiHead"> & {
    input?: AttentionLayerOptions["key"];
};
/** Wolfram's SequenceAttentionLayer: attention with key = value = input; ports input, query → output [m, d1]. */
export declare class SequenceAttentionLayer extends AttentionBase<SequenceAttentionExample> {
    readonly inputNames: readonly ["input", "query"];
    protected readonly roles: {
        key: string;
        value: string;
        query: string;
    };
    constructor(scoring?: Scoring, options?: SequenceAttentionLayerOptions);
    protected portSpecs(): Record<string, ShapeSpec | undefined>;
    config(): LayerConfig;
    protected examplePorts(example: SequenceAttentionExample): {
        key: TensorLike;
        value: TensorLike;
        query: TensorLike;
    };
    initialize(options?: {
        seed?: number;
        inputSize?: number;
        querySize?: number;
    }): this;
    protected portRanks(): {
        key: number;
        query: number;
    };
}
/**
 * Wolfram SequenceAttentionLayer[scoring, opts]: input [n, d1], query [m, d2] → [m, d1].
 * @example sequenceAttentionLayer("Bilinear").apply({ input: [[1, 2], [3, 4]], query: [[1, 0, 0]] })
 */
export declare function sequenceAttentionLayer(scoring?: Scoring, options?: SequenceAttentionLayerOptions): SequenceAttentionLayer;
