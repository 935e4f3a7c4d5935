import { Random } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
declare abstract class TableLayer extends SimpleLayer {
    readonly rows: number;
    readonly width: number;
    readonly kind: string;
    protected readonly parameterNames: readonly ["weights"];
    protected readonly sizeNames: readonly string[];
    /** `kind` names the layer in messages (it must be known before the subclass's fields are) */
    constructor(kind: string, rows: number, width: number, options: {
        name?: string;
    }, rowsName: string, widthName: string);
    protected parameterShape(): number[];
    protected initialValue(name: string, shape: number[], random: Random): Tensor;
    protected setSizes(): void;
    /** every row of the table is one output vector, whatever the input's channel count */
    protected channelsOut(): number;
}
/** A lookup table: 0-based indices [.., T] → rows of weights [numWords, dimension], so [.., T, dimension]. */
export declare class EmbeddingLayer extends TableLayer {
    readonly dimension: number;
    readonly numWords: number;
    constructor(dimension: number, numWords: number, options?: {
        name?: string;
    });
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/** Learned position embeddings: x [.., T, C] → weights rows 0 … T − 1 [T, outputSize], broadcast over the batch. */
export declare class PositionEmbeddingLayer extends TableLayer {
    readonly outputSize: number;
    readonly maxPosition: number;
    constructor(outputSize: number, maxPosition: number, options?: {
        name?: string;
    });
    protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/** MATLAB wordEmbeddingLayer-style embeddingLayer(dimension, numWords): integer indices → learned vectors. */
export declare const embeddingLayer: (dimension: number, numWords: number, options?: {
    name?: string;
}) => EmbeddingLayer;
/** MATLAB positionEmbeddingLayer(outputSize, maxPosition): one learned vector per time step. */
export declare const positionEmbeddingLayer: (outputSize: number, maxPosition: number, options?: {
    name?: string;
}) => PositionEmbeddingLayer;
export {};
