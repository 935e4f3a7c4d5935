// What one layer kind's ONNX translator sees and returns.
import type { Layer } from "../../layers/layer.js";
import type { NetGraph } from "../../nets/netGraph.js";
import type { OnnxGraph } from "./onnxGraph.js";
import type { OnnxDecoding } from "./decoding.js";

/** A value in the exported graph. */
export interface OnnxValue {
  name: string;
  /** [B, T, …] with a time axis (else [B, …]) */
  time: boolean;
  /** its rows carry the net's sequence lengths, so the `mask` input tells data from padding */
  padded: boolean;
}

export interface OnnxContext {
  g: OnnxGraph;
  /** the `mask` input [B, T] (1 = data, 0 = padding), when the net takes sequences */
  mask?: string;
  /** the node's path in the net, for value names */
  hint: string;
  /** set when the model decodes incrementally (exportOnnx with `decoding`): the key/value caches and the running position */
  decoding?: OnnxDecoding;
  /** exports a nested net inline */
  exportNet(net: NetGraph, inputs: Record<string, OnnxValue>, prefix: string): Record<string, OnnxValue>;
}

export type OnnxTranslator = (layer: Layer, inputs: Record<string, OnnxValue>, context: OnnxContext) => Record<string, OnnxValue>;

/** Types a translator for one layer class (the table dispatches on kind, so the cast is safe). */
export const onnxTranslator = <L extends Layer>(f: (layer: L, inputs: Record<string, OnnxValue>, context: OnnxContext) => Record<string, OnnxValue>): OnnxTranslator =>
  f as unknown as OnnxTranslator;
