// The check every training and inference entry makes of its first argument.
import { Layer } from "../layers/layer.js";
import { NetGraph } from "../nets/netGraph.js";
import { describe } from "../util/validate.js";

/** Throws unless `net` is a netChain or netGraph; a lone layer is told to wrap itself in netChain. */
export function checkNet(net: unknown, where: string): asserts net is NetGraph {
  if (net instanceof NetGraph) return;
  throw new Error(`${where}: net must be a netChain or netGraph, got ${net instanceof Layer ? `a single ${net.label}; wrap it in netChain([...])` : describe(net)}`);
}
