// The nets the export tests hand to onnxruntime and PyTorch: the issue's three (the seed network with
// padding, a two-block causal transformer graph, an LSTM chain) and one per remaining layer kind.
import {
  additionLayer, attentionLayer, concatenationLayer, dropoutLayer, embeddingLayer, fullyConnectedLayer, geluLayer, globalAveragePooling1dLayer,
  basicRecurrentLayer, bilstmLayer, gruLayer, layerNormalizationLayer, lstmLayer, netChain, netGraph, positionEmbeddingLayer, Random, reluLayer, selfAttentionLayer,
  sequenceAttentionLayer, sequenceInputLayer, sigmoidLayer, softmaxLayer, tanhLayer, type Layer, type NetGraph,
} from "../../../src/index.js";

export interface ExportCase {
  name: string;
  build(): NetGraph;
  channels: number;
  lengths: number[];
  /** inputs are integers in [0, n) (embedding indices) */
  integers?: number;
  /** the net's inputs are "input" [B, T, C] and "mask" [B, T] (a padding-mask input, no sequence lengths) */
  twoInputs?: boolean;
  /** why the net has no PyTorch form (it is exported to ONNX only) */
  onnxOnly?: string;
  /** why the net has no ONNX form (exportOnnx refuses it; onnx.test.ts checks the refusal) */
  torchOnly?: string;
  /** why PyTorch's trained weights cannot come back (the PyTorch test checks the forward only) */
  noImport?: string;
}

const zscore = (C: number, seed: number) => {
  const r = new Random(seed);
  return { normalization: "zscore" as const, mean: Array.from({ length: C }, () => r.normal() * 0.3), standardDeviation: Array.from({ length: C }, () => 0.5 + r.uniform()) };
};

/** MATLAB's selfAttentionLayer example network, as the main job builds it. */
export const seedNetwork = (): NetGraph => netChain([
  sequenceInputLayer(12, { ...zscore(12, 1), name: "sequenceInput" }), selfAttentionLayer(4, 12, { name: "attention" }),
  layerNormalizationLayer({ name: "norm" }), globalAveragePooling1dLayer({ name: "pool" }), fullyConnectedLayer(9, { name: "fc" }), softmaxLayer({ name: "softmax" }),
]).initialize({ seed: 11 });

/** Pre-norm-free transformer block: x + causalSelfAttention(x) → norm → + fc(gelu(fc(·))) → norm. */
function block(p: string, from: string, width: number) {
  return {
    nodes: {
      [`${p}att`]: selfAttentionLayer(2, width, { attentionMask: "causal", dropoutProbability: 0.1 }), [`${p}res1`]: additionLayer(2), [`${p}norm1`]: layerNormalizationLayer(),
      [`${p}up`]: fullyConnectedLayer(2 * width), [`${p}gelu`]: geluLayer(), [`${p}down`]: fullyConnectedLayer(width), [`${p}drop`]: dropoutLayer(0.1),
      [`${p}res2`]: additionLayer(2), [`${p}norm2`]: layerNormalizationLayer(),
    },
    edges: [
      [from, `${p}att`], [from, `${p}res1/in1`], [`${p}att`, `${p}res1/in2`], [`${p}res1`, `${p}norm1`], [`${p}norm1`, `${p}up`], [`${p}up`, `${p}gelu`],
      [`${p}gelu`, `${p}down`], [`${p}down`, `${p}drop`], [`${p}norm1`, `${p}res2/in1`], [`${p}drop`, `${p}res2/in2`], [`${p}res2`, `${p}norm2`],
    ] as [string, string][],
    out: `${p}norm2`,
  };
}

/** Two causal blocks over embedded inputs plus learned position embeddings; per-step outputs. */
export const causalTransformer = (): NetGraph => {
  const b1 = block("b1_", "embedded", 8), b2 = block("b2_", b1.out, 8);
  return netGraph({
    nodes: {
      seq: sequenceInputLayer(6), embed: fullyConnectedLayer(8), pos: positionEmbeddingLayer(8, 16), embedded: additionLayer(2),
      ...b1.nodes, ...b2.nodes, head: fullyConnectedLayer(5),
    },
    edges: [["input", "seq"], ["seq", "embed"], ["seq", "pos"], ["embed", "embedded/in1"], ["pos", "embedded/in2"], ...b1.edges, ...b2.edges, [b2.out, "head"]],
    outputs: { logits: "head" },
  }).initialize({ seed: 12 });
};

export const lstmChain = (): NetGraph => netChain([
  sequenceInputLayer(5), lstmLayer(7), lstmLayer(6, { outputMode: "last" }), fullyConnectedLayer(3), softmaxLayer(),
]).initialize({ seed: 13 });

export const issueNets: ExportCase[] = [
  { name: "seed network", build: seedNetwork, channels: 12, lengths: [7, 3, 1, 5] },
  { name: "two-block causal transformer", build: causalTransformer, channels: 6, lengths: [9, 4, 1, 6] },
  { name: "LSTM chain", build: lstmChain, channels: 5, lengths: [6, 2, 1, 4] },
];

