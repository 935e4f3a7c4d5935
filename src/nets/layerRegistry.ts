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
import { NetChain } from "./netChain.js";
import { NetGraph } from "./netGraph.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Build = (...args: any[]) => Layer;

const scoring = (s: unknown) => (s && typeof s === "object" && "net" in s ? (layerFromConfig((s as { net: LayerConfig }).net) as unknown as ScoringNet) : s);

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
  netChain: (layers: LayerConfig[], o) => new NetChain(layers.map(layerFromConfig), o),
  netGraph: (spec) => new NetGraph({ ...spec, nodes: Object.fromEntries(Object.entries(spec.nodes as Record<string, LayerConfig>).map(([n, c]) => [n, layerFromConfig(c)])) }),
  ...Object.fromEntries((["softmaxLayer", "reluLayer", "geluLayer", "tanhLayer", "sigmoidLayer"] as ActivationKind[]).map((k) => [k, (o: { name?: string }) => new ActivationLayer(k, o)])),
};

/** The kinds loadNet can rebuild (the exporters check their tables against this list). */
export const registeredLayerKinds: readonly string[] = Object.keys(builders);

/** JSON null stands for an unset option (undefined does not survive JSON). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

export function layerFromConfig(config: LayerConfig): Layer {
  if (!config || typeof config.kind !== "string" || !Array.isArray(config.args)) {
    throw new Error(`loadNet: malformed layer config ${JSON.stringify(config)?.slice(0, 200)}`);
  }
  const build = builders[config.kind];
  if (!build) throw new Error(`loadNet: unknown layer kind "${config.kind}" (known: ${Object.keys(builders).join(", ")})`);
  const args = config.args.map((a, i) => (config.kind === "netChain" && i === 0 ? a : dropNulls(a)));
  return build(...args);
}
