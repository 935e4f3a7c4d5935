// The channel-wise layers → ONNX: sequence input (z-score), fully connected, layer normalization,
// activations, dropout (the identity outside training), addition.
import type { ActivationLayer } from "../../../layers/activationLayers.js";
import type { AdditionLayer } from "../../../layers/additionLayer.js";
import type { ConcatenationLayer } from "../../../layers/concatenationLayer.js";
import type { FullyConnectedLayer } from "../../../layers/fullyConnectedLayer.js";
import type { LayerNormalizationLayer } from "../../../layers/layerNormalizationLayer.js";
import type { SequenceInputLayer } from "../../../layers/sequenceInputLayer.js";
import type { Layer } from "../../../layers/layer.js";
import { linear } from "../helpers.js";
import type { OnnxGraph } from "../onnxGraph.js";
import { onnxTranslator, type OnnxTranslator } from "../translator.js";

/** A translator for layers "in" → "out" that keep the value's time axis and padding. */
const mapping = <L extends Layer>(f: (layer: L, g: OnnxGraph, x: string, hint: string) => string): OnnxTranslator =>
  onnxTranslator<L>((layer, inputs, { g, hint }) => ({ out: { ...inputs.in, name: f(layer, g, inputs.in.name, hint) } }));

/** y = (x − mean) / standardDeviation with "zscore", else x. */
export const sequenceInputToOnnx = mapping<SequenceInputLayer>((layer, g, x, hint) => {
  if (layer.normalization === "none") return x;
  if (!layer.mean || !layer.standardDeviation) throw layer.error(`normalization "zscore" has no statistics yet; train the net first`);
  const C = layer.inputSize;
  const centered = g.op1("Sub", [x, g.floats(`${hint}.mean`, layer.mean, [C])], {}, `${hint}.centered`);
  return g.op1("Div", [centered, g.floats(`${hint}.standardDeviation`, layer.standardDeviation, [C])], {}, `${hint}.zscore`);
});

export const fullyConnectedToOnnx = mapping<FullyConnectedLayer>((layer, g, x, hint) =>
  linear(g, x, layer.parameters.weights, layer.hasBias ? layer.parameters.bias : undefined, hint));

/** ONNX LayerNormalization (opset 17) over the last axis: the same (x − μ)/√(σ² + ε)·scale + offset. */
export const layerNormalizationToOnnx = mapping<LayerNormalizationLayer>((layer, g, x, hint) => {
  const { scale, offset } = layer.parameters;
  return g.op1("LayerNormalization", [x, g.floats(`${hint}.scale`, scale.data, [...scale.shape]), g.floats(`${hint}.offset`, offset.data, [...offset.shape])],
    { axis: -1, epsilon: { float: layer.epsilon } }, `${hint}.layerNorm`);
});

export const activationToOnnx = mapping<ActivationLayer>((layer, g, x, hint) => {
  switch (layer.kind) {
    case "softmaxLayer": return g.op1("Softmax", [x], { axis: -1 }, hint);
    case "reluLayer": return g.op1("Relu", [x], {}, hint);
    case "tanhLayer": return g.op1("Tanh", [x], {}, hint);
    case "sigmoidLayer": return g.op1("Sigmoid", [x], {}, hint);
    case "geluLayer": {
      // exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)) (Gelu is an op only from opset 20)
      const erf = g.op1("Erf", [g.op1("Mul", [x, g.scalar(Math.SQRT1_2)], {}, `${hint}.scaled`)], {}, `${hint}.erf`);
      const half = g.op1("Mul", [x, g.scalar(0.5)], {}, `${hint}.half`);
      return g.op1("Mul", [half, g.op1("Add", [erf, g.scalar(1)], {}, `${hint}.onePlusErf`)], {}, hint);
    }
  }
});

export const dropoutToOnnx = mapping<Layer>((_layer, g, x, hint) => g.op1("Identity", [x], {}, hint));

/** out = in1 + … + inN; the padding is that of in1, as in the layer. */
export const additionToOnnx = onnxTranslator<AdditionLayer>((layer, inputs, { g, hint }) => {
  const names = layer.inputNames.map((p) => inputs[p].name);
  return { out: { ...inputs.in1, name: names.length === 1 ? names[0] : g.op1("Sum", names, {}, hint) } };
});

/** ONNX Concat along the last axis (the channels): [B, T, Cᵢ] → [B, T, ΣCᵢ]. */
export const concatenationToOnnx = onnxTranslator<ConcatenationLayer>((layer, inputs, { g, hint }) =>
  ({ out: { ...inputs.in1, name: g.op1("Concat", layer.inputNames.map((p) => inputs[p].name), { axis: -1 }, hint) } }));
