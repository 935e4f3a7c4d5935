// The language-model job's net: a character GPT of pre-norm blocks.
//   x₀ = tokenEmbedding(ids) + positionEmbedding(t)
//   per block: h = x + selfAttention_causal(layerNorm(x));  x' = h + fc₂(gelu(fc₁(layerNorm(h))))
//   logits = fc_V(layerNorm(x_last))   (trained with crossentropy-logits: no softmax layer)
import {
  additionLayer, embeddingLayer, fullyConnectedLayer, geluLayer, layerNormalizationLayer, netGraph, positionEmbeddingLayer,
  selfAttentionLayer, type Layer, type NetGraph,
} from "attention-layers";

export interface GptSize {
  vocabulary: number;
  /** model width (embedding and residual channels) */
  size: number;
  heads: number;
  blocks: number;
  /** longest sequence the position embedding covers */
  context: number;
  feedForward: number;
}

/** How the job trains it: trainNet's options besides data, epochs, mini-batch, learn rate and seed. */
export const LM_TRAINING = { loss: "crossentropy-logits", l2Regularization: 0, gradientThreshold: 1, gradientThresholdMethod: "global-l2norm" } as const;

export function characterGpt(s: GptSize): NetGraph {
  if (s.size % s.heads !== 0) throw new Error(`lm: --size ${s.size} must be a multiple of --heads ${s.heads}`);
  const nodes: Record<string, Layer> = {
    tokens: embeddingLayer(s.size, s.vocabulary), positions: positionEmbeddingLayer(s.size, s.context), embedded: additionLayer(2),
  };
  const edges: [string, string][] = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"]];
  let x = "embedded";
  for (let b = 1; b <= s.blocks; b++) {
    const n = (name: string) => `b${b}_${name}`;
    Object.assign(nodes, {
      [n("norm1")]: layerNormalizationLayer(), [n("attention")]: selfAttentionLayer(s.heads, s.size, { attentionMask: "causal" }),
      [n("res1")]: additionLayer(2), [n("norm2")]: layerNormalizationLayer(), [n("fc1")]: fullyConnectedLayer(s.feedForward),
      [n("gelu")]: geluLayer(), [n("fc2")]: fullyConnectedLayer(s.size), [n("res2")]: additionLayer(2),
    });
    edges.push(
      [x, n("norm1")], [n("norm1"), n("attention")], [x, `${n("res1")}/in1`], [n("attention"), `${n("res1")}/in2`],
      [n("res1"), n("norm2")], [n("norm2"), n("fc1")], [n("fc1"), n("gelu")], [n("gelu"), n("fc2")],
      [n("res1"), `${n("res2")}/in1`], [n("fc2"), `${n("res2")}/in2`],
    );
    x = n("res2");
  }
  Object.assign(nodes, { norm: layerNormalizationLayer(), logits: fullyConnectedLayer(s.vocabulary) });
  edges.push([x, "norm"], ["norm", "logits"]);
  return netGraph({ nodes, edges });
}
