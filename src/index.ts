// attention-layers: trainable attention layers with exact gradients.
export { Tensor, tensor, zeros, full, asTensor, type NestedArray, type TensorLike, type Mirror, type OneOrList } from "./tensor/tensor.js";
export { valueAndGrad, grad } from "./tensor/autodiff.js";
export { Random } from "./tensor/random.js";
export { MAX_SEED } from "./util/validate.js";
export * as ops from "./tensor/ops/index.js";
export { dotProductAttention, type DotProductAttentionOptions } from "./functional/dotProductAttention.js";
export { registerAttentionKernel, setDefaultAttentionKernel, attentionKernel } from "./functional/kernelRegistry.js";
export type { AttentionKernel, AttentionProblem, AttentionForward, AttentionGrads } from "./kernels/attention/problem.js";
export { referenceKernel } from "./kernels/attention/reference.js";
export { ready } from "./kernels/wasm/threads.js";
export { Layer, type InitializeOptions, type ParameterFactors } from "./layers/layer.js";
export { type LayerDescriptor } from "./layers/layerKind.js";
export { type Initializer } from "./layers/initializers.js";
export * from "./layers/index.js";
export { DotScoring, BilinearScoring, type ScoringNet, type Scoring } from "./layers/attention/scoring.js";
export { type ShapeSpec } from "./layers/attention/shapeSpec.js";
export { type NetValue, type ForwardContext, type LayerConfig, type JsonValue, type Pending, type WeightSpec, type Size, type Sizes } from "./layers/layer.js";
export { type ApplyInput, type ApplyResult } from "./layers/applyInput.js";
export { SimpleLayer } from "./layers/simpleLayer.js";
export { padSequences } from "./layers/sequenceBatch.js";
export { NetGraph, netGraph, netGraphKind, type NetSource, type NetGraphSpec, type PredictOptions, type NetResult, type ArrayInput } from "./nets/netGraph.js";
export { NetChain, netChain, netChainKind } from "./nets/netChain.js";
export { serializeNet, deserializeNet } from "./nets/serializeNet.js";
export { encodeSafetensors, decodeSafetensors } from "./nets/safetensors.js";
export { trainNet, evaluate, type TrainingData, type TrainingOptions, type TrainingHistory, type LossName } from "./train/trainNet.js";
export { crossentropy, crossentropyLogits, mse, argmaxRows, type ClassTargets } from "./train/losses.js";
export {
  Optimizer, sgdm, adam, rmsprop, clipGradients, type Solver, type GradientThresholdMethod, type Learnable,
  type OptimizerOptions, type SgdmOptions, type AdamOptions, type RmspropOptions,
} from "./train/optimizers.js";
export { classify, predict, type PortExamples } from "./train/classify.js";
export { type ProgressInfo, type ProgressSink } from "./train/progress.js";
export { parseUeaTs, japaneseVowelsFromText, standardizer, type UeaDataset, type Split, type Standardizer } from "./data/japaneseVowels.js";
export { exportOnnx, type ExportOnnxOptions } from "./export/exportOnnx.js";
export { exportPyTorch, importPyTorchWeights, type PyTorchExport } from "./export/exportPyTorch.js";
export { setNumThreads, getNumThreads, releaseMemory } from "./kernels/wasm/threads.js";
export { setWarningSink, type WarningSink } from "./util/warnings.js";
export { sampleToken, argmax, type SamplingOptions } from "./decode/sampling.js";
export { Decoder, type DecodingOptions, type DecoderOutput } from "./decode/decoder.js";
export { KeyValueCache } from "./decode/keyValueCache.js";
export { generate, type GenerateOptions } from "./decode/generate.js";
export { beamSearch, type BeamSearchOptions, type Hypothesis } from "./decode/beamSearch.js";
export { CharacterEncoder, characterEncoder, type CharacterEncoderOptions } from "./text/characterEncoder.js";
