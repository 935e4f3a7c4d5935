// The exporters take nets; a bare layer is exported as a one-node graph over its own ports.
import { Layer } from "../layers/layer.js";
import { NetGraph, netGraph } from "../nets/netGraph.js";
import { SequenceInputLayer } from "../layers/sequenceInputLayer.js";
import { AttentionBase } from "../layers/attention/attentionLayer.js";
import { quote } from "../util/text.js";

export function asNet(layer: Layer, exporter: string): NetGraph {
  if (!(layer instanceof Layer)) throw new Error(`${exporter}: expected a net or a layer, got ${layer === null ? "null" : typeof layer}`);
  if (!layer.isInitialized) {
    throw new Error(`${exporter}: ${layer.label} is not initialized; train it, apply it to data or call initialize() first`);
  }
  if (layer instanceof NetGraph) return layer;
  if (layer instanceof SequenceInputLayer) throw new Error(`${exporter}: a sequenceInputLayer alone is not a net; put it in a netChain`);
  const node = layer.name && !layer.name.includes("/") ? layer.name : layer.kind; // "/" would read as node/port
  return netGraph({
    nodes: { [node]: layer },
    edges: layer.inputNames.map((p) => [p, `${node}/${p}`] as const),
    inputs: [...layer.inputNames],
    outputs: Object.fromEntries(layer.outputNames.map((p) => [p, `${node}/${p}`])),
  });
}

/** True when the net takes padded sequences with lengths (one input feeding a sequenceInputLayer). */
export function takesSequences(net: NetGraph): boolean {
  return net.inputNames.length === 1 && net.isSequenceInput(net.inputNames[0]);
}

/**
 * How graph input `port` reaches multiHead attention ports: `direct` when one takes it as it is (also through
 * nested nets' inputs); `indirect`, the first such layer, when one takes something computed from it.
 */
function multiHeadUse(net: NetGraph, port: string): { direct: boolean; indirect?: Layer } {
  const reached = new Set<string>(); // nodes computed from the input
  let direct = false, indirect: Layer | undefined;
  for (const node of net.order) {
    const layer = net.nodes[node];
    for (const p of layer.inputNames) {
      const source = net.inputSource(node, p);
      const straight = source.node === undefined && source.port === port;
      if (!straight && !(source.node !== undefined && reached.has(source.node))) continue;
      reached.add(node);
      if (layer instanceof NetGraph) {
        const inner = multiHeadUse(layer, p);
        if (straight) direct ||= inner.direct;
        else if (inner.direct) indirect ??= layer;
        indirect ??= inner.indirect;
      } else if (layer instanceof AttentionBase && layer.multiHead) {
        if (straight) direct = true;
        else indirect ??= layer;
      }
    }
  }
  return { direct, indirect };
}

/**
 * The rank of one example at graph input `port`, for declaring it: as the net knows it (a sequenceInputLayer's
 * [T, C], an attention port's declared shape), else [T, h, C] for a multiHead attention port, else [T, C].
 * An input that reaches a multiHead port only through other layers has no rank the exporter can tell: refused.
 */
export function exampleRankToExport(net: NetGraph, port: string): number {
  const declared = net.exampleRank(port);
  if (declared !== undefined) return declared;
  const use = multiHeadUse(net, port);
  if (use.indirect) {
    throw new Error(`exportOnnx: input ${quote(port)} reaches the multiHead ${use.indirect.label} through other layers, so the rank of its data is unknown here; wire multiHead attention ports straight to the net's inputs (or declare the port's shape) to export`);
  }
  return use.direct ? 3 : 2;
}
