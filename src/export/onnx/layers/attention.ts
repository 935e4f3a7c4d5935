// attentionLayer / sequenceAttentionLayer inside a net → ONNX. In a net every batch row is its own
// example [T, C]; batched here, with padded keys blocked by the mask:
//   S = (r ∘ Q) Kᵀ ("Dot"), (r ∘ Q)(K Wᵀ)ᵀ ("Bilinear", W [q, k]) or r ∘ f(k_j, q_i) (a custom scoring net);
//   r the score rescaling per query row:
//   1, 1/√k ("dimensionSqrt"), 1/√(keys the row sees) ("lengthSqrt": √len_b, or √min(i+1, w) under a causal mask)
//   A = masked softmax(S);  output = A V.
// Decoding (exportOnnx with `decoding`): causal "Dot"/"Bilinear" attention keeps its scored keys and values in
// a one-head cache, query i at position past + i (onnx/decoding.ts).
// With multiHead every port is [B, d…, h, c] (heads on the second-to-last axis) and each head attends on its
// own: the heads are folded into the batch ([B·h, N, c]), the graph above runs once, and its result goes
// back to [B, q…, h, v].
import type { AttentionBase } from "../../../layers/attention/attentionLayer.js";
import { NetGraph } from "../../../nets/netGraph.js";
import { attentionInputs } from "../../attentionInputs.js";
import { allOf, causalMask, dim, keyPaddingMask, linear, maskedSoftmax } from "../helpers.js";
import type { OnnxGraph } from "../onnxGraph.js";
import { DataType } from "../onnxSchema.js";
import { onnxTranslator, type OnnxContext, type OnnxValue } from "../translator.js";

export const attentionToOnnx = onnxTranslator<AttentionBase<object>>((layer, inputs, context) => {
  const { key, value, query } = attentionInputs(layer, inputs);
  const output = layer.multiHead ? multiHeadAttention(layer, key, value, query, context) : attention(layer, key, value, query, context);
  return { output: { name: output, time: true, padded: query.padded } };
});

/**
 * One head: key [B, N, k], value [B, N, v], query [B, M, q] → [B, M, v]. Decoding (context.decoding; "Dot" or
 * "Bilinear", causal): the keys as scored and the values join the cache (one head: [B, 1, past + N, ·]), and
 * query i is at position past + i.
 */
function attention(layer: AttentionBase<object>, key: OnnxValue, value: OnnxValue, query: OnnxValue, context: OnnxContext): string {
  const { g, hint, decoding } = context;
  let keys = layer.scoring === "custom" ? key.name : scoredKeys(layer, key, context), values = value.name;
  if (decoding) {
    const oneHead = (x: string) => g.op1("Unsqueeze", [x, g.ints([1])], {}, `${hint}.oneHead`);
    const all = decoding.extend(hint, oneHead(keys), oneHead(values));
    [keys, values] = [all.keys, all.values].map((x) => g.op1("Squeeze", [x, g.ints([1])], {}, `${hint}.cached`));
  }
  const window = layer.mask === "none" || layer.mask === "causal" ? undefined : layer.mask.causal;
  const causal = layer.mask === "none" ? undefined : causalMask(g, { queries: dim(g, query.name, 1, hint), keys: dim(g, keys, 1, hint), first: decoding?.past }, window, `${hint}.causal`);
  const r = rescaling(layer, key, query, context);
  const scores = layer.scoring === "custom"
    ? g.op1("Mul", [customScores(layer, key, query, context), r], {}, `${hint}.scores`)
    : dotProductScores(keys, g.op1("Mul", [query.name, r], {}, `${hint}.rescaledQuery`), context); // [B, M, N]
  const padding = keyPaddingMask(context, key); // [B, 1, 1, N] → [B, 1, N]
  const allowed = allOf(g, [padding && g.op1("Squeeze", [padding, g.ints([1])], {}, `${hint}.keyMask3`), causal], `${hint}.allowed`);
  const weights = maskedSoftmax(g, scores, allowed, hint);
  return g.op1("MatMul", [weights, values], {}, `${hint}.output`);
}

