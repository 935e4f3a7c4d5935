// A layer kind is one descriptor, written at the end of its layer's file and exported from index.ts: the kind
// its configs carry, how a config's arguments rebuild the layer (loadNet, deserializeNet), and the names of its
// positional constructor arguments (the MATLAB-style display). nets/layerRegistry.ts collects the descriptors
// that index.ts exports, so `LayerKind`, and the exporters' translator tables typed by it, follow from that
// one export (docs/architecture.md, "Adding a layer kind").
import { quote } from "../util/text.js";
import type { Layer, LayerConfig } from "./layer.js";

/** One layer kind: its name, its config round trip, and its display. */
export interface LayerDescriptor<K extends string = string> {
  /** the `kind` of the layer's configs (and of `layer.kind`) */
  readonly kind: K;
  /** names of the positional constructor arguments, in order (a trailing options object names itself) */
  readonly positional: readonly string[];
  /**
   * The layer from its config's `args` (JSON nulls already dropped: they stand for unset options);
   * `rebuild` turns a nested layer config (a net's node, a scoring net) into a layer.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fromConfig(args: any[], rebuild: (config: LayerConfig) => Layer): Layer;
  /**
   * For layers whose input ports a config sizes (merge layers): how many ports these `args` would build, so that
   * loading can bound them before the constructor allocates (a hostile file's additionLayer(1e8)).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputPorts?(args: any[]): unknown;
}

// Every defined kind, for the display (which layer.ts imports, so it cannot import the registry: that imports
// every layer). A layer's own module has run by the time it is displayed, so its kind is here.
const descriptors = new Map<string, LayerDescriptor>();

/** Declares a layer kind (at the end of its layer's file); returns the descriptor to export from index.ts. */
export function defineLayerKind<const K extends string>(descriptor: LayerDescriptor<K>): LayerDescriptor<K> {
  descriptors.set(descriptor.kind, descriptor);
  return descriptor;
}

/** The positional constructor argument names of a kind (none for a kind without a descriptor). */
export function positionalArguments(kind: string): readonly string[] {
  return descriptors.get(kind)?.positional ?? [];
}

/** The longest start of a config string that a message quotes. */
const QUOTED_CHARACTERS = 80;

/** A short description of a config value for messages (never the whole, possibly huge, value; strings quoted printable). */
export function describeConfigValue(v: unknown): string {
  if (typeof v === "string") return v.length > QUOTED_CHARACTERS ? `${quote(v.slice(0, QUOTED_CHARACTERS))}… (${v.length} characters)` : quote(v);
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? String(v);
  return Array.isArray(v) ? `an array of ${v.length}` : `an object with keys ${Object.keys(v).slice(0, 8).join(", ") || "none"}`;
}
