// netChain (Wolfram NetChain, MATLAB layer arrays): layers applied one after another. It is a netGraph
// whose nodes are named by the layers' names (or their position, 1-based, for a name used twice or holding "/") and wired in order.
import { Layer, type LayerConfig } from "../layers/layer.js";
import { checkOptionsObject, describe } from "../util/validate.js";
import { NetGraph } from "./netGraph.js";

/** A netGraph of layers in a row: input port "input" ("in" if a layer is named input), output "output". */
export class NetChain extends NetGraph<"output"> {
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[], options: { name?: string } = {}) {
    if (!Array.isArray(layers) || layers.length === 0) throw new Error(`netChain: needs a non-empty array of layers, got ${describe(layers)}`);
    checkOptionsObject(options, "netChain");
    layers.forEach((l, i) => { if (!(l instanceof Layer)) throw new Error(`netChain: element ${i + 1} of the layers is not a layer, got ${describe(l)}`); });
    const names = layers.map((l, i) => (l.name && !l.name.includes("/") && layers.filter((m) => m.name === l.name).length === 1 ? l.name : String(i + 1)));
    const input = names.includes("input") ? "in" : "input"; // the chain's input port must not share a node's name
    super({
      nodes: Object.fromEntries(layers.map((l, i) => [names[i], l])),
      edges: names.map((n, i) => [i === 0 ? input : names[i - 1], n] as const),
      inputs: [input],
      outputs: { output: names[names.length - 1] },
      name: options.name,
    }, "netChain");
    this.layers = layers;
  }

  override config(): LayerConfig {
    return { kind: "netChain", args: [this.layers.map((l) => l.config()), { name: this.name }] };
  }
}

/**
 * Wolfram NetChain / a MATLAB layer array: the layers applied in order.
 * @example netChain([sequenceInputLayer(12), selfAttentionLayer(4, 12), fullyConnectedLayer(9), softmaxLayer()])
 */
export function netChain(layers: readonly Layer[], options?: { name?: string }): NetChain {
  return new NetChain(layers, options);
}

import { defineLayerKind, describeConfigValue } from "../layers/layerKind.js";

/** The netChain kind: config args [layer configs, options]; each layer is rebuilt first. */
export const netChainKind = defineLayerKind({
  kind: "netChain", positional: [],
  fromConfig: ([layers, options], rebuild) => {
    if (!Array.isArray(layers)) throw new Error(`netChain config needs an array of layer configs, got ${describeConfigValue(layers)}`);
    return new NetChain(layers.map((c) => rebuild(c as LayerConfig)), options);
  },
});