/**
 * multiHead: key [B, d…, h, k], value [B, d…, h, v], query [B, q…, h, q] → [B, q…, h, v]. Each port becomes
 * [B, N, h, c] (positions flattened, as the layer does) → Transpose → [B, h, N, c] → [B·h, N, c], so every
 * (example, head) pair is one batch row of the single-head graph; its [B·h, M, v] result is unfolded.
 */
function multiHeadAttention(layer: AttentionBase<object>, key: OnnxValue, value: OnnxValue, query: OnnxValue, context: OnnxContext): string {
  const { g, hint } = context;
  // padding masks are per example; nothing in a net makes padded [B, T, h, c] values (sequenceInputLayer gives [B, T, C])
  if (key.padded || query.padded) throw layer.error(`multiHead on padded sequences cannot be exported`);
  const lastTwo = (x: string) => g.op1("Shape", [x], { start: -2 }, `${hint}.headsAndSize`);
  const fold = (x: OnnxValue, what: string): OnnxValue => {
    const positionsFlat = g.op1("Reshape", [x.name, g.op1("Concat", [g.ints([0, -1]), lastTwo(x.name)], { axis: 0 }, `${hint}.${what}Flat`)], {}, `${hint}.${what}Positions`);
    const headsFirst = g.op1("Transpose", [positionsFlat], { perm: [0, 2, 1, 3] }, `${hint}.${what}HeadsFirst`);
    const rows = g.op1("Concat", [g.ints([-1]), g.op1("Shape", [headsFirst], { start: 2 }, `${hint}.${what}Rows`)], { axis: 0 }, `${hint}.${what}RowShape`);
    return { name: g.op1("Reshape", [headsFirst, rows], {}, `${hint}.${what}PerHead`), time: true, padded: false };
  };
  const keys = fold(key, "key");
  const perHead = attention(layer, keys, value === key ? keys : fold(value, "value"), fold(query, "query"), context); // [B·h, M, v]
  const [B, h, v] = [dim(g, query.name, 0, hint), g.op1("Shape", [query.name], { start: -2, end: -1 }, `${hint}.heads`), dim(g, perHead, 2, hint)];
  const unfolded = g.op1("Reshape", [perHead, g.op1("Concat", [B, h, g.ints([-1]), v], { axis: 0 }, `${hint}.outputHeadsShape`)], {}, `${hint}.outputHeads`); // [B, h, M, v]
  const positionsFirst = g.op1("Transpose", [unfolded], { perm: [0, 2, 1, 3] }, `${hint}.outputPositionsFirst`); // [B, M, h, v]
  const outputShape = g.op1("Concat", [g.op1("Shape", [query.name], { end: -1 }, `${hint}.queryAxes`), v], { axis: 0 }, `${hint}.outputShape`);
  return g.op1("Reshape", [positionsFirst, outputShape], {}, `${hint}.multiHeadOutput`); // [B, q…, h, v]
}

/** The keys as "Dot" scores them (K) or as "Bilinear" does (K Wᵀ, W [q, k]: [B, N, q]). */
function scoredKeys(layer: AttentionBase<object>, key: OnnxValue, { g, hint }: OnnxContext): string {
  return layer.scoring === "Bilinear" ? linear(g, key.name, layer.parameters.weights, undefined, `${hint}.keyProjection`) : key.name;
}

/** (r ∘ Q) Kᵀ with the scored keys K [B, N, q]: [B, M, N]. */
function dotProductScores(keys: string, rescaledQuery: string, { g, hint }: OnnxContext): string {
  const keyT = g.op1("Transpose", [keys], { perm: [0, 2, 1] }, `${hint}.keyT`);
  return g.op1("MatMul", [rescaledQuery, keyT], {}, `${hint}.dotScores`);
}

/**
 * A custom scoring net f(k, q) on every (query i, key j) pair, as the layer evaluates it: the net is
 * exported inline on keys expanded to [B, M, N, k] and queries to [B, M, N, q]; its scores [B, M, N(, 1)].
 */
