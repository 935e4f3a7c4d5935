// attention-layers: trainable attention layers with exact gradients.
export { Tensor, tensor, zeros, full, asTensor, type NestedArray, type TensorLike } from "./tensor/tensor.js";
export { valueAndGrad, grad } from "./tensor/autodiff.js";
export { Random } from "./tensor/random.js";
export * as ops from "./tensor/ops/index.js";
export { dotProductAttention, type DotProductAttentionOptions } from "./functional/dotProductAttention.js";
export { registerAttentionKernel, setDefaultAttentionKernel, attentionKernel } from "./functional/kernelRegistry.js";
export type { AttentionKernel, AttentionProblem, AttentionForward, AttentionGrads } from "./kernels/attention/problem.js";
export { referenceKernel } from "./kernels/attention/reference.js";
export { Layer, type InitializeOptions, type ParameterFactors } from "./layers/layer.js";
export { type Initializer } from "./layers/initializers.js";
export {
  AttentionLayer, AttentionBase, attentionLayer,
  type AttentionLayerOptions, type AttentionExample, type ApplyOptions, type AttentionMask, type ScoreRescaling,
} from "./layers/attention/attentionLayer.js";
export { SequenceAttentionLayer, sequenceAttentionLayer, type SequenceAttentionLayerOptions, type SequenceAttentionExample } from "./layers/attention/sequenceAttentionLayer.js";
export { SelfAttentionLayer, selfAttentionLayer, type SelfAttentionLayerOptions } from "./layers/attention/selfAttentionLayer.js";
export { DotScoring, BilinearScoring, type ScoringNet, type Scoring } from "./layers/attention/scoring.js";
export { type ShapeSpec } from "./layers/attention/shapeSpec.js";
