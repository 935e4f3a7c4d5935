// One PyTorch translator per layer kind. Typed by LayerKind: a kind without an entry does not compile.
import type { NetGraph } from "../../nets/netGraph.js";
import type { LayerKind } from "../../nets/layerRegistry.js";
import { attentionToTorch } from "./layers/attention.js";
import { selfAttentionToTorch } from "./layers/selfAttention.js";
import { recurrentToTorch } from "./layers/recurrent.js";
import { embeddingToTorch, globalAveragePoolingToTorch, positionEmbeddingToTorch } from "./layers/sequence.js";
import { activationToTorch, additionToTorch, concatenationToTorch, dropoutToTorch, fullyConnectedToTorch, layerNormalizationToTorch, sequenceInputToTorch } from "./layers/simple.js";
import { torchTranslator, type TorchTranslator } from "./translator.js";

/** A nested net is written inline, its modules named under the node's path. */
const nestedNet = torchTranslator<NetGraph>({ forward: (net, inputs, context) => context.exportNet(net, inputs, `${context.path}/`) });

export const torchTranslators: Record<LayerKind, TorchTranslator> = {
  sequenceInputLayer: sequenceInputToTorch,
  selfAttentionLayer: selfAttentionToTorch,
  attentionLayer: attentionToTorch,
  sequenceAttentionLayer: attentionToTorch,
  fullyConnectedLayer: fullyConnectedToTorch,
  layerNormalizationLayer: layerNormalizationToTorch,
  dropoutLayer: dropoutToTorch,
  globalAveragePooling1dLayer: globalAveragePoolingToTorch,
  additionLayer: additionToTorch,
  concatenationLayer: concatenationToTorch,
  embeddingLayer: embeddingToTorch,
  positionEmbeddingLayer: positionEmbeddingToTorch,
  lstmLayer: recurrentToTorch,
  bilstmLayer: recurrentToTorch,
  gruLayer: recurrentToTorch,
  basicRecurrentLayer: recurrentToTorch,
  netChain: nestedNet,
  netGraph: nestedNet,
  softmaxLayer: activationToTorch,
  reluLayer: activationToTorch,
  geluLayer: activationToTorch,
  tanhLayer: activationToTorch,
  sigmoidLayer: activationToTorch,
};