function customScores(layer: AttentionBase<object>, key: OnnxValue, query: OnnxValue, context: OnnxContext): string {
  const { g, hint } = context;
  const net = layer.scoringNet;
  if (!(net instanceof NetGraph)) throw layer.error(`a custom scoring net exports only when it is a netGraph or netChain`);
  const [BM, N, k, q] = [g.op1("Shape", [query.name], { start: 0, end: 2 }, `${hint}.BM`), dim(g, key.name, 1, hint), dim(g, key.name, 2, hint), dim(g, query.name, 2, hint)];
  const expand = (x: string, axis: number, sizes: string[], what: string) =>
    g.op1("Expand", [g.op1("Unsqueeze", [x, g.ints([axis])], {}, `${hint}.${what}1`), g.op1("Concat", sizes, { axis: 0 }, `${hint}.${what}Shape`)], {}, `${hint}.${what}Pairs`);
  const keys = expand(key.name, 1, [BM, N, k], "key"), queries = expand(query.name, 2, [BM, N, q], "query");
  const outputs = context.exportNet(net, { input: { name: keys, time: false, padded: false }, query: { name: queries, time: false, padded: false } }, `${hint}/scoringNet/`);
  const values = Object.values(outputs);
  if (values.length !== 1) throw layer.error(`the scoring net must have one output, it has ${values.length}`);
  return g.op1("Reshape", [values[0].name, g.ints([0, 0, 0])], {}, `${hint}.customScores`); // drop a trailing 1
}

/** The per-query-row score factor r, broadcastable to the query [B, M, q] and the scores [B, M, N]. */
function rescaling(layer: AttentionBase<object>, key: OnnxValue, query: OnnxValue, context: OnnxContext): string {
  const { g, hint } = context;
  const invSqrt = (x: string) => g.op1("Reciprocal", [g.op1("Sqrt", [x], {}, `${hint}.sqrt`)], {}, `${hint}.rescaling`);
  if (layer.scoreRescaling === "none") return g.scalar(1);
  if (layer.scoreRescaling === "dimensionSqrt") return invSqrt(asFloat(g, dim(g, key.name, 2, hint), hint)); // 1/√k
  if (layer.mask !== "none") {
    // row i (at position p = past + i; past = 0 but when decoding) sees min(p + 1, w) keys: a [1, M, 1] column
    const M = g.op1("Squeeze", [asFloat(g, dim(g, query.name, 1, hint), hint)], {}, `${hint}.M`);
    const past = context.decoding?.past ? g.op1("Squeeze", [asFloat(g, context.decoding.past, hint)], {}, `${hint}.past`) : g.scalar(0);
    const first = g.op1("Add", [past, g.scalar(1)], {}, `${hint}.firstCount`);
    let counts = g.op1("Range", [first, g.op1("Add", [M, first], {}, `${hint}.lastCount`), g.scalar(1)], {}, `${hint}.visible`);
    if (layer.mask !== "causal") counts = g.op1("Min", [counts, g.scalar(layer.mask.causal)], {}, `${hint}.visibleWindow`);
    return g.op1("Unsqueeze", [invSqrt(counts), g.ints([0, 2])], {}, `${hint}.rowRescaling`);
  }
  // every row sees all of its example's keys: N_b = len_b for padded keys, else N
  const n = key.padded && context.mask
    ? g.op1("ReduceSum", [context.mask, g.ints([1])], { keepdims: 1 }, `${hint}.keyCount`) // [B, 1]
    : asFloat(g, dim(g, key.name, 1, hint), hint); // [1]
  const r = g.op1("Max", [n, g.scalar(1)], {}, `${hint}.keyCountAtLeast1`);
  return g.op1("Unsqueeze", [invSqrt(r), g.ints([-1])], {}, `${hint}.rowRescaling`); // [B, 1, 1] or [1, 1]
}

function asFloat(g: OnnxGraph, x: string, hint: string): string {
  return g.op1("Cast", [x], { to: DataType.FLOAT }, `${hint}.float`);
}
