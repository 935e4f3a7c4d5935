// The channel-wise layers → PyTorch: sequence input (z-score buffers), Linear, LayerNorm, activations,
// Dropout, addition.
import type { ActivationLayer } from "../../../layers/activationLayers.js";
import type { AdditionLayer } from "../../../layers/additionLayer.js";
import type { ConcatenationLayer } from "../../../layers/concatenationLayer.js";
import type { DropoutLayer } from "../../../layers/dropoutLayer.js";
import type { FullyConnectedLayer } from "../../../layers/fullyConnectedLayer.js";
import type { LayerNormalizationLayer } from "../../../layers/layerNormalizationLayer.js";
import type { Layer } from "../../../layers/layer.js";
import type { SequenceInputLayer } from "../../../layers/sequenceInputLayer.js";
import type { Tensor } from "../../../tensor/tensor.js";
import { pyFloat, pyFloats, torchTranslator, type TorchContext, type TorchTranslator } from "../translator.js";

/** Forward for "in" → "out" layers that keep the time axis and padding: one assignment. */
function mapping<L extends Layer>(expression: (layer: L, x: string, context: TorchContext) => string, extra: Omit<Parameters<typeof torchTranslator<L>>[0], "forward"> = {}): TorchTranslator {
  return torchTranslator<L>({
    ...extra,
    forward(layer, inputs, context) {
      const y = context.local(context.module);
      context.line(`${y} = ${expression(layer, inputs.in.expr, context)}  # ${context.path}: ${layer.kind}`);
      return { out: { ...inputs.in, expr: y } };
    },
  });
}

/** Renames tensors: { torchName: layerName }. */
const renamed = (tensors: Record<string, Tensor>, names: Record<string, string>) =>
  Object.fromEntries(Object.entries(names).filter(([from]) => tensors[from]).map(([from, to]) => [to, tensors[from]]));

export const sequenceInputToTorch = mapping<SequenceInputLayer>((layer, x, context) => {
  if (layer.normalization === "none") return x;
  if (!layer.mean || !layer.standardDeviation) throw layer.error(`normalization "zscore" has no statistics yet; train the net first`);
  const mean = context.attribute(`${context.module}_mean`), std = context.attribute(`${context.module}_std`);
  context.init(`self.register_buffer("${mean}", torch.tensor(${pyFloats(layer.mean)}), persistent=False)`);
  context.init(`self.register_buffer("${std}", torch.tensor(${pyFloats(layer.standardDeviation)}), persistent=False)`);
  return `(${x} - self.${mean}) / self.${std}`;
});

const LINEAR_NAMES = { weight: "weights", bias: "bias" };
export const fullyConnectedToTorch = mapping<FullyConnectedLayer>((layer, x, context) => {
  context.init(`self.${context.module} = torch.nn.Linear(${layer.inputSize}, ${layer.outputSize}, bias=${layer.hasBias ? "True" : "False"})`);
  return `self.${context.module}(${x})`;
}, {
  toTorch: (layer) => renamed(layer.parameters, { weights: "weight", bias: "bias" }),
  fromTorch: (_layer, t) => renamed(t, LINEAR_NAMES),
});

export const layerNormalizationToTorch = mapping<LayerNormalizationLayer>((layer, x, context) => {
  context.init(`self.${context.module} = torch.nn.LayerNorm(${layer.parameters.scale.shape[0]}, eps=${pyFloat(layer.epsilon)})`);
  return `self.${context.module}(${x})`;
}, {
  toTorch: (layer) => renamed(layer.parameters, { scale: "weight", offset: "bias" }),
  fromTorch: (_layer, t) => renamed(t, { weight: "scale", bias: "offset" }),
});

const ACTIVATIONS: Record<ActivationLayer["kind"], (x: string) => string> = {
  softmaxLayer: (x) => `torch.softmax(${x}, dim=-1)`,
  reluLayer: (x) => `torch.relu(${x})`,
  geluLayer: (x) => `torch.nn.functional.gelu(${x})`, // exact (erf) form, as the layer
  tanhLayer: (x) => `torch.tanh(${x})`,
  sigmoidLayer: (x) => `torch.sigmoid(${x})`,
};
export const activationToTorch = mapping<ActivationLayer>((layer, x) => ACTIVATIONS[layer.kind](x));

/** Dropout in training (PyTorch scales kept values by 1/(1 − p), as the layer does), identity in eval(). */
export const dropoutToTorch = mapping<DropoutLayer>((layer, x, context) => {
  context.init(`self.${context.module} = torch.nn.Dropout(${pyFloat(layer.probability)})`);
  return `self.${context.module}(${x})`;
});

export const additionToTorch = torchTranslator<AdditionLayer>({
  forward(layer, inputs, context) {
    const y = context.local(context.module);
    context.line(`${y} = ${layer.inputNames.map((p) => inputs[p].expr).join(" + ")}  # ${context.path}: additionLayer`);
    return { out: { ...inputs.in1, expr: y } };
  },
});

/** torch.cat along the last axis (the channels): [B, T, Cᵢ] → [B, T, ΣCᵢ]. */
export const concatenationToTorch = torchTranslator<ConcatenationLayer>({
  forward(layer, inputs, context) {
    const y = context.local(context.module);
    context.line(`${y} = torch.cat([${layer.inputNames.map((p) => inputs[p].expr).join(", ")}], dim=-1)  # ${context.path}: concatenationLayer`);
    return { out: { ...inputs.in1, expr: y } };
  },
});