/** An attention layer reading a sequence as keys/values and its projection as queries. */
const attentionGraph = (attention: ReturnType<typeof attentionLayer> | ReturnType<typeof sequenceAttentionLayer>, seed: number, querySize = 4) => {
  const sequenceLayer = attention.kind === "sequenceAttentionLayer";
  return netGraph({
    nodes: { seq: sequenceInputLayer(4), q: fullyConnectedLayer(querySize), v: fullyConnectedLayer(5), att: attention, out: tanhLayer() },
    edges: sequenceLayer
      ? [["input", "seq"], ["seq", "q"], ["seq", "v"], ["v", "att/input"], ["q", "att/query"], ["att", "out"]]
      : [["input", "seq"], ["seq", "q"], ["seq", "v"], ["seq", "att/key"], ["v", "att/value"], ["q", "att/query"], ["att", "out"]],
  }).initialize({ seed });
};

/** The net with its node `node`'s bias drawn at random (recurrent biases start at zero or one: every element is mapped). */
const randomBias = (net: NetGraph, node: string, seed: number): NetGraph => {
  const bias = net.nodes[node].parameters.bias, random = new Random(seed);
  net.nodes[node].setParameter("bias", bias.data.map(() => random.uniform() - 0.5));
  return net;
};

/** A recurrent layer whose initial states come from the pooled sequence (fully connected maps), with its state outputs. */
const statefulGraph = (rnn: Layer, states: string[], size: number, seed: number): NetGraph => netGraph({
  nodes: { seq: sequenceInputLayer(3), pool: globalAveragePooling1dLayer(), rnn, ...Object.fromEntries(states.map((s) => [s, fullyConnectedLayer(size)])) },
  edges: [["input", "seq"], ["seq", "pool"], ["seq", "rnn/in"], ...states.flatMap((s): [string, string][] => [["pool", s], [s, `rnn/${s}`]])],
  outputs: { out: "rnn/out", ...Object.fromEntries(states.map((s) => [s, `rnn/${s}`])) },
}).initialize({ seed });

