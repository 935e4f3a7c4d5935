// Rebuilds layers from their configs (saveNet / loadNet). The kinds are the descriptors (layers/layerKind.ts)
// that layers/index.ts exports, plus the two nets': no layer kind is listed here.
import type { LayerConfig, Layer } from "../layers/layer.js";
import * as layers from "../layers/index.js";
import { describeConfigValue, type LayerDescriptor } from "../layers/layerKind.js";
import { MAX_MERGE_INPUTS } from "../layers/mergeLayer.js";
import { isRecord } from "../util/validate.js";
import { netChainKind } from "./netChain.js";
import { netGraphKind } from "./netGraph.js";

type KindOf<T> = T extends LayerDescriptor<infer K> ? K : T extends readonly LayerDescriptor<infer K>[] ? K : never;
type Exported = typeof layers & { netGraphKind: typeof netGraphKind; netChainKind: typeof netChainKind };

/** Every layer kind a net can hold (what loadNet rebuilds): the kinds of the descriptors layers/index.ts exports, and the nets'. */
export type LayerKind = { [N in keyof Exported]: KindOf<Exported[N]> }[keyof Exported];

const isDescriptor = (v: unknown): v is LayerDescriptor =>
  isRecord(v) && typeof v.kind === "string" && Array.isArray(v.positional) && typeof v.fromConfig === "function";

const byKind: ReadonlyMap<string, LayerDescriptor> = new Map(
  [...Object.values(layers), netGraphKind, netChainKind].flatMap((v: unknown) => (Array.isArray(v) ? v : [v])).filter(isDescriptor).map((d) => [d.kind, d]),
);

/** The kinds loadNet can rebuild (the exporters' tables, typed Record<LayerKind, …>, hold the same). */
export function registeredLayerKinds(): LayerKind[] {
  return [...byKind.keys()] as LayerKind[];
}

/** JSON null stands for an unset option (undefined does not survive JSON). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

/**
 * What building one file's config may still spend, checked before a constructor allocates: the input ports of
 * merge layers (additionLayer, concatenationLayer: a descriptor's `inputPorts`). In a file, every such port inside
 * a netGraph is fed by an edge (one JSON array), so a file's ports are bounded by its arrays and objects, or by
 * MAX_MERGE_INPUTS for a lone layer.
 */
export interface ConfigBudget {
  ports: number;
}

/**
 * Builds a layer from its config (the caller, loadNet or deserializeNet, prefixes the messages). Configs are
 * checked for their outer form here and for their values by the layer constructors; `budget` is shared by the
 * whole file's config (see ConfigBudget).
 */
export function layerFromConfig(config: LayerConfig, budget: ConfigBudget = { ports: MAX_MERGE_INPUTS }): Layer {
  if (!isRecord(config) || typeof config.kind !== "string" || !Array.isArray(config.args)) {
    throw new Error(`malformed layer config: expected { kind: string, args: [...] }, got ${describeConfigValue(config)}`);
  }
  const descriptor = byKind.get(config.kind);
  if (!descriptor) throw new Error(`unknown layer kind ${describeConfigValue(config.kind)} (known: ${[...byKind.keys()].join(", ")})`);
  const args = config.args.map(dropNulls);
  const ports = descriptor.inputPorts?.(args);
  if (typeof ports === "number" && ports > budget.ports) {
    throw new Error(`${config.kind}: numInputs ${ports} exceeds what the file can wire: ${budget.ports} input ports remain (each needs an edge)`);
  }
  const layer = descriptor.fromConfig(args, (c) => layerFromConfig(c, budget));
  if (typeof ports === "number") budget.ports -= ports;
  return layer;
}
