// The wiring of a net read through its public surface (nodes, edges, order, inputNames, config):
// where each node input comes from and what each graph output is. Shared by the ONNX and PyTorch
// exporters so both walk a net the same way.
import type { Layer } from "../layers/layer.js";
import { NetChain } from "../nets/netChain.js";
import type { NetGraph } from "../nets/netGraph.js";

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
    if (!layer) throw new Error(`${net.label}: "${from}" is neither a node nor a graph input`);
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
      if (!s) throw new Error(`${net.label}: input "${port}" of node "${node}" is not connected`);
      return s;
    },
    outputs,
  };
}

/** The key under which a source's value is kept while walking a net. */
export const sourceKey = (s: Source): string => (s.node === undefined ? `in:${s.port}` : `${s.node}/${s.port}`);
