// net.predict(x, { returnWeights: true }): the softmax weights of every attention node of a net, by node name, as
// the layer's own apply(…, { returnWeights: true }) gives them for the same inputs (the oracle: the layer applied
// alone to the values its sources give, read from a net sharing the model's layers).
import { describe, expect, it } from "vitest";
import { fullyConnectedLayer, netChain, netGraph, Random, selfAttentionLayer, sequenceInputLayer, Tensor, type NestedArray } from "../../src/index.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";
import { bahdanauNet, randomIds } from "../helpers/seq2seq.js";

const V = 5;
const random = new Random(41);
const flat = (a: unknown): number[] => (Array.isArray(a) ? a.flatMap(flat) : [a as number]);

describe("a net's attention weights", () => {
  const net = bahdanauNet();
  const { sourceEmbedding, encoder, targetEmbedding, state, attention } = net.nodes as Record<string, never>;
  const probe = netGraph({
    inputs: ["source", "previous"], nodes: { sourceEmbedding, encoder, targetEmbedding, state },
    edges: [["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "targetEmbedding"], ["targetEmbedding", "state"]],
    outputs: { keys: "encoder", queries: "state" },
  });
  const examples = [5, 2, 3].map((n, i) => ({ source: randomIds(n, V, random), previous: randomIds(2 + i, V, random) }));

  it("of each example of a list: the layer's own weights, [query positions, key positions], beside the usual output", () => {
    const got = net.predict(examples, { returnWeights: true });
    const plain = net.predict(examples) as NestedArray[];
    expect(got).toHaveLength(3);
    got.forEach((r, i) => {
      expect(Object.keys(r.weights)).toEqual(["attention"]);
      const { keys, queries } = (probe.predict([examples[i]]) as unknown as Record<string, NestedArray>[])[0];
      const expected = (attention as unknown as { apply: (x: unknown, o: unknown) => { weights: NestedArray } }).apply({ input: keys, query: queries }, { returnWeights: true }).weights;
      const w = r.weights.attention as number[][];
      expect([w.length, w[0].length]).toEqual([examples[i].previous.length, examples[i].source.length]);
      expectClose(flat(r.weights.attention), flat(expected), 1e-5, 1e-6, `example ${i + 1} weights`);
      expectClose(flat(r.output), flat(plain[i]), 1e-5, 1e-6, `example ${i + 1} output`);
    });
  });

  it("of a batch [B, T, 1]: [B, Tq, Tk], each row a distribution", () => {
    const source = new Tensor(Float32Array.from(randomIds(8, V, random)), [2, 4, 1]), previous = new Tensor(Float32Array.from(randomIds(6, V, random)), [2, 3, 1]);
    const { output, weights } = net.predict({ source, previous }, { returnWeights: true });
    expect((output as Tensor).shape).toEqual([2, 3, V]);
    const w = weights.attention as Tensor;
    expect(w.shape).toEqual([2, 3, 4]);
    for (let r = 0; r < 6; r++) expectClose([w.data.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)], [1], 1e-5, 1e-6, `row ${r}`);
  });

  it("of a selfAttentionLayer node: its scores, as hasScoresOutput would give them", () => {
    const inNet = selfAttentionLayer(2, 4), layer = selfAttentionLayer(2, 4, { hasScoresOutput: true });
    const chain = netChain([sequenceInputLayer(3), inNet, fullyConnectedLayer(2)]).initialize({ seed: 2 });
    for (const [name, t] of Object.entries(inNet.parameters)) layer.setParameter(name, t);
    const x = randomTensor([5, 3], random);
    const { weights } = chain.predict(x, { returnWeights: true });
    const names = Object.keys(weights);
    expect(names).toHaveLength(1);
    expect((weights[names[0]] as Tensor).shape).toEqual([2, 5, 5]);
    expectClose((weights[names[0]] as Tensor).data, layer.apply(x).scores.data, 1e-6, 1e-7, "scores");
  });

  it("a net without attention refuses, named", () => {
    const chain = netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]).initialize({ seed: 1 });
    expect(() => chain.predict(randomTensor([4, 3], random), { returnWeights: true })).toThrow(/predict with returnWeights: the net has no attention node/);
  });
});
