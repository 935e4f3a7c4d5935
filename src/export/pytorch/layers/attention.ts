// attentionLayer / sequenceAttentionLayer inside a net → PyTorch, batched as in the ONNX export:
//   S = (r ∘ Q) Kᵀ ("Dot"), (r ∘ Q)(K Wᵀ)ᵀ ("Bilinear", W [q, k]) or r ∘ f(k_j, q_i) (a custom scoring
//   net, written inline on all pairs);  A = masked softmax(S);  out = A V,
//   r = 1, 1/√k ("dimensionSqrt") or 1/√(keys the row sees) ("lengthSqrt").
import type { AttentionBase } from "../../../layers/attention/attentionLayer.js";
import type { Tensor } from "../../../tensor/tensor.js";
import { NetGraph } from "../../../nets/netGraph.js";
import { attentionInputs } from "../../attentionInputs.js";
import { pyFloat, torchTranslator, type TorchContext, type TorchValue } from "../translator.js";

export const attentionToTorch = torchTranslator<AttentionBase<object>>({
  forward(layer, inputs, context) {
    if (layer.multiHead) throw layer.error(`multiHead cannot be exported yet`);
    const { key, value, query } = attentionInputs(layer, inputs);
    const m = context.module, mask = key.padded ? context.mask : undefined;
    const [r, kp, s, allowed, y] = ["r", "kp", "s", "allowed", m].map((h) => context.local(h));
    context.line(`# ${context.path}: ${layer.kind} (${layer.scoring})`);
    let keys = key.expr;
    if (layer.scoring === "Bilinear") {
      const w = layer.parameters.weights;
      context.init(`self.${m} = torch.nn.ParameterDict({"weights": torch.nn.Parameter(torch.zeros(${w.shape[0]}, ${w.shape[1]}))})`);
      context.line(`${kp} = ${key.expr} @ self.${m}["weights"].t()`);
      keys = kp;
    }
    const window = layer.mask !== "none" && layer.mask !== "causal" ? layer.mask.causal : undefined;
    if (layer.scoreRescaling === "none") context.line(`${r} = 1.0`);
    else if (layer.scoreRescaling === "dimensionSqrt") context.line(`${r} = 1.0 / math.sqrt(${key.expr}.shape[-1])`);
    else if (layer.mask !== "none") {
      const counts = `torch.arange(1, ${query.expr}.shape[1] + 1, dtype=${query.expr}.dtype, device=${query.expr}.device)`;
      context.line(`${r} = ${window === undefined ? counts : `${counts}.clamp(max=${window})`}.rsqrt()[None, :, None]  # 1/√(keys row i sees)`);
    } else if (mask) context.line(`${r} = ${mask}.sum(1).clamp(min=1).rsqrt()[:, None, None]  # 1/√(length)`);
    else context.line(`${r} = 1.0 / math.sqrt(${key.expr}.shape[1])`);
    if (layer.scoring === "custom") context.line(`${s} = ${customScores(layer, key, query, context)} * ${r}  # [B, M, N]`);
    else context.line(`${s} = (${query.expr} * ${r}) @ ${keys}.transpose(1, 2)  # [B, M, N]`);
    context.line(`${allowed} = torch.ones(${s}.shape[-2:], dtype=torch.bool, device=${s}.device)`);
    if (mask) context.line(`${allowed} = ${allowed} & (${mask} != 0)[:, None, :]`);
    if (layer.mask !== "none") {
      const band = window === undefined ? `${allowed}.new_ones(${s}.shape[-2:]).tril()` : `${allowed}.new_ones(${s}.shape[-2:]).tril() & ${allowed}.new_ones(${s}.shape[-2:]).triu(${1 - window})`;
      context.line(`${allowed} = ${allowed} & ${band}`);
    }
    context.line(`${y} = torch.nn.functional.dropout(_masked_softmax(${s}, ${allowed}), ${pyFloat(layer.dropout)}, self.training) @ ${value.expr}`);
    return { output: { expr: y, time: true, padded: query.padded } };
  },
  toTorch: (layer): Record<string, Tensor> => (layer.scoring === "Bilinear" ? { weights: layer.parameters.weights } : {}),
  fromTorch: (layer, t): Record<string, Tensor> => (layer.scoring === "Bilinear" ? { weights: t.weights } : {}),
});

/** Writes the custom scoring net inline on every (query i, key j) pair; returns its scores [B, M, N]. */
function customScores(layer: AttentionBase<object>, key: TorchValue, query: TorchValue, context: TorchContext): string {
  const net = layer.scoringNet;
  if (!(net instanceof NetGraph)) throw layer.error(`a custom scoring net exports only when it is a netGraph or netChain`);
  const [keys, queries] = [context.local("key_pairs"), context.local("query_pairs")];
  context.line(`${keys} = ${key.expr}.unsqueeze(1).expand(-1, ${query.expr}.shape[1], -1, -1)  # [B, M, N, k]`);
  context.line(`${queries} = ${query.expr}.unsqueeze(2).expand(-1, -1, ${key.expr}.shape[1], -1)  # [B, M, N, q]`);
  const outputs = Object.values(context.exportNet(net, { input: { expr: keys, time: false, padded: false }, query: { expr: queries, time: false, padded: false } }, `${context.path}/scoringNet/`));
  if (outputs.length !== 1) throw layer.error(`the scoring net must have one output, it has ${outputs.length}`);
  return `${outputs[0].expr}.reshape(${keys}.shape[:3])`;
}
