// Layers that read the time axis → PyTorch: pooling over valid steps, embeddings.
import type { EmbeddingLayer, PositionEmbeddingLayer } from "../../../layers/embeddingLayers.js";
import type { GlobalAveragePooling1dLayer } from "../../../layers/globalAveragePooling1dLayer.js";
import { torchTranslator } from "../translator.js";
import { requireSequence } from "../../attentionInputs.js";

export const globalAveragePoolingToTorch = torchTranslator<GlobalAveragePooling1dLayer>({
  forward(layer, { in: x }, context) {
    requireSequence(layer, x, "in");
    const y = context.local(context.module);
    if (x.padded && context.mask) {
      const m = context.local("m");
      context.line(`${m} = ${context.mask}.unsqueeze(-1)  # ${context.path}: mean over valid steps`);
      context.line(`${y} = (${x.expr} * ${m}).sum(1) / ${m}.sum(1)`);
    } else context.line(`${y} = ${x.expr}.mean(1)  # ${context.path}: mean over time`);
    return { out: { expr: y, time: false, padded: false } };
  },
});

/** y[t] = weights[t], the table kept as an Embedding's weight. */
export const positionEmbeddingToTorch = torchTranslator<PositionEmbeddingLayer>({
  forward(layer, { in: x }, context) {
    requireSequence(layer, x, "in");
    context.init(`self.${context.module} = torch.nn.Embedding(${layer.maxPosition}, ${layer.outputSize})`);
    const y = context.local(context.module);
    context.line(`${y} = self.${context.module}.weight[: ${x.expr}.shape[1]].unsqueeze(0).expand(${x.expr}.shape[0], -1, -1)  # ${context.path}: positionEmbeddingLayer`);
    return { out: { ...x, expr: y } };
  },
  toTorch: (layer) => ({ weight: layer.parameters.weights }),
  fromTorch: (_layer, t) => ({ weights: t.weight }),
});

/** Indices [B, T, 1] → Embedding; padded steps read row 0, as in the layer. */
export const embeddingToTorch = torchTranslator<EmbeddingLayer>({
  forward(layer, { in: x }, context) {
    if (!x.time) throw layer.error(`input "in" must be indices [B, T, 1] to export, got a value without a time axis`);
    context.init(`self.${context.module} = torch.nn.Embedding(${layer.numWords}, ${layer.dimension})`);
    const index = context.local("index"), y = context.local(context.module);
    context.line(`${index} = ${x.expr}.squeeze(-1).long()  # ${context.path}: embeddingLayer`);
    if (x.padded && context.mask) context.line(`${index} = ${index} * (${context.mask} > 0)`);
    context.line(`${y} = self.${context.module}(${index})`);
    return { out: { ...x, expr: y } };
  },
  toTorch: (layer) => ({ weight: layer.parameters.weights }),
  fromTorch: (_layer, t) => ({ weights: t.weight }),
});
