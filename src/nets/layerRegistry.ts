// Rebuilds layers from their configs (saveNet / loadNet). Every layer that can be saved is listed here.
import { ActivationLayer, type ActivationKind } from "../layers/activationLayers.js";
import { AdditionLayer, MAX_ADDITION_INPUTS } from "../layers/additionLayer.js";
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

/**
 * What building one file's config may still spend, checked before a constructor allocates: input ports of
 * additionLayers. In a file, every port of an additionLayer inside a netGraph is fed by an edge (one JSON
 * array), so a file's ports are bounded by its arrays and objects, or by MAX_ADDITION_INPUTS for a lone layer.
 */
export interface ConfigBudget {
  ports: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Build = (args: any[], budget: ConfigBudget) => Layer;

const scoring = (s: unknown, budget: ConfigBudget) => (isRecord(s) && Object.hasOwn(s, "net") ? (layerFromConfig(s.net as LayerConfig, budget) as unknown as ScoringNet) : s);

function netGraphFromConfig([spec]: unknown[], budget: ConfigBudget): Layer {
  if (!isRecord(spec) || !isRecord(spec.nodes)) throw new Error(`netGraph config needs { nodes: { name: config }, edges }, got ${describeValue(spec)}`);
  const nodes = Object.fromEntries(Object.entries(spec.nodes).map(([n, c]) => [n, layerFromConfig(c as LayerConfig, budget)]));
  return new NetGraph({ ...spec, nodes } as never);
}

function netChainFromConfig([layers, options]: unknown[], budget: ConfigBudget): Layer {
  if (!Array.isArray(layers)) throw new Error(`netChain config needs an array of layer configs, got ${describeValue(layers)}`);
  return new NetChain(layers.map((c) => layerFromConfig(c as LayerConfig, budget)), options as never);
}

/** additionLayer's numInputs, spent from the budget before the layer builds its port names. */
function additionFromConfig([n, o]: unknown[], budget: ConfigBudget): Layer {
  if (typeof n === "number" && n > budget.ports) {
    throw new Error(`additionLayer: numInputs ${n} exceeds what the file can wire: ${budget.ports} input ports remain (each needs an edge)`);
  }
  const layer = new AdditionLayer(n as number, o as never);
  budget.ports -= layer.numInputs;
  return layer;
}

const builders: Record<string, Build> = {
  attentionLayer: ([s, o], b) => new AttentionLayer(scoring(s, b) as never, o),
  sequenceAttentionLayer: ([s, o], b) => new SequenceAttentionLayer(scoring(s, b) as never, o),
  selfAttentionLayer: ([h, k, o]) => new SelfAttentionLayer(h, k, o),
  fullyConnectedLayer: ([n, o]) => new FullyConnectedLayer(n, o),
  layerNormalizationLayer: ([o]) => new LayerNormalizationLayer(o),
  dropoutLayer: ([p, o]) => new DropoutLayer(p, o),
  globalAveragePooling1dLayer: ([o]) => new GlobalAveragePooling1dLayer(o),
  additionLayer: additionFromConfig,
  sequenceInputLayer: ([n, o]) => new SequenceInputLayer(n, o),
  embeddingLayer: ([d, n, o]) => new EmbeddingLayer(d, n, o),
  positionEmbeddingLayer: ([d, n, o]) => new PositionEmbeddingLayer(d, n, o),
  lstmLayer: ([n, o]) => new LstmLayer(n, o),
  netChain: netChainFromConfig,
  netGraph: netGraphFromConfig,
  ...Object.fromEntries((["softmaxLayer", "reluLayer", "geluLayer", "tanhLayer", "sigmoidLayer"] as ActivationKind[]).map((k) => [k, ([o]: [{ name?: string }]) => new ActivationLayer(k, o)])),
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
 * checked for their outer form here and for their values by the layer constructors; `budget` is shared by
 * the whole file's config (see ConfigBudget).
 */
export function layerFromConfig(config: LayerConfig, budget: ConfigBudget = { ports: MAX_ADDITION_INPUTS }): Layer {
  if (!isRecord(config) || typeof config.kind !== "string" || !Array.isArray(config.args)) {
    throw new Error(`malformed layer config: expected { kind: string, args: [...] }, got ${describeValue(config)}`);
  }
  const build = Object.hasOwn(builders, config.kind) ? builders[config.kind] : undefined;
  if (!build) throw new Error(`unknown layer kind ${JSON.stringify(config.kind)} (known: ${Object.keys(builders).join(", ")})`);
  const args = config.args.map((a, i) => (config.kind === "netChain" && i === 0 ? a : dropNulls(a)));
  return build(args, budget);
}
