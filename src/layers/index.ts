// The layer kinds: each layer's public names with its descriptor (layers/layerKind.ts). src/index.ts re-exports
// all of it, and nets/layerRegistry.ts finds the descriptors here, so a new kind's export line is its registration.
export {
  AttentionLayer, AttentionBase, attentionLayer, attentionLayerKind,
  type AttentionLayerOptions, type AttentionExample, type ApplyOptions, type AttentionMask, type ScoreRescaling,
} from "./attention/attentionLayer.js";
export { SequenceAttentionLayer, sequenceAttentionLayer, sequenceAttentionLayerKind, type SequenceAttentionLayerOptions, type SequenceAttentionExample } from "./attention/sequenceAttentionLayer.js";
export { SelfAttentionLayer, selfAttentionLayer, selfAttentionLayerKind, type SelfAttentionLayerOptions, type SelfAttentionResult, type SelfAttentionApplyOptions } from "./attention/selfAttentionLayer.js";
export { FullyConnectedLayer, fullyConnectedLayer, fullyConnectedLayerKind, type FullyConnectedLayerOptions } from "./fullyConnectedLayer.js";
export { LayerNormalizationLayer, layerNormalizationLayer, layerNormalizationLayerKind } from "./layerNormalizationLayer.js";
export { ActivationLayer, softmaxLayer, reluLayer, geluLayer, tanhLayer, sigmoidLayer, activationLayerKinds } from "./activationLayers.js";
export { DropoutLayer, dropoutLayer, dropoutLayerKind } from "./dropoutLayer.js";
export { GlobalAveragePooling1dLayer, globalAveragePooling1dLayer, globalAveragePooling1dLayerKind } from "./globalAveragePooling1dLayer.js";
export { AdditionLayer, additionLayer, additionLayerKind } from "./additionLayer.js";
export { SequenceInputLayer, sequenceInputLayer, sequenceInputLayerKind, type SequenceInputLayerOptions } from "./sequenceInputLayer.js";
export { EmbeddingLayer, embeddingLayer, PositionEmbeddingLayer, positionEmbeddingLayer, embeddingLayerKind, positionEmbeddingLayerKind } from "./embeddingLayers.js";
export { LstmLayer, lstmLayer, lstmLayerKind, BilstmLayer, bilstmLayer, bilstmLayerKind, type LstmLayerOptions } from "./lstmLayer.js";
export { GruLayer, gruLayer, gruLayerKind, type GruLayerOptions } from "./gruLayer.js";
export { BasicRecurrentLayer, basicRecurrentLayer, basicRecurrentLayerKind, type BasicRecurrentLayerOptions } from "./basicRecurrentLayer.js";
export { RecurrentLayer, type RecurrentLayerOptions } from "./recurrentLayer.js";
export { ConcatenationLayer, concatenationLayer, concatenationLayerKind } from "./concatenationLayer.js";
