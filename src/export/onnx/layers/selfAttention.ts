// selfAttentionLayer → ONNX: projections, heads by Reshape/Transpose, S = QKᵀ/√D, the masks (sequence
// padding, padding-mask input, causal, custom) as one bool [B|1, 1, T, T], masked softmax, AV, output projection.
// Decoding (context.decoding): keys and values are the cached ones and the new ones, [B, H, past + T, ·], and
// the causal mask is bottom-right (query i at position past + i).
import type { SelfAttentionLayer } from "../../../layers/attention/selfAttentionLayer.js";
import { Tensor } from "../../../tensor/tensor.js";
import { allOf, boolKeyMask, causalMask, dim, keyPaddingMask, linear, maskedSoftmax } from "../helpers.js";
import { onnxTranslator } from "../translator.js";
import { requireSequence } from "../../attentionInputs.js";

export const selfAttentionToOnnx = onnxTranslator<SelfAttentionLayer>((layer, inputs, context) => {
  const { g, hint } = context;
  const x = inputs.in;
  requireSequence(layer, x, "in");
  if (layer.numKeyValueHeads !== layer.numHeads) {
    throw layer.error(`grouped-query attention (numKeyValueHeads ${layer.numKeyValueHeads} < numHeads ${layer.numHeads}) cannot be exported to ONNX yet; export to PyTorch (exportToPyTorch handles it), or use numKeyValueHeads = numHeads`);
  }
  const p = layer.parameters;
  const H = layer.numHeads, D = layer.numKeyChannels / H, Dv = layer.numValueChannels / H;
  // [B, T, C] → [B, T, H, size] → [B, H, T, size] (perm [0, 2, 1, 3]) or [B, H, size, T] for keys
  const heads = (w: string, b: string, size: number, perm: number[], what: string) =>
    g.op1("Transpose", [g.op1("Reshape", [linear(g, x.name, p[w], p[b], `${hint}.${what}`), g.ints([0, 0, H, size])], {}, `${hint}.${what}Heads`)], { perm }, `${hint}.${what}`);
  const q = heads("queryWeights", "queryBias", D, [0, 2, 1, 3], "query");
  let k = heads("keyWeights", "keyBias", D, [0, 2, 1, 3], "key");
  let v = heads("valueWeights", "valueBias", Dv, [0, 2, 1, 3], "value");
  // decoding: the new keys and values join the cached ones, and query i is at position past + i
  if (context.decoding) ({ keys: k, values: v } = context.decoding.extend(hint, k, v));
  const kT = g.op1("Transpose", [k], { perm: [0, 1, 3, 2] }, `${hint}.keyT`);
  const scores = g.op1("Mul", [g.op1("MatMul", [q, kT], {}, `${hint}.qk`), g.scalar(1 / Math.sqrt(D))], {}, `${hint}.scores`);
  const custom = layer.attentionMask instanceof Tensor ? customMask(context.g, layer.attentionMask, hint) : undefined;
  const allowed = allOf(g, [
    keyPaddingMask(context, x),
    layer.hasPaddingMaskInput ? boolKeyMask(g, inputs.mask.name, `${hint}.paddingMask`) : undefined,
    layer.attentionMask === "causal" ? causalMask(g, { queries: dim(g, x.name, 1, hint), keys: dim(g, k, 2, hint), first: context.decoding?.past }, undefined, `${hint}.causal`) : undefined,
    custom,
  ], `${hint}.allowed`);
  const weights = maskedSoftmax(g, scores, allowed, hint); // [B, H, T, T]
  const heads2 = g.op1("MatMul", [weights, v], {}, `${hint}.attended`); // [B, H, T, Dv]
  const joined = g.op1("Reshape", [g.op1("Transpose", [heads2], { perm: [0, 2, 1, 3] }, `${hint}.headsLast`), g.ints([0, 0, layer.numValueChannels])], {}, `${hint}.joined`);
  const out = linear(g, joined, p.outputWeights, p.outputBias, `${hint}.output`);
  const result = { out: { name: out, time: true, padded: x.padded } };
  return layer.hasScoresOutput ? { ...result, scores: { name: weights, time: false, padded: false } } : result;
});

/** A custom [T, T] or [B, T, T] mask (true = attend) as a bool constant [1|B, 1, T, T]. */
function customMask(g: import("../onnxGraph.js").OnnxGraph, mask: Tensor, hint: string): string {
  const dims = mask.rank === 2 ? [1, 1, ...mask.shape] : [mask.shape[0], 1, mask.shape[1], mask.shape[2]];
  return g.bools(`${hint}.attentionMask`, Uint8Array.from(mask.data, (v) => (v !== 0 ? 1 : 0)), dims);
}
