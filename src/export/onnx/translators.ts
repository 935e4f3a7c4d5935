// One ONNX translator per layer kind. Typed by LayerKind: a kind without an entry does not compile.
import type { NetGraph } from "../../nets/netGraph.js";
import type { LayerKind } from "../../nets/layerRegistry.js";
import { attentionToOnnx } from "./layers/attention.js";
import { selfAttentionToOnnx } from "./layers/selfAttention.js";
import { recurrentToOnnx } from "./layers/recurrent.js";
import { embeddingToOnnx, globalAveragePoolingToOnnx, positionEmbeddingToOnnx } from "./layers/sequence.js";
import { activationToOnnx, additionToOnnx, concatenationToOnnx, dropoutToOnnx, fullyConnectedToOnnx, layerNormalizationToOnnx, sequenceInputToOnnx } from "./layers/simple.js";
import { onnxTranslator, type OnnxTranslator } from "./translator.js";

/** A nested net is exported inline, its values named under the node's path. */
const nestedNet = onnxTranslator<NetGraph>((net, inputs, context) => context.exportNet(net, inputs, `${context.hint}/`));

export const onnxTranslators: Record<LayerKind, OnnxTranslator> = {
  sequenceInputLayer: sequenceInputToOnnx,
  selfAttentionLayer: selfAttentionToOnnx,
  attentionLayer: attentionToOnnx,
  sequenceAttentionLayer: attentionToOnnx,
  fullyConnectedLayer: fullyConnectedToOnnx,
  layerNormalizationLayer: layerNormalizationToOnnx,
  dropoutLayer: dropoutToOnnx,
  globalAveragePooling1dLayer: globalAveragePoolingToOnnx,
  additionLayer: additionToOnnx,
  concatenationLayer: concatenationToOnnx,
  embeddingLayer: embeddingToOnnx,
  positionEmbeddingLayer: positionEmbeddingToOnnx,
  lstmLayer: recurrentToOnnx,
  bilstmLayer: recurrentToOnnx,
  gruLayer: recurrentToOnnx,
  basicRecurrentLayer: recurrentToOnnx,
  netChain: nestedNet,
  netGraph: nestedNet,
  softmaxLayer: activationToOnnx,
  reluLayer: activationToOnnx,
  geluLayer: activationToOnnx,
  tanhLayer: activationToOnnx,
  sigmoidLayer: activationToOnnx,
};
