// Bahdanau's additive scoring net, recognized from its wiring so the layer can score without the pair tensor:
//   input → fullyConnectedLayer (W₁, b₁?) ─┐
//                                           additionLayer(2) → tanhLayer → fullyConnectedLayer(1) (w, c?)
//   query → fullyConnectedLayer (W₂, b₂?) ─┘
// s(k, q) = wᵀ tanh(W₁k + b₁ + W₂q + b₂) + c: the key-only K₁ = W₁k + b₁ and query-only Q₂ = W₂q + b₂ run once
// per key and per query, the pairs in ops.additiveScores (one node, forward and backward fused).
import * as ops from "../../tensor/ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Layer, Pending } from "../layer.js";
import type { GraphLike, Memo } from "./factoredScores.js";

/** A fullyConnectedLayer as additiveForm reads it. */
interface Linear extends Layer { readonly outputSize: number; affineParameters(pending?: Pending): { weights: Tensor; bias?: Tensor } }

const isLinear = (layer: Layer | undefined): layer is Linear =>
  layer?.kind === "fullyConnectedLayer" && typeof (layer as unknown as Partial<Linear>).affineParameters === "function";

/** The additive form's layers: keys (W₁, b₁), queries (W₂, b₂), score (w, c). */
export interface AdditiveForm { keys: Linear; queries: Linear; score: Linear }

/** The additive form of a scoring net wired exactly as in the header, or undefined. */
export function additiveForm(net: GraphLike): AdditiveForm | undefined {
  if (net.order.length !== 5) return undefined;
  const outs = Object.values(net.outputSources);
  const from = (node: string | undefined, port = "in") => (node === undefined ? undefined : net.inputSource(node, port));
  const score = outs.length === 1 ? outs[0].node : undefined;
  const squash = from(score)?.node, sum = from(squash)?.node;
  const layer = (n: string | undefined) => (n === undefined ? undefined : net.nodes[n]);
  if (!isLinear(layer(score)) || (layer(score) as Linear).outputSize !== 1 || layer(squash)?.kind !== "tanhLayer") return undefined;
  if (layer(sum)?.kind !== "additionLayer" || layer(sum)!.inputNames.length !== 2) return undefined;
  const [a, b] = ["in1", "in2"].map((p) => from(sum, p)!.node);
  const byInput: Record<string, Linear> = {};
  for (const n of [a, b]) {
    const l = layer(n), source = n === undefined ? undefined : from(n);
    if (!isLinear(l) || source === undefined || source.node !== undefined) return undefined;
    byInput[source.port] = l;
  }
  const { input: keys, query: queries } = byInput;
  return keys && queries && keys !== queries ? { keys, queries, score: layer(score) as Linear } : undefined;
}

/** y = x Wᵀ (+ b) by a fullyConnectedLayer's parameters. */
function project(layer: Linear, x: Tensor, pending: Pending): Tensor {
  const { weights, bias } = layer.affineParameters(pending);
  const y = ops.linear(x, weights);
  return bias ? ops.add(y, bias) : y;
}

/** Scores [..., M, N] of K [..., N, k] and Q [..., M, q]; `memo` keeps K₁ for fixed keys (decoding). */
export function additiveScoresOf(form: AdditiveForm, K: Tensor, Q: Tensor, pending: Pending, memo?: Memo): Tensor {
  const K1 = memo ? memo("additive scoring's W₁k", () => project(form.keys, K, pending)) : project(form.keys, K, pending);
  const { weights: w, bias: c } = form.score.affineParameters(pending);
  const s = ops.additiveScores(K1, project(form.queries, Q, pending), w);
  return c ? ops.add(s, ops.reshape(c, [])) : s;
}
