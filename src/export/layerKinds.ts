// Every layer kind a net can hold (the kinds saveNet/loadNet know). The exporters' translator tables
// are typed Record<LayerKind, …>, so adding a kind here without an exporter is a compile error; a test
// checks this list against the registry's.
import type { ActivationKind } from "../layers/activationLayers.js";

export type LayerKind =
  | "sequenceInputLayer" | "selfAttentionLayer" | "attentionLayer" | "sequenceAttentionLayer"
  | "fullyConnectedLayer" | "layerNormalizationLayer" | "dropoutLayer" | "globalAveragePooling1dLayer"
  | "additionLayer" | "embeddingLayer" | "positionEmbeddingLayer" | "lstmLayer"
  | "netChain" | "netGraph"
  | ActivationKind;

export const LAYER_KINDS: readonly LayerKind[] = [
  "sequenceInputLayer", "selfAttentionLayer", "attentionLayer", "sequenceAttentionLayer",
  "fullyConnectedLayer", "layerNormalizationLayer", "dropoutLayer", "globalAveragePooling1dLayer",
  "additionLayer", "embeddingLayer", "positionEmbeddingLayer", "lstmLayer", "netChain", "netGraph",
  "softmaxLayer", "reluLayer", "geluLayer", "tanhLayer", "sigmoidLayer",
];

/** The layer's kind if the exporters know it, else an error naming the layer. */
export function layerKindOf(layer: { kind: string; label: string }): LayerKind {
  if (!(LAYER_KINDS as readonly string[]).includes(layer.kind)) {
    throw new Error(`${layer.label} cannot be exported (no exporter for layer kind "${layer.kind}"; exportable: ${LAYER_KINDS.join(", ")})`);
  }
  return layer.kind as LayerKind;
}
