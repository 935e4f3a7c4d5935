// attention-layers: trainable attention layers with exact gradients.
export { Tensor, tensor, zeros, full, asTensor, type NestedArray, type TensorLike, type Mirror, type OneOrList } from "./tensor/tensor.js";
export { valueAndGrad, grad } from "./tensor/autodiff.js";
export { Random } from "./tensor/random.js";
export * as ops from "./tensor/ops/index.js";
export { dotProductAttention, type DotProductAttentionOptions } from "./functional/dotProductAttention.js";
export { registerAttentionKernel, setDefaultAttentionKernel, attentionKernel } from "./functional/kernelRegistry.js";
export type { AttentionKernel, AttentionProblem, AttentionForward, AttentionGrads } from "./kernels/attention/problem.js";
export { referenceKernel } from "./kernels/attention/reference.js";
export { ready } from "./kernels/wasm/threads.js";
export { Layer, type InitializeOptions, type ParameterFactors } from "./layers/layer.js";
export { type Initializer } from "./layers/initializers.js";
export {
  AttentionLayer, AttentionBase, attentionLayer,
  type AttentionLayerOptions, type AttentionExample, type ApplyOptions, type AttentionMask, type ScoreRescaling,
} from "./layers/attention/attentionLayer.js";
export { SequenceAttentionLayer, sequenceAttentionLayer, type SequenceAttentionLayerOptions, type SequenceAttentionExample } from "./layers/attention/sequenceAttentionLayer.js";
export { SelfAttentionLayer, selfAttentionLayer, type SelfAttentionLayerOptions, type SelfAttentionResult, type SelfAttentionApplyOptions } from "./layers/attention/selfAttentionLayer.js";
export { DotScoring, BilinearScoring, type ScoringNet, type Scoring } from "./layers/attention/scoring.js";
export { type ShapeSpec } from "./layers/attention/shapeSpec.js";
export { type NetValue, type ForwardContext, type LayerConfig, type JsonValue, type Pending, type WeightSpec, type Size, type Sizes } from "./layers/layer.js";
export { type ApplyInput, type ApplyResult } from "./layers/applyInput.js";
export { SimpleLayer } from "./layers/simpleLayer.js";
export { FullyConnectedLayer, fullyConnectedLayer, type FullyConnectedLayerOptions } from "./layers/fullyConnectedLayer.js";
export { LayerNormalizationLayer, layerNormalizationLayer } from "./layers/layerNormalizationLayer.js";
export { ActivationLayer, softmaxLayer, reluLayer, geluLayer, tanhLayer, sigmoidLayer } from "./layers/activationLayers.js";
export { DropoutLayer, dropoutLayer } from "./layers/dropoutLayer.js";
export { GlobalAveragePooling1dLayer, globalAveragePooling1dLayer } from "./layers/globalAveragePooling1dLayer.js";
export { AdditionLayer, additionLayer } from "./layers/additionLayer.js";
export { SequenceInputLayer, sequenceInputLayer, type SequenceInputLayerOptions } from "./layers/sequenceInputLayer.js";
export { EmbeddingLayer, embeddingLayer, PositionEmbeddingLayer, positionEmbeddingLayer } from "./layers/embeddingLayers.js";
export { LstmLayer, lstmLayer, type LstmLayerOptions } from "./layers/lstmLayer.js";
export { padSequences } from "./layers/sequenceBatch.js";
export { NetGraph, netGraph, type NetGraphSpec, type PredictOptions, type NetResult, type ArrayInput } from "./nets/netGraph.js";
export { NetChain, netChain } from "./nets/netChain.js";
export { serializeNet, deserializeNet } from "./nets/serializeNet.js";
export { encodeSafetensors, decodeSafetensors } from "./nets/safetensors.js";
export { trainNet, evaluate, type TrainingData, type TrainingOptions, type TrainingHistory } from "./train/trainNet.js";
export { crossentropy, mse, argmaxRows } from "./train/losses.js";
export { classify, predict } from "./train/classify.js";
export { type ProgressInfo, type ProgressSink } from "./train/progress.js";
export { parseUeaTs, japaneseVowelsFromText, standardizer, type UeaDataset, type Split, type Standardizer } from "./data/japaneseVowels.js";
export { exportOnnx, type ExportOnnxOptions } from "./export/exportOnnx.js";
export { exportPyTorch, importPyTorchWeights, type PyTorchExport } from "./export/exportPyTorch.js";
export { setNumThreads, getNumThreads } from "./kernels/wasm/threads.js";
