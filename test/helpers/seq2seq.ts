// A Bahdanau-style sequence-to-sequence net in miniature (issue 17) for the decoding tests: a bidirectional GRU
// encoder over the source ids, a GRU over the previous target ids (teacher forcing), additive attention of its
// states over the encoder's annotations, and a GRU over [state, context] giving logits per target step.
import {
  concatenationLayer, embeddingLayer, fullyConnectedLayer, gruLayer, netGraph, Random, sequenceAttentionLayer, softmaxLayer, Tensor,
  type NetGraph, type SequenceAttentionLayerOptions,
} from "../../src/index.js";
import { additiveScoring } from "./scoringNets.js";
import { randomTensor } from "./numeric.js";

/** Options of bahdanauNet: sizes, seed, a final softmax, and the attention's scoring ("additive": wᵀtanh(W₁k + W₂q), the default) and options. */
export interface Seq2seqOptions {
  vocabulary?: number;
  hidden?: number;
  seed?: number;
  softmax?: boolean;
  scoring?: "additive" | "Bilinear";
  attention?: SequenceAttentionLayerOptions;
}

/** The net over `vocabulary` tokens (inputs "source" and "previous", both ids), logits or with a final softmax; random biases. */
export function bahdanauNet(options: Seq2seqOptions = {}): NetGraph {
  const { vocabulary: V = 5, hidden: H = 4, seed = 7, softmax = false, scoring = "additive" } = options;
  const net = netGraph({
    inputs: ["source", "previous"],
    nodes: {
      sourceEmbedding: embeddingLayer(3, V), encoder: gruLayer(H, { bidirectional: true }),
      targetEmbedding: embeddingLayer(3, V), state: gruLayer(H),
      attention: sequenceAttentionLayer(scoring === "additive" ? additiveScoring(3) : scoring, options.attention), join: concatenationLayer(1, 2),
      decoder: gruLayer(H), logits: fullyConnectedLayer(V), ...(softmax ? { probabilities: softmaxLayer() } : {}),
    },
    edges: [
      ["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "targetEmbedding"], ["targetEmbedding", "state"],
      ["encoder", "attention/input"], ["state", "attention/query"], ["state", "join/in1"], ["attention", "join/in2"],
      ["join", "decoder"], ["decoder", "logits"], ...(softmax ? [["logits", "probabilities"] as [string, string]] : []),
    ],
  }).initialize({ seed, sourceSize: 1, previousSize: 1 });
  const random = new Random(seed);
  for (const [name, t] of Object.entries(net.parameters)) if (name.endsWith("/bias")) net.setParameter(name, randomTensor([...t.shape], random));
  return net;
}

/** Token ids as a batch of one, [1, T, 1] (an embeddingLayer reads [1, 1] as one position). */
export const idBatch = (ids: readonly number[]) => new Tensor(Float32Array.from(ids), [1, ids.length, 1]);

/** net.predict on one source and one target-side input: the output [T, V]. */
export function predictPair(net: NetGraph, source: readonly number[], previous: readonly number[]): Tensor {
  const y = net.predict({ source: idBatch(source), previous: idBatch(previous) }) as Tensor;
  return new Tensor(y.data, y.shape.slice(1));
}

/** n random ids below V. */
export const randomIds = (n: number, V: number, random: Random) => Array.from({ length: n }, () => Math.floor(random.uniform() * V));
