import { Random } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
/** Options of lstmLayer: output mode (every step or the last), input size, name. */
export interface LstmLayerOptions {
    outputMode?: "sequence" | "last";
    inputSize?: number | "auto";
    name?: string;
}
/** A long short-term memory layer (MATLAB gate order i, f, g, o): [.., T, C] → [.., T, H] or the last step [.., H]. */
export declare class LstmLayer extends SimpleLayer {
    readonly numHiddenUnits: number;
    readonly kind = "lstmLayer";
    readonly outputMode: "sequence" | "last";
    inputSize: number | "auto";
    protected readonly parameterNames: readonly ["inputWeights", "recurrentWeights", "bias"];
    constructor(numHiddenUnits: number, options?: LstmLayerOptions);
    protected saveSizes(): () => void;
    protected parameterShape(name: string): number[] | undefined;
    protected initialValue(name: string, shape: number[], random: Random): Tensor;
    protected setSizes(sizes: Record<string, number>): void;
    protected parameterRank(name: string): number;
    protected inferSizesFrom(name: string, shape: readonly number[]): void;
    protected channelsOut(channelsIn: number): number;
    protected compute(x0: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue;
    config(): LayerConfig;
}
/**
 * MATLAB lstmLayer(numHiddenUnits, options).
 * @example lstmLayer(100, { outputMode: "last" })
 */
export declare function lstmLayer(numHiddenUnits: number, options?: LstmLayerOptions): LstmLayer;
