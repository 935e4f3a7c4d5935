import { Layer, type LayerConfig } from "../layers/layer.js";
import { NetGraph } from "./netGraph.js";
/** A netGraph of layers in a row: input port "input" ("in" if a layer is named input), output "output". */
export declare class NetChain extends NetGraph<"output"> {
    readonly layers: readonly Layer[];
    constructor(layers: readonly Layer[], options?: {
        name?: string;
    });
    config(): LayerConfig;
}
/**
 * Wolfram NetChain / a MATLAB layer array: the layers applied in order.
 * @example netChain([sequenceInputLayer(12), selfAttentionLayer(4, 12), fullyConnectedLayer(9), softmaxLayer()])
 */
export declare function netChain(layers: readonly Layer[], options?: {
    name?: string;
}): NetChain;
