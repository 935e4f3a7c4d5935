import type { ActivationKind } from "../layers/activationLayers.js";
export type LayerKind = "sequenceInputLayer" | "selfAttentionLayer" | "attentionLayer" | "sequenceAttentionLayer" | "fullyConnectedLayer" | "layerNormalizationLayer" | "dropoutLayer" | "globalAveragePooling1dLayer" | "additionLayer" | "embeddingLayer" | "positionEmbeddingLayer" | "lstmLayer" | "netChain" | "netGraph" | ActivationKind;
export declare const LAYER_KINDS: readonly LayerKind[];
/** The layer's kind if the exporters know it, else an error naming the layer. */
export declare function layerKindOf(layer: {
    kind: string;
    label: string;
}): LayerKind;
