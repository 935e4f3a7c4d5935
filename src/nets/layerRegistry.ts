// Rebuilds layers from their configs (saveNet / loadNet). Every layer that can be saved is listed here.
import { ActivationLayer, type ActivationKind } from "../layers/activationLayers.js";
import { AdditionLayer } from "../layers/additionLayer.js";
import { AttentionLayer } from "../layers/attention/attentionLayer.js";
import type { ScoringNet } from "../layers/attention/scoring.js";
import { SelfAttentionLayer } from "../layers/attention/selfAttentionLayer.js";
import { SequenceAttentionLayer } from "../layers/attention/sequenceAttentionLayer.js";
import { DropoutLayer } from "../layers/dropoutLayer.js";
import { EmbeddingLayer, PositionEmbeddingLayer } from "../layers/embeddingLayers.js";
import { FullyConnectedLayer } from "../layers/fullyConnectedLayer.js";
import { GlobalAveragePooling1dLayer } from "../layers/globalAveragePooling1dLayer.js";
import type { Layer, LayerConfig } from "../layers/layer.js";
import { LayerNormalizationLayer } from "../layers/layerNormalizationLayer.js";
import { LstmLayer } from "../layers/lstmLayer.js";
import { SequenceInputLayer } from "../layers/sequenceInputLayer.js";
import { isRecord } from "../util/validate.js";
import { NetChain } from "./netChain.js";
import { NetGraph } from "./netGraph.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Build = (...args: any[]) => Layer;

const scoring = (s: unknown) => (isRecord(s) && Object.hasOwn(s, "net") ? (layerFromConfig(s.net as LayerConfig) as unknown as ScoringNet) : s);

function netGraphFromConfig(spec: unknown): Layer {
  if (!isRecord(spec) || !isRecord(spec.nodes)) throw new Error(`netGraph config needs { nodes: { name: config }, edges }, got ${describeValue(spec)}`);
  const nodes = Object.fromEntries(Object.entries(spec.nodes).map(([n, c]) => [n, layerFromConfig(c as LayerConfig)]));
  return new NetGraph({ ...spec, nodes } as never);
}

function netChainFromConfig(layers: unknown, options: unknown): Layer {
  if (!Array.isArray(layers)) throw new Error(`netChain config needs an array of layer configs, got ${describeValue(layers)}`);
  return new NetChain(layers.map((c) => layerFromConfig(c as LayerConfig)), options as never);
}

const builders: Record<string, Build> = {
  attentionLayer: (s, o) => new AttentionLayer(scoring(s) as never, o),
  sequenceAttentionLayer: (s, o) => new SequenceAttentionLayer(scoring(s) as never, o),
  selfAttentionLayer: (h, k, o) => new SelfAttentionLayer(h, k, o),
  fullyConnectedLayer: (n, o) => new FullyConnectedLayer(n, o),
  layerNormalizationLayer: (o) => new LayerNormalizationLayer(o),
  dropoutLayer: (p, o) => new DropoutLayer(p, o),
  globalAveragePooling1dLayer: (o) => new GlobalAveragePooling1dLayer(o),
  additionLayer: (n, o) => new AdditionLayer(n, o),
  sequenceInputLayer: (n, o) => new SequenceInputLayer(n, o),
  embeddingLayer: (d, n, o) => new EmbeddingLayer(d, n, o),
  positionEmbeddingLayer: (d, n, o) => new PositionEmbeddingLayer(d, n, o),
  lstmLayer: (n, o) => new LstmLayer(n, o),
  netChain: netChainFromConfig,
  netGraph: netGraphFromConfig,
  ...Object.fromEntries((["softmaxLayer", "reluLayer", "geluLayer", "tanhLayer", "sigmoidLayer"] as ActivationKind[]).map((k) => [k, (o: { name?: string }) => new ActivationLayer(k, o)])),
};

/** The kinds loadNet can rebuild (the exporters check their tables against this list). */
export const registeredLayerKinds: readonly string[] = Object.keys(builders);

/** JSON null stands for an unset option (undefined does not survive JSON). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

/** A short description of a config value for messages (never the whole, possibly huge, value). */
function describeValue(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? String(v);
  return Array.isArray(v) ? `an array of ${v.length}` : `an object with keys ${Object.keys(v).slice(0, 8).join(", ") || "none"}`;
}

/**
 * Builds a layer from its config (the caller, loadNet or deserializeNet, prefixes the messages). Configs are
 * checked for their outer form here and for their values by the layer constructors.
 */
export function layerFromConfig(config: LayerConfig): Layer {
  if (!isRecord(config) || typeof config.kind !== "string" || !Array.isArray(config.args)) {
    throw new Error(`malformed layer config: expected { kind: string, args: [...] }, got ${describeValue(config)}`);
  }
  const build = Object.hasOwn(builders, config.kind) ? builders[config.kind] : undefined;
  if (!build) throw new Error(`unknown layer kind ${JSON.stringify(config.kind)} (known: ${Object.keys(builders).join(", ")})`);
  const args = config.args.map((a, i) => (config.kind === "netChain" && i === 0 ? a : dropNulls(a)));
  return build(...args);
}