export const layerNets: ExportCase[] = [
  { name: "selfAttentionLayer causal, 3 heads, odd sizes, scores output", channels: 5, lengths: [4, 1, 3], build: () => netGraph({
    nodes: { seq: sequenceInputLayer(5), att: selfAttentionLayer(3, 6, { numValueChannels: 9, outputSize: 7, attentionMask: "causal", hasScoresOutput: true }) },
    edges: [["input", "seq"], ["seq", "att"]], outputs: { out: "att/out", scores: "att/scores" },
  }).initialize({ seed: 21 }) },
  { name: "selfAttentionLayer custom mask (a fully blocked row)", channels: 3, lengths: [4, 2, 3], build: () => netChain([
    sequenceInputLayer(3), selfAttentionLayer(1, 4, { attentionMask: [[1, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 0], [0, 1, 0, 1]] }), reluLayer(),
  ]).initialize({ seed: 22 }) },
  { name: "selfAttentionLayer with a padding-mask input (two graph inputs; an empty row sees no key)", channels: 4, lengths: [5, 3, 0], twoInputs: true, build: () => netGraph({
    nodes: { att: selfAttentionLayer(2, 4, { hasPaddingMaskInput: true }), fc: fullyConnectedLayer(3) },
    edges: [["input", "att/in"], ["mask", "att/mask"], ["att", "fc"]], inputs: ["input", "mask"],
  }).initialize({ seed: 32, inputSize: 4, maskSize: 1 }) },
  { name: "selfAttentionLayer grouped-query (6 query heads sharing 2 key/value heads), causal", channels: 5, lengths: [4, 1, 3],
    torchOnly: "the ONNX exporter refuses grouped-query attention", build: () => netChain([
      sequenceInputLayer(5), selfAttentionLayer(6, 12, { numKeyValueHeads: 2, numValueChannels: 18, outputSize: 4, attentionMask: "causal" }),
    ]).initialize({ seed: 29 }) },
  { name: "attentionLayer Dot, lengthSqrt", channels: 4, lengths: [5, 2, 3], build: () => attentionGraph(attentionLayer("Dot", { scoreRescaling: "lengthSqrt" }), 23) },
  { name: "attentionLayer Bilinear, causal, dimensionSqrt", channels: 4, lengths: [5, 1, 3], build: () => attentionGraph(attentionLayer("Bilinear", { mask: "causal", scoreRescaling: "dimensionSqrt" }), 24) },
  { name: "attentionLayer Dot, causal window 2, lengthSqrt", channels: 4, lengths: [5, 4, 2], build: () => attentionGraph(attentionLayer("Dot", { mask: { causal: 2 }, scoreRescaling: "lengthSqrt" }), 25) },
  { name: "sequenceAttentionLayer Bilinear, lengthSqrt", channels: 4, lengths: [3, 6, 2], build: () => attentionGraph(sequenceAttentionLayer("Bilinear", { scoreRescaling: "lengthSqrt" }), 26, 3) },
  { name: "sequenceAttentionLayer Dot, causal, lengthSqrt", channels: 4, lengths: [3, 6, 1], build: () => attentionGraph(sequenceAttentionLayer("Dot", { mask: "causal", scoreRescaling: "lengthSqrt" }), 27, 5) },
  { name: "attentionLayer with a custom scoring net wᵀ tanh(W₁k + W₂q), causal, lengthSqrt", channels: 4, lengths: [5, 1, 3], build: () => attentionGraph(attentionLayer(netGraph({
    nodes: { fk: fullyConnectedLayer(6, { hasBias: false }), fq: fullyConnectedLayer(6), sum: additionLayer(2), t: tanhLayer(), w: fullyConnectedLayer(1, { hasBias: false }) },
    edges: [["input", "fk"], ["query", "fq"], ["fk", "sum/in1"], ["fq", "sum/in2"], ["sum", "t"], ["t", "w"]], inputs: ["input", "query"],
  }), { mask: "causal", scoreRescaling: "lengthSqrt" }), 31, 3) },
  { name: "embeddingLayer + positionEmbeddingLayer + addition", channels: 1, lengths: [5, 2, 4], integers: 7, build: () => netGraph({
    nodes: { seq: sequenceInputLayer(1), words: embeddingLayer(6, 7), pos: positionEmbeddingLayer(6, 8), sum: additionLayer(2), pool: globalAveragePooling1dLayer() },
    edges: [["input", "seq"], ["seq", "words"], ["seq", "pos"], ["words", "sum/in1"], ["pos", "sum/in2"], ["sum", "pool"]],
  }).initialize({ seed: 28 }) },
  { name: "activations, dropout, fullyConnected without bias, nested chain", channels: 3, lengths: [4, 1, 2], build: () => netChain([
    sequenceInputLayer(3), fullyConnectedLayer(6, { hasBias: false }), geluLayer(), dropoutLayer(0.3), sigmoidLayer(),
    netChain([fullyConnectedLayer(5), tanhLayer(), reluLayer()], { name: "inner" }), layerNormalizationLayer({ epsilon: 1e-3 }), softmaxLayer(),
  ]).initialize({ seed: 29 }) },
  { name: "lstmLayer sequence output + pooling", channels: 3, lengths: [6, 1, 3], build: () => netChain([
    sequenceInputLayer(3), lstmLayer(4), globalAveragePooling1dLayer(),
  ]).initialize({ seed: 30 }) },
  { name: "bilstmLayer sequence + bidirectional gruLayer (recurrent bias) last", channels: 3, lengths: [6, 1, 3], build: () => randomBias(randomBias(netChain([
    sequenceInputLayer(3), bilstmLayer(3, { name: "bilstm" }), gruLayer(4, { bidirectional: true, outputMode: "last", resetGateMode: "recurrent-bias-after-multiplication", name: "gru" }), fullyConnectedLayer(2),
  ]).initialize({ seed: 34 }), "bilstm", 1), "gru", 2) },
  { name: "lstmLayer with state inputs and outputs, last", channels: 3, lengths: [5, 1, 3], build: () => randomBias(statefulGraph(lstmLayer(4, { hasStateInputs: true, hasStateOutputs: true, outputMode: "last" }), ["hidden", "cell"], 4, 35), "rnn", 3) },
  { name: "bidirectional basicRecurrentLayer with state inputs and outputs", channels: 3, lengths: [4, 2, 1], build: () => randomBias(statefulGraph(basicRecurrentLayer(3, { hasStateInputs: true, hasStateOutputs: true, bidirectional: true }), ["hidden"], 6, 36), "rnn", 4) },
  { name: "gruLayer (after-multiplication) with state inputs and outputs", channels: 3, lengths: [5, 3, 1], noImport: "PyTorch's GRU trains a candidate-gate recurrent bias this mode has not", build: () => randomBias(statefulGraph(gruLayer(3, { hasStateInputs: true, hasStateOutputs: true }), ["hidden"], 3, 37), "rnn", 5) },
  { name: "gruLayer before-multiplication, bidirectional, last", channels: 3, lengths: [5, 2, 4], onnxOnly: "torch.nn.GRU has no before-multiplication mode", build: () => randomBias(netChain([
    sequenceInputLayer(3), gruLayer(3, { resetGateMode: "before-multiplication", bidirectional: true, outputMode: "last", name: "gru" }),
  ]).initialize({ seed: 38 }), "gru", 6) },
  { name: "concatenationLayer: three branches of 2, 4 and 3 channels joined along the channels", channels: 3, lengths: [5, 1, 3], build: () => netGraph({
    nodes: { seq: sequenceInputLayer(3), a: fullyConnectedLayer(2), b: fullyConnectedLayer(4), cat: concatenationLayer(1, 3), out: fullyConnectedLayer(2) },
    edges: [["input", "seq"], ["seq", "a"], ["seq", "b"], ["a", "cat/in1"], ["b", "cat/in2"], ["seq", "cat/in3"], ["cat", "out"]],
  }).initialize({ seed: 33 }) },
];
