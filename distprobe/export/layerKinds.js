export const LAYER_KINDS = [
    "sequenceInputLayer", "selfAttentionLayer", "attentionLayer", "sequenceAttentionLayer",
    "fullyConnectedLayer", "layerNormalizationLayer", "dropoutLayer", "globalAveragePooling1dLayer",
    "additionLayer", "embeddingLayer", "positionEmbeddingLayer", "lstmLayer", "netChain", "netGraph",
    "softmaxLayer", "reluLayer", "geluLayer", "tanhLayer", "sigmoidLayer",
];
/** The layer's kind if the exporters know it, else an error naming the layer. */
export function layerKindOf(layer) {
    if (!LAYER_KINDS.includes(layer.kind)) {
        throw new Error(`${layer.label} cannot be exported (no exporter for layer kind "${layer.kind}"; exportable: ${LAYER_KINDS.join(", ")})`);
    }
    return layer.kind;
}
