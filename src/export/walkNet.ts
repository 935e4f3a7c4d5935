// The walk over a net's wiring (NetGraph.inputSource, outputSources) that the ONNX and PyTorch exporters share,
// so both visit nodes in the same order and hand them the same inputs, and the lookup of a node's translator in
// an exporter's table (typed Record<LayerKind, …>: a kind without a translator does not compile).
import type { Layer } from "../layers/layer.js";
import { type NetGraph, sourceKey } from "../nets/netGraph.js";
import type { LayerKind } from "../nets/layerRegistry.js";
import { quote } from "../util/text.js";

/** One node's translation: its input values by port → its output values by port. `path` is the node's name after the prefix. */
export type TranslateNode<V> = (layer: Layer, inputs: Record<string, V>, path: string) => Record<string, V>;

/**
 * Walks `net` in its order, handing each node the values its input ports are wired to, and returns the
 * values of the net's outputs. A nested net is walked by calling this again from `translate` with the
 * outer node's path as `prefix` ("outer/"). A node's error is rethrown as `${exporter}: node "path": …`.
 */
export function walkNet<V>(net: NetGraph, inputs: Record<string, V>, prefix: string, exporter: string, translate: TranslateNode<V>): Record<string, V> {
  const values = new Map<string, V>(Object.entries(inputs).map(([port, v]) => [sourceKey({ port }), v]));
  for (const node of net.order) {
    const layer = net.nodes[node], path = `${prefix}${node}`;
    const nodeInputs = Object.fromEntries(layer.inputNames.map((p) => [p, values.get(sourceKey(net.inputSource(node, p)))!]));
    let outs: Record<string, V>;
    try {
      outs = translate(layer, nodeInputs, path);
    } catch (e) {
      throw new Error(`${exporter}: node ${quote(path)}: ${(e as Error).message}`);
    }
    for (const [port, v] of Object.entries(outs)) values.set(sourceKey({ node, port }), v);
  }
  return Object.fromEntries(Object.entries(net.outputSources).map(([name, s]) => [name, values.get(sourceKey(s))!]));
}

/** The layer's translator in an exporter's table, else an error naming the layer and the kinds the table has. */
export function translatorFor<T>(table: Readonly<Record<LayerKind, T>>, layer: Layer): T {
  if (!Object.hasOwn(table, layer.kind)) {
    throw new Error(`${layer.label} cannot be exported (no exporter for layer kind ${quote(layer.kind)}; exportable: ${Object.keys(table).join(", ")})`);
  }
  return table[layer.kind as LayerKind];
}
