// The wiring of a net read through its public surface (nodes, edges, order, inputNames, config):
// where each node input comes from and what each graph output is, and the walk over it that the ONNX and
// PyTorch exporters share, so both visit nodes in the same order and hand them the same inputs.
import type { Layer } from "../layers/layer.js";
import { NetChain } from "../nets/netChain.js";
import type { NetGraph } from "../nets/netGraph.js";
import { quote } from "../util/text.js";

/** A value in a net: a graph input port (node undefined) or a node's output port. */
export interface Source { node?: string; port: string }

export interface Wiring {
  /** "node/port" → source */
  inputOf(node: string, port: string): Source;
  outputs: Record<string, Source>;
}

export function netWiring(net: NetGraph): Wiring {
  const parse = (from: string): Source => {
    if (net.inputNames.includes(from)) return { port: from };
    const [node, port] = from.split("/");
    const layer: Layer | undefined = net.nodes[node];
    if (!layer) throw new Error(`${net.label}: ${quote(from)} is neither a node nor a graph input`);
    return { node, port: port ?? layer.outputNames[0] };
  };
  const sources = new Map<string, Source>();
  for (const [from, to] of net.edges) {
    const [node, port] = to.split("/");
    sources.set(`${node}/${port ?? net.nodes[node].inputNames[0]}`, parse(from));
  }
  let outputs: Record<string, Source>;
  if (net instanceof NetChain) {
    const last = net.order.find((n) => net.nodes[n] === net.layers[net.layers.length - 1])!;
    outputs = { [net.outputNames[0]]: { node: last, port: net.nodes[last].outputNames[0] } };
  } else {
    const spec = net.config().args[0] as { outputs: Record<string, string> };
    outputs = Object.fromEntries(Object.entries(spec.outputs).map(([name, from]) => [name, parse(from)]));
  }
  return {
    inputOf(node, port) {
      const s = sources.get(`${node}/${port}`);
      if (!s) throw new Error(`${net.label}: input ${quote(port)} of node ${quote(node)} is not connected`);
      return s;
    },
    outputs,
  };
}

/** The key under which a source's value is kept while walking a net. */
const sourceKey = (s: Source): string => (s.node === undefined ? `in:${s.port}` : `${s.node}/${s.port}`);

/** One node's translation: its input values by port → its output values by port. `path` is the node's name after the prefix. */
export type TranslateNode<V> = (layer: Layer, inputs: Record<string, V>, path: string) => Record<string, V>;

/**
 * Walks `net` in its order, handing each node the values its input ports are wired to, and returns the
 * values of the net's outputs. A nested net is walked by calling this again from `translate` with the
 * outer node's path as `prefix` ("outer/"). A node's error is rethrown as `${exporter}: node "path": …`.
 */
export function walkNet<V>(net: NetGraph, inputs: Record<string, V>, prefix: string, exporter: string, translate: TranslateNode<V>): Record<string, V> {
  const wiring = netWiring(net);
  const values = new Map<string, V>(Object.entries(inputs).map(([port, v]) => [sourceKey({ port }), v]));
  for (const node of net.order) {
    const layer = net.nodes[node], path = `${prefix}${node}`;
    const nodeInputs = Object.fromEntries(layer.inputNames.map((p) => [p, values.get(sourceKey(wiring.inputOf(node, p)))!]));
    let outs: Record<string, V>;
    try {
      outs = translate(layer, nodeInputs, path);
    } catch (e) {
      throw new Error(`${exporter}: node ${quote(path)}: ${(e as Error).message}`);
    }
    for (const [port, v] of Object.entries(outs)) values.set(sourceKey({ node, port }), v);
  }
  return Object.fromEntries(Object.entries(wiring.outputs).map(([name, s]) => [name, values.get(sourceKey(s))!]));
}
