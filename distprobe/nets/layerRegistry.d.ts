import type { Layer, LayerConfig } from "../layers/layer.js";
/** The kinds loadNet can rebuild (the exporters check their tables against this list). */
export declare const registeredLayerKinds: readonly string[];
/**
 * Builds a layer from its config (the caller, loadNet or deserializeNet, prefixes the messages). Configs are
 * checked for their outer form here and for their values by the layer constructors.
 */
export declare function layerFromConfig(config: LayerConfig): Layer;
