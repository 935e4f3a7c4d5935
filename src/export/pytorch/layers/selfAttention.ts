// selfAttentionLayer → PyTorch. torch.nn.MultiheadAttention when its semantics match the layer's
// (query, key, value and output sizes all equal the input size; no custom mask, padding-mask input or
// scores output, with which a fully blocked row would give NaN there; not grouped-query); otherwise four
// Linear modules and plain tensor code with the library's masked softmax (a row that sees no key gets zeros),
// the Hkv key/value heads of grouped-query attention repeated (repeat_interleave) to the H query heads.
import type { SelfAttentionLayer } from "../../../layers/attention/selfAttentionLayer.js";
import { Tensor } from "../../../tensor/tensor.js";
import { pyFloat, pyNested, torchTranslator, type TorchContext, type TorchValue } from "../translator.js";
import { requireSequence } from "../../attentionInputs.js";

const PROJECTIONS = [["query", "queryWeights", "queryBias"], ["key", "keyWeights", "keyBias"], ["value", "valueWeights", "valueBias"], ["output", "outputWeights", "outputBias"]] as const;

/** True when torch.nn.MultiheadAttention computes exactly this layer. */
export function usesMultiheadAttention(layer: SelfAttentionLayer): boolean {
  const C = layer.inputSize;
  return layer.numKeyChannels === C && layer.numValueChannels === C && layer.outputSize === C
    && !(layer.attentionMask instanceof Tensor) && !layer.hasPaddingMaskInput && !layer.hasScoresOutput && layer.numKeyValueHeads === layer.numHeads;
}

const concat = (...ts: Tensor[]) => {
  const data = new Float32Array(ts.reduce((n, t) => n + t.size, 0));
  let at = 0;
  for (const t of ts) { data.set(t.data, at); at += t.size; }
  return new Tensor(data, [ts.reduce((n, t) => n + t.shape[0], 0), ...ts[0].shape.slice(1)]);
};
const rows = (t: Tensor, from: number, to: number) => {
  const width = t.size / t.shape[0];
  return new Tensor(t.data.slice(from * width, to * width), [to - from, ...t.shape.slice(1)]);
};

export const selfAttentionToTorch = torchTranslator<SelfAttentionLayer>({
  forward(layer, inputs, context) {
    const x = inputs.in;
    requireSequence(layer, x, "in");
    return usesMultiheadAttention(layer) ? multihead(layer, x, context) : plain(layer, inputs, context);
  },
  toTorch(layer) {
    const p = layer.parameters;
    if (usesMultiheadAttention(layer)) {
      return {
        in_proj_weight: concat(p.queryWeights, p.keyWeights, p.valueWeights), in_proj_bias: concat(p.queryBias, p.keyBias, p.valueBias),
        "out_proj.weight": p.outputWeights, "out_proj.bias": p.outputBias,
      };
    }
    return Object.fromEntries(PROJECTIONS.flatMap(([m, w, b]) => [[`${m}.weight`, p[w]], [`${m}.bias`, p[b]]]));
  },
  fromTorch(layer, t) {
    if (usesMultiheadAttention(layer)) {
      const C = layer.numKeyChannels;
      return {
        queryWeights: rows(t.in_proj_weight, 0, C), keyWeights: rows(t.in_proj_weight, C, 2 * C), valueWeights: rows(t.in_proj_weight, 2 * C, 3 * C),
        queryBias: rows(t.in_proj_bias, 0, C), keyBias: rows(t.in_proj_bias, C, 2 * C), valueBias: rows(t.in_proj_bias, 2 * C, 3 * C),
        outputWeights: t["out_proj.weight"], outputBias: t["out_proj.bias"],
      };
    }
    return Object.fromEntries(PROJECTIONS.flatMap(([m, w, b]) => [[w, t[`${m}.weight`]], [b, t[`${m}.bias`]]]));
  },
});

