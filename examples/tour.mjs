// A short tour: each attention layer applied once, printing what it did. Run: npm run tour
import {
  attentionLayer, sequenceAttentionLayer, selfAttentionLayer, dotProductAttention, netGraph, fullyConnectedLayer,
  additionLayer, tanhLayer, tensor, ops, valueAndGrad,
} from "attention-layers";

const fmt = (t) => JSON.stringify(t.toArray(), (_, v) => (typeof v === "number" ? Number(v.toFixed(3)) : v));

// 1. Wolfram AttentionLayer, "Dot" scoring: 3 keys, 2 queries
const keys = tensor([[1, 0], [0, 1], [1, 1]]);
const values = tensor([[10, 0], [0, 10], [5, 5]]);
const queries = tensor([[4, 0], [0, 4]]);
const dot = attentionLayer("Dot").apply({ key: keys, value: values, query: queries }, { returnWeights: true });
console.log("attentionLayer(\"Dot\"): weights", fmt(dot.weights), "→ output", fmt(dot.output));

// 2. Causal mask with Wolfram's lengthSqrt rescaling (row i divided by √i)
const causal = attentionLayer("Dot", { mask: "causal", scoreRescaling: "lengthSqrt" });
console.log("causal + lengthSqrt weights:", fmt(causal.apply({ key: keys, value: values, query: keys }, { returnWeights: true }).weights));

// 3. Bilinear scoring (the default) learns W [querySize, keySize]; gradients by valueAndGrad
const bilinear = attentionLayer().initialize({ keySize: 2, querySize: 2, seed: 1 });
const firstChannel = () => ops.sum(ops.slice(bilinear.apply({ key: keys, value: values, query: queries }), 1, 0, 1));
const { value, grads } = valueAndGrad(firstChannel, [bilinear.parameters.weights]);
console.log(`attentionLayer("Bilinear"): Σ first output channel ${value.toFixed(3)}, its gradient by W ${fmt(grads[0])}`);

// 4. Additive (Bahdanau) scoring wᵀ tanh(W₁k + W₂q), built from layers
const additive = netGraph({
  inputs: ["input", "query"],
  nodes: { k: fullyConnectedLayer(4, { hasBias: false }), q: fullyConnectedLayer(4), add: additionLayer(2), tanh: tanhLayer(), w: fullyConnectedLayer(1, { hasBias: false }) },
  edges: [["input", "k"], ["query", "q"], ["k", "add/in1"], ["q", "add/in2"], ["add", "tanh"], ["tanh", "w"]],
});
const seqAtt = sequenceAttentionLayer(additive);
console.log("sequenceAttentionLayer(additive) on nested arrays:", JSON.stringify(seqAtt.apply({ input: [[1, 2], [3, 4], [5, 6]], query: [[0.5, 0.5, 0.5]] })));

// 5. MATLAB selfAttentionLayer: 2 heads, padding mask, attention scores returned
const self = selfAttentionLayer(2, 4, { hasPaddingMaskInput: true, hasScoresOutput: true }).initialize({ inputSize: 3, seed: 2 });
const x = tensor([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [9, 9, 9]]]); // the last step is padding
const { out, scores } = self.apply({ in: x, mask: [[1, 1, 1, 0]] });
console.log(`selfAttentionLayer(2, 4): out ${JSON.stringify(out.shape)}, scores ${JSON.stringify(scores.shape)}; weight on the padded key: ${scores.data[3]}`);

// 6. The functional core with grouped-query attention and a causal mask
const q = tensor(new Float32Array(1 * 4 * 3 * 2).map((_, i) => Math.sin(i)), [1, 4, 3, 2]);
const kv = tensor(new Float32Array(1 * 2 * 3 * 2).map((_, i) => Math.cos(i)), [1, 2, 3, 2]);
console.log("dotProductAttention (4 query heads, 2 key/value heads, causal):", JSON.stringify(dotProductAttention(q, kv, kv, { causal: true }).shape));
