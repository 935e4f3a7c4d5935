// Layers that read the time axis → ONNX: global average pooling over valid steps, embeddings.
import type { EmbeddingLayer, PositionEmbeddingLayer } from "../../../layers/embeddingLayers.js";
import type { GlobalAveragePooling1dLayer } from "../../../layers/globalAveragePooling1dLayer.js";
import { dim } from "../helpers.js";
import { DataType } from "../onnxSchema.js";
import { onnxTranslator } from "../translator.js";
import { requireSequence } from "../../attentionInputs.js";

/** y[b] = Σ_t m[b,t] x[b,t] / Σ_t m[b,t] with the mask, else the mean over time: [B, T, C] → [B, C]. */
export const globalAveragePoolingToOnnx = onnxTranslator<GlobalAveragePooling1dLayer>((layer, { in: x }, { g, hint, mask }) => {
  requireSequence(layer, x, "in");
  if (!x.padded || !mask) return { out: { name: g.op1("ReduceMean", [x.name], { axes: [1], keepdims: 0 }, hint), time: false, padded: false } };
  const m = g.op1("Unsqueeze", [mask, g.ints([2])], {}, `${hint}.mask`); // [B, T, 1]
  const total = g.op1("ReduceSum", [g.op1("Mul", [x.name, m], {}, `${hint}.masked`), g.ints([1])], { keepdims: 0 }, `${hint}.sum`);
  const count = g.op1("ReduceSum", [m, g.ints([1])], { keepdims: 0 }, `${hint}.count`); // [B, 1]
  return { out: { name: g.op1("Div", [total, count], {}, hint), time: false, padded: false } };
});

/**
 * y[t] = weights[t]: Slice the table to T rows and Expand to [B, T, outputSize]. Decoding: rows past … past + T − 1,
 * by Gather (a row past maxPosition is an error in the runtime, not a silently shorter table).
 */
export const positionEmbeddingToOnnx = onnxTranslator<PositionEmbeddingLayer>((layer, { in: x }, { g, hint, decoding }) => {
  requireSequence(layer, x, "in");
  const w = layer.parameters.weights, weights = g.floats(`${hint}.weights`, w.data, [...w.shape]);
  const T = dim(g, x.name, 1, hint);
  let table: string;
  if (decoding?.past) {
    const scalar = (v: string) => g.op1("Squeeze", [v], {}, `${hint}.scalar`);
    const first = scalar(decoding.past), end = g.op1("Add", [first, scalar(T)], {}, `${hint}.end`);
    table = g.op1("Gather", [weights, g.op1("Range", [first, end, g.intScalar(1)], {}, `${hint}.rows`)], { axis: 0 }, `${hint}.table`);
  } else {
    table = g.op1("Slice", [weights, g.ints([0]), T, g.ints([0])], {}, `${hint}.table`);
  }
  const shape = g.op1("Concat", [g.op1("Shape", [x.name], { start: 0, end: 2 }, `${hint}.batchTime`), g.ints([layer.outputSize])], { axis: 0 }, `${hint}.shape`);
  return { out: { ...x, name: g.op1("Expand", [table, shape], {}, hint) } };
});

/** y[b, t] = weights[index[b, t]] for [B, T, 1] indices (padded steps read row 0, as in the layer). */
export const embeddingToOnnx = onnxTranslator<EmbeddingLayer>((layer, { in: x }, { g, hint, mask }) => {
  if (!x.time) throw layer.error(`input "in" must be indices [B, T, 1] to export, got a value without a time axis`);
  let index = g.op1("Cast", [g.op1("Squeeze", [x.name, g.ints([2])], {}, `${hint}.indices`)], { to: DataType.INT64 }, `${hint}.index`);
  if (x.padded && mask) index = g.op1("Where", [g.op1("Cast", [mask], { to: DataType.BOOL }, `${hint}.valid`), index, g.intScalar(0)], {}, `${hint}.indexValid`);
  const w = layer.parameters.weights;
  return { out: { ...x, name: g.op1("Gather", [g.floats(`${hint}.weights`, w.data, [...w.shape]), index], { axis: 0 }, hint) } };
});
