// Recurrent layers → ONNX LSTM / GRU / RNN (time-major; onnxruntime runs layout 0 only), one op for both
// directions ("bidirectional": ONNX reverses each row within its sequence_lens, as the layer does). ONNX orders
// the gates LSTM i, o, f, c (MATLAB i, f, g, o) and GRU z, r, h (MATLAB r, z, h̃), and keeps an input and a
// recurrent bias per direction: MATLAB's one bias is the input bias, the recurrent bias zero (GRU's
// "recurrent-bias-after-multiplication": the second half). GRU's "after-multiplication" is linear_before_reset = 1.
import type { GruLayer } from "../../../layers/gruLayer.js";
import type { RecurrentLayer } from "../../../layers/recurrentLayer.js";
import { DataType } from "../onnxSchema.js";
import type { OnnxGraph } from "../onnxGraph.js";
import { onnxTranslator } from "../translator.js";
import { requireSequence } from "../../attentionInputs.js";

/** Per kind: the ONNX op, its output count (Y, Y_h and, for LSTMs, Y_c), and each ONNX gate's MATLAB gate index. */
const OPS: Record<string, { op: string; outputs: number; gates: number[] }> = {
  lstmLayer: { op: "LSTM", outputs: 3, gates: [0, 3, 1, 2] },
  bilstmLayer: { op: "LSTM", outputs: 3, gates: [0, 3, 1, 2] },
  gruLayer: { op: "GRU", outputs: 2, gates: [1, 0, 2] },
  basicRecurrentLayer: { op: "RNN", outputs: 2, gates: [0] },
};

export const recurrentToOnnx = onnxTranslator<RecurrentLayer>((layer, inputs, { g, hint, mask }) => {
  const x = inputs.in;
  requireSequence(layer, x, "in");
  const { op, outputs, gates } = OPS[layer.kind];
  const H = layer.numHiddenUnits, D = layer.directions, G = gates.length;
  const { inputWeights, recurrentWeights, bias } = layer.parameters;
  const C = inputWeights.shape[1], biasPerDirection = bias.size / D;
  /** direction d's G blocks of `rows` rows of `rowLength` from `data` (offset `start` in the direction's block), in ONNX's gate order */
  const reorder = (data: Float32Array, d: number, per: number, start: number, rowLength: number) => {
    const out = new Float32Array(G * H * rowLength), block = H * rowLength, base = d * per + start;
    gates.forEach((from, to) => out.set(data.subarray(base + from * block, base + (from + 1) * block), to * block));
    return out;
  };
  const directions = (f: (d: number) => Float32Array) => Float32Array.from(Array.from({ length: D }, (_, d) => Array.from(f(d))).flat());
  const W = g.floats(`${hint}.W`, directions((d) => reorder(inputWeights.data, d, G * H * C, 0, C)), [D, G * H, C]);
  const R = g.floats(`${hint}.R`, directions((d) => reorder(recurrentWeights.data, d, G * H * H, 0, H)), [D, G * H, H]);
  const recurrentBias = (d: number) => (biasPerDirection > G * H ? reorder(bias.data, d, biasPerDirection, G * H, 1) : new Float32Array(G * H));
  const B = g.floats(`${hint}.B`, directions((d) => Float32Array.from([...reorder(bias.data, d, biasPerDirection, 0, 1), ...recurrentBias(d)])), [D, 2 * G * H]);
  const timeMajor = g.op1("Transpose", [x.name], { perm: [1, 0, 2] }, `${hint}.timeMajor`);
  const lengths = x.padded && mask
    ? g.op1("Cast", [g.op1("ReduceSum", [mask, g.ints([1])], { keepdims: 0 }, `${hint}.lengthsFloat`)], { to: DataType.INT32 }, `${hint}.lengths`)
    : "";
  // a state [B, D·H] ↔ ONNX's [D, B, H]
  const stateIn = (port: string) => (layer.hasStateInputs ? g.op1("Transpose", [g.op1("Reshape", [inputs[port].name, g.ints([0, D, H])], {}, `${hint}.${port}In`)], { perm: [1, 0, 2] }, `${hint}.${port}0`) : "");
  const stateOut = (name: string, port: string) => g.op1("Reshape", [g.op1("Transpose", [name], { perm: [1, 0, 2] }, `${hint}.${port}Last`), g.ints([0, D * H])], {}, `${hint}.${port}`);
  const opInputs = [timeMajor, W, R, B, lengths, stateIn("hidden"), ...(outputs === 3 ? [stateIn("cell")] : [])];
  while (opInputs[opInputs.length - 1] === "") opInputs.pop();
  const attributes = { hidden_size: H, ...(D === 2 ? { direction: "bidirectional" } : {}), ...(op === "GRU" ? { linear_before_reset: (layer as GruLayer).resetGateMode === "before-multiplication" ? 0 : 1 } : {}) };
  const [Y, Yh, Yc] = g.op(op, opInputs, attributes, `${hint}.${op.toLowerCase()}`, layer.hasStateOutputs ? outputs : 2); // Y [T, D, B, H], Y_h, Y_c [D, B, H]
  const out = layer.outputMode === "sequence" ? { ...x, name: sequence(g, Y, D * H, hint) }
    : { name: D === 1 ? g.op1("Squeeze", [Yh, g.ints([0])], {}, hint) : lastValidStep(g, sequence(g, Y, D * H, hint), mask && x.padded ? mask : undefined, hint), time: false, padded: false };
  if (!layer.hasStateOutputs) return { out };
  const states = { out, hidden: { name: stateOut(Yh, "hidden"), time: false, padded: false } };
  return outputs === 3 ? { ...states, cell: { name: stateOut(Yc, "cell"), time: false, padded: false } } : states;
});

/** ONNX's Y [T, D, B, H] as the layer's out [B, T, D·H]. */
function sequence(g: OnnxGraph, Y: string, width: number, hint: string): string {
  return g.op1("Reshape", [g.op1("Transpose", [Y], { perm: [2, 0, 1, 3] }, `${hint}.Y`), g.ints([0, 0, width])], {}, `${hint}.sequence`);
}

/** Each row's last valid step of y [B, T, W]: Σ_t y[b, t] (m[b, t] − m[b, t + 1]) with the mask, else the last step. */
function lastValidStep(g: OnnxGraph, y: string, mask: string | undefined, hint: string): string {
  if (!mask) return g.op1("Squeeze", [g.op1("Slice", [y, g.ints([-1]), g.ints([2 ** 31 - 1]), g.ints([1])], {}, `${hint}.lastSlice`), g.ints([1])], {}, hint);
  const next = g.op1("Pad", [g.op1("Slice", [mask, g.ints([1]), g.ints([2 ** 31 - 1]), g.ints([1])], {}, `${hint}.maskNext`), g.ints([0, 0, 0, 1])], {}, `${hint}.maskShifted`);
  const last = g.op1("Unsqueeze", [g.op1("Sub", [mask, next], {}, `${hint}.lastStep`), g.ints([2])], {}, `${hint}.lastStepOne`);
  return g.op1("ReduceSum", [g.op1("Mul", [y, last], {}, `${hint}.lastMasked`), g.ints([1])], { keepdims: 0 }, hint);
}
