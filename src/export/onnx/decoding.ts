// Incremental decoding in the exported model (exportOnnx(net, { decoding: true }); docs/interop.md "Decoding
// with a key/value cache"): the library's decoding state (net.startState: a KeyValueCache per causal attention
// node, a running position per position embedding) becomes graph inputs and outputs. Attention node `path`
// takes past_key_<path> [batch, heads, past, keySize] and past_value_<path> [batch, heads, past, valueSize]
// and gives present_key_<path> / present_value_<path>, its past with the new positions appended (<path> as
// onnxName writes it; a "_1" … suffix, the same on all four, where a name is taken):
//   present = Concat(past, new, axis 2)
// The positions consumed before the call (`past`) are the caches' axis 2; a net with a position embedding but
// no attention cache takes them as the `position` input [1] instead. Every row of a batch has the same past
// and new lengths (no padding mask: rows of different lengths run one at a time).
import { KeyValueCache } from "../../decode/keyValueCache.js";
import { NetState, RowPositions, type DecodeState } from "../../decode/state.js";
import { feedsEmbedding } from "../../decode/decoder.js";
import type { Layer } from "../../layers/layer.js";
import type { NetGraph } from "../../nets/netGraph.js";
import { quote } from "../../util/text.js";
import type { OnnxGraph } from "./onnxGraph.js";
import { DataType } from "./onnxSchema.js";
import type { OnnxValue } from "./translator.js";

/** One attention node's cache: its graph inputs, the names reserved for its outputs, and their values once made. */
interface Cache {
  pastKey: string;
  pastValue: string;
  presentKey: string;
  presentValue: string;
  present?: { keys: string; values: string };
}

export class OnnxDecoding {
  /** positions consumed before this call, int64 [1] (undefined for a net that needs none: no cache, no position embedding) */
  readonly past: string | undefined;
  private readonly caches = new Map<string, Cache>();

  /** Declares the cache inputs (after the net's own input) and reserves the present outputs' names; `state` is net.startState's. */
  constructor(private readonly g: OnnxGraph, net: NetGraph, state: NetState) {
    let positions = false;
    for (const [path, layer, s] of statesOf(net, state, "")) {
      if (s instanceof RowPositions) positions = true;
      else if (s instanceof KeyValueCache) {
        const dims = (size: number) => ["batch", s.heads, "past", size];
        const [pastKey, pastValue, presentKey, presentValue] = g.freeNames(["past_key_", "past_value_", "present_key_", "present_value_"].map((p) => `${p}${path}`));
        g.input(pastKey, dims(s.keySize));
        g.input(pastValue, dims(s.valueSize));
        g.reserve(presentKey);
        g.reserve(presentValue);
        this.caches.set(path, { pastKey, pastValue, presentKey, presentValue });
      } else {
        throw new Error(`exportOnnx: node ${quote(path)}: ${layer.label} keeps a recurrent state when decoding, which the decoding export does not carry (it carries attention key/value caches and position embeddings' positions); export the net without decoding`);
      }
    }
    const first = this.caches.values().next().value;
    if (first) this.past = g.op1("Shape", [first.pastKey], { start: 2, end: 3 }, "past");
    else if (positions) this.past = g.input(g.freeNames(["position"])[0], [1], DataType.INT64);
  }

  /** Attention node `path`'s new keys [B, H, Tnew, D] and values [B, H, Tnew, Dv] → all its keys and values [B, H, past + Tnew, ·], which the model also outputs. */
  extend(path: string, keys: string, values: string): { keys: string; values: string } {
    const cache = this.caches.get(path);
    if (!cache) throw new Error(`exportOnnx: node ${quote(path)} has no decoding cache`); // startState made one for every attention node
    const hint = `${path}.present`;
    cache.present = {
      keys: this.g.op1("Concat", [cache.pastKey, keys], { axis: 2 }, `${hint}Keys`),
      values: this.g.op1("Concat", [cache.pastValue, values], { axis: 2 }, `${hint}Values`),
    };
    return cache.present;
  }

  /** Declares the present keys and values as graph outputs (after the net's outputs). */
  declareOutputs(): void {
    for (const c of this.caches.values()) {
      this.g.output(c.presentKey, c.present!.keys);
      this.g.output(c.presentValue, c.present!.values);
    }
  }
}

/**
 * The decoding model's inputs for `net` (one input; startDecoding has accepted it): token ids `[batch, new]` int64
 * for a net that starts with an embeddingLayer (given to the net as [batch, new, 1] floats, as decoder.next does),
 * else vectors `[batch, new, channels]` float32; then the caches.
 */
export function decodingInputs(net: NetGraph, g: OnnxGraph, state: NetState): { inputs: Record<string, OnnxValue>; decoding: OnnxDecoding } {
  const port = net.inputNames[0];
  let x: string;
  if (feedsEmbedding(net, port)) {
    const ids = g.input(port, ["batch", "new"], DataType.INT64);
    x = g.op1("Unsqueeze", [g.op1("Cast", [ids], { to: DataType.FLOAT }, "ids"), g.ints([2])], {}, "ids3");
  } else {
    x = g.input(port, ["batch", "new", net.declaredInputSize(port) ?? `${port}_channels`]);
  }
  return { inputs: { [port]: { name: x, time: true, padded: false } }, decoding: new OnnxDecoding(g, net, state) };
}

/** Every node's state with its path (nested nets' nodes as "outer/inner") and layer, position-wise nodes (no state) left out. */
function statesOf(net: NetGraph, state: NetState, prefix: string): [string, Layer, DecodeState][] {
  return [...state.nodes].flatMap(([node, s]): [string, Layer, DecodeState][] =>
    s instanceof NetState ? statesOf(net.nodes[node] as NetGraph, s, `${prefix}${node}/`) : s ? [[`${prefix}${node}`, net.nodes[node], s]] : []);
}
