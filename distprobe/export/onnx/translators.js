import { attentionToOnnx } from "./layers/attention.js";
import { selfAttentionToOnnx } from "./layers/selfAttention.js";
import { embeddingToOnnx, globalAveragePoolingToOnnx, lstmToOnnx, positionEmbeddingToOnnx } from "./layers/sequence.js";
import { activationToOnnx, additionToOnnx, dropoutToOnnx, fullyConnectedToOnnx, layerNormalizationToOnnx, sequenceInputToOnnx } from "./layers/simple.js";
import { onnxTranslator } from "./translator.js";
/** A nested net is exported inline, its values named under the node's path. */
const nestedNet = onnxTranslator((net, inputs, context) => context.exportNet(net, inputs, `${context.hint}/`));
export const onnxTranslators = {
    sequenceInputLayer: sequenceInputToOnnx,
    selfAttentionLayer: selfAttentionToOnnx,
    attentionLayer: attentionToOnnx,
    sequenceAttentionLayer: attentionToOnnx,
    fullyConnectedLayer: fullyConnectedToOnnx,
    layerNormalizationLayer: layerNormalizationToOnnx,
    dropoutLayer: dropoutToOnnx,
    globalAveragePooling1dLayer: globalAveragePoolingToOnnx,
    additionLayer: additionToOnnx,
    embeddingLayer: embeddingToOnnx,
    positionEmbeddingLayer: positionEmbeddingToOnnx,
    lstmLayer: lstmToOnnx,
    netChain: nestedNet,
    netGraph: nestedNet,
    softmaxLayer: activationToOnnx,
    reluLayer: activationToOnnx,
    geluLayer: activationToOnnx,
    tanhLayer: activationToOnnx,
    sigmoidLayer: activationToOnnx,
};