function multihead(layer: SelfAttentionLayer, x: TorchValue, context: TorchContext): Record<string, TorchValue> {
  const m = context.module;
  context.init(`self.${m} = torch.nn.MultiheadAttention(${layer.inputSize}, ${layer.numHeads}, dropout=${pyFloat(layer.dropoutProbability)}, batch_first=True)`);
  const y = context.local(m);
  const padding = x.padded && context.mask ? `${context.mask} == 0` : "None"; // True = ignore this key
  const causal = layer.attentionMask === "causal" ? `torch.ones(${x.expr}.shape[1], ${x.expr}.shape[1], dtype=torch.bool, device=${x.expr}.device).triu(1)` : "None";
  context.line(`${y}, _ = self.${m}(${x.expr}, ${x.expr}, ${x.expr}, key_padding_mask=${padding}, attn_mask=${causal}, need_weights=False)  # ${context.path}: selfAttentionLayer`);
  return { out: { ...x, expr: y } };
}

function plain(layer: SelfAttentionLayer, inputs: Record<string, TorchValue>, context: TorchContext): Record<string, TorchValue> {
  const m = context.module, x = inputs.in.expr;
  const H = layer.numHeads, Hkv = layer.numKeyValueHeads, D = layer.numKeyChannels / H, Dv = layer.numValueChannels / H;
  const C = layer.inputSize as number, O = layer.outputSize as number;
  const sizes = { query: [C, layer.numKeyChannels], key: [C, Hkv * D], value: [C, Hkv * Dv], output: [layer.numValueChannels, O] };
  const shared = Hkv === H ? "" : `.repeat_interleave(${H / Hkv}, dim=1)`; // query head h uses key/value head ⌊h·Hkv/H⌋
  context.init(`self.${m} = torch.nn.ModuleDict({${PROJECTIONS.map(([name]) => `"${name}": torch.nn.Linear(${sizes[name].join(", ")})`).join(", ")}})`);
  const [q, k, v, s, allowed, a, y] = ["q", "k", "v", "s", "allowed", "a", m].map((h) => context.local(h));
  context.line(`# ${context.path}: selfAttentionLayer (${H} heads)`);
  context.line(`${q} = self.${m}["query"](${x}).unflatten(-1, (${H}, ${D})).transpose(1, 2)  # [B, H, T, D]`);
  context.line(`${k} = self.${m}["key"](${x}).unflatten(-1, (${Hkv}, ${D})).transpose(1, 2)${shared}`);
  context.line(`${v} = self.${m}["value"](${x}).unflatten(-1, (${Hkv}, ${Dv})).transpose(1, 2)${shared}`);
  context.line(`${s} = ${q} @ ${k}.transpose(-1, -2) / ${pyFloat(Math.sqrt(D))}`);
  context.line(`${allowed} = torch.ones(${s}.shape[-2:], dtype=torch.bool, device=${s}.device)`);
  if (inputs.in.padded && context.mask) context.line(`${allowed} = ${allowed} & (${context.mask} != 0)[:, None, None, :]`);
  if (layer.hasPaddingMaskInput) context.line(`${allowed} = ${allowed} & (${inputs.mask.expr} != 0)[:, None, None, :]`);
  if (layer.attentionMask === "causal") context.line(`${allowed} = ${allowed} & ${allowed}.new_ones(${s}.shape[-2:]).tril()`);
  if (layer.attentionMask instanceof Tensor) {
    const mask = layer.attentionMask, buffer = context.attribute(`${m}_attention_mask`);
    const shape = mask.rank === 2 ? mask.shape : [mask.shape[0], 1, mask.shape[1], mask.shape[2]];
    context.init(`self.register_buffer("${buffer}", torch.tensor(${pyNested(mask.data, shape, (b) => (b !== 0 ? "True" : "False"))}), persistent=False)`);
    context.line(`${allowed} = ${allowed} & self.${buffer}`);
  }
  context.line(`${a} = torch.nn.functional.dropout(_masked_softmax(${s}, ${allowed}), ${pyFloat(layer.dropoutProbability)}, self.training)`);
  context.line(`${y} = self.${m}["output"]((${a} @ ${v}).transpose(1, 2).flatten(-2))`);
  const out = { out: { ...inputs.in, expr: y } };
  return layer.hasScoresOutput ? { ...out, scores: { expr: a, time: false, padded: false } } : out;
}
