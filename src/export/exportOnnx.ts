// exportOnnx(net): an ONNX model (opset 17) of a net of the library's layers, for onnxruntime and friends.
// Inputs: one per graph input port, [batch, time, channels] float32 (a multiHead attention port: [batch,
// time, heads, channels]; a port with a declared shape: its rank); a sequence net also takes `mask`
// [batch, time] float32 (1 = data, 0 = padding), so padded batches of different lengths give each row
// what net.predict gives that sequence alone. Outputs are named after the net's outputs.
// With `decoding`, the model decodes incrementally as net.startDecoding does (onnx/decoding.ts).
import type { Layer } from "../layers/layer.js";
import type { NetGraph } from "../nets/netGraph.js";
import { checkBoolean, checkOptionNames, checkString } from "../util/validate.js";
import { printable } from "../util/text.js";
import type { NetState } from "../decode/state.js";
import { asNet, exampleRankToExport, takesSequences } from "./asNet.js";
import { type TranslateNode, translatorFor, walkNet } from "./walkNet.js";
import { decodingInputs } from "./onnx/decoding.js";
import { OnnxGraph } from "./onnx/onnxGraph.js";
import type { OnnxContext, OnnxValue } from "./onnx/translator.js";
import { onnxTranslators } from "./onnx/translators.js";

/** Options of exportOnnx: the graph's name and doc string. */
export interface ExportOnnxOptions {
  /** the graph's name (default: the net's name or "attention-layers net") */
  name?: string;
  /** the model's doc string */
  docString?: string;
  /**
   * a model for incremental decoding, as net.startDecoding: it takes the new positions (token ids [batch, new] int64, or
   * [batch, new, C]) and each causal attention node's past keys and values, and gives the outputs for the new
   * positions and the present keys and values (docs/interop.md "Decoding with a key/value cache")
   */
  decoding?: boolean;
}

export const MASK_INPUT = "mask";

/**
 * The net as an ONNX model (opset 17) in bytes: inputs `input` [batch, time, C] (and `mask` [batch, time] for sequence nets), for onnxruntime in Node, the web or Python.
 * With `{ decoding: true }`: a decoder taking the new positions and each attention node's past keys and values, giving the outputs and the present keys and values.
 * @example writeFileSync("net.onnx", exportOnnx(net))
 */
export function exportOnnx(net: Layer, options: ExportOnnxOptions = {}): Uint8Array {
  const graphNet = asNet(net, "exportOnnx");
  checkOptionNames(options, ["name", "docString", "decoding"], "exportOnnx");
  for (const key of ["name", "docString"] as const) if (options[key] !== undefined) checkString(options[key], "exportOnnx", key);
  const g = new OnnxGraph();
  for (const name of graphNet.outputNames) g.reserve(name);
  const { inputs, mask, decoding } = options.decoding !== undefined && checkBoolean(options.decoding, "exportOnnx", "decoding")
    ? { ...decodingInputs(graphNet, g, decodingState(graphNet)), mask: undefined }
    : netInputs(graphNet, g);
  const context: Omit<OnnxContext, "hint"> = {
    g, mask, decoding,
    exportNet: (inner, innerInputs, prefix) => walkNet(inner, innerInputs, prefix, "exportOnnx", translate),
  };
  const translate: TranslateNode<OnnxValue> = (layer, nodeInputs, path) => translatorFor(onnxTranslators, layer)(layer, nodeInputs, { ...context, hint: path });
  const outputs = walkNet(graphNet, inputs, "", "exportOnnx", translate);
  for (const [name, v] of Object.entries(outputs)) g.output(name, v.name);
  decoding?.declareOutputs();
  return g.encode({ graphName: options.name ?? (graphNet.name || "attention-layers net"), docString: options.docString });
}

/** The graph inputs of the whole-sequence model: one per port, and `mask` for a sequence net. */
function netInputs(graphNet: NetGraph, g: OnnxGraph): { inputs: Record<string, OnnxValue>; mask?: string; decoding?: undefined } {
  const sequences = takesSequences(graphNet);
  const inputs: Record<string, OnnxValue> = {};
  for (const port of graphNet.inputNames) {
    if (sequences && port === MASK_INPUT) throw new Error(`exportOnnx: the net's input is named "${MASK_INPUT}", which the exported model needs for the padding mask`);
    // [batch, time, C], or [batch, time, …, C] where one example has more axes (multiHead attention: [T, h, C])
    const middle = Array.from({ length: exampleRankToExport(graphNet, port) - 2 }, (_, i) => `${port}_axis${i + 2}`);
    // an input that feeds only masks (selfAttentionLayer "mask" ports) is [batch, time]
    const dims = graphNet.isMaskInput(port) ? ["batch", "time"] : ["batch", "time", ...middle, graphNet.declaredInputSize(port) ?? `${port}_channels`];
    inputs[port] = { name: g.input(port, dims), time: true, padded: sequences };
  }
  return { inputs, mask: sequences ? g.input(MASK_INPUT, ["batch", "time"]) : undefined };
}

/** The net's decoding state, or startDecoding's refusal (a net that cannot decode step by step cannot export for it). */
function decodingState(net: NetGraph): NetState {
  if (net.inputNames.length !== 1) throw new Error(`exportOnnx: { decoding: true } exports nets with one input; ${net.label} has ${net.inputNames.length} (${net.inputNames.map(printable).join(", ")}): a padding mask or fixed inputs (seq2seq) are not exported for decoding yet`);
  try {
    net.startDecoding({ capacity: 1 });
  } catch (e) {
    throw new Error(`exportOnnx: ${(e as Error).message}`);
  }
  return net.startState(1, 1);
}
