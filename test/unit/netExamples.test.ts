// Nets give what their layers give alone: sequenceAttentionLayer inside a net, the scores port on a list of
// sequences (each cut to its own length), a multi-input netGraph on one example, a list and a batch.
import { describe, expect, it } from "vitest";
import { netGraph, selfAttentionLayer, sequenceAttentionLayer, sequenceInputLayer, Tensor, tensor } from "../../src/index.js";
import { expectClose } from "../helpers/numeric.js";

describe("sequenceAttentionLayer inside a net", () => {
  it("a netGraph feeding one input to both ports applies, as the layer alone does", () => {
    const s = sequenceAttentionLayer("Dot");
    const net = netGraph({ nodes: { inp: sequenceInputLayer(2), s }, edges: [["input", "inp"], ["inp", "s/input"], ["inp", "s/query"]] });
    const x = [[1, 2], [3, 4]];
    expect(net.apply(x)).toEqual(sequenceAttentionLayer("Dot").apply({ input: x, query: x }));
    // Bilinear learns W [querySize, inputSize] from the sizes the net infers
    const b = sequenceAttentionLayer("Bilinear");
    netGraph({ nodes: { inp: sequenceInputLayer(2), b }, edges: [["input", "inp"], ["inp", "b/input"], ["inp", "b/query"]] }).initialize();
    expect(b.parameters.weights.shape).toEqual([2, 2]);
  });
});

describe("the scores port of a net on a list of sequences", () => {
  it("comes back cut to each sequence's own length, as if alone", () => {
    const net = netGraph({
      nodes: { inp: sequenceInputLayer(2), sa: selfAttentionLayer(1, 2, { hasScoresOutput: true }) },
      edges: [["input", "inp"], ["inp", "sa"]], outputs: { out: "sa/out", scores: "sa/scores" },
    }).initialize({ seed: 1 });
    const [a, b] = net.apply([[[1, 2]], [[1, 2], [3, 4], [5, 6]]]) as { out: number[][]; scores: number[][][] }[];
    expect(a.scores).toEqual([[[1]]]);
    expect(b.scores.map((h) => h.map((r) => r.length))).toEqual([[3, 3, 3]]);
    expect(a).toEqual(net.apply([[1, 2]]));
  });
});

describe("a multi-input netGraph threads over examples", () => {
  const graph = () => netGraph({ inputs: ["key", "query"], nodes: { s: sequenceAttentionLayer("Dot") }, edges: [["key", "s/input"], ["query", "s/query"]] });
  const e1 = { key: [[1, 0], [0, 1], [1, 1]], query: [[1, 0]] };
  const e2 = { key: [[1, 0]], query: [[1, 0], [0, 1]] };
  const alone = (e: typeof e1) => sequenceAttentionLayer("Dot").apply({ input: e.key, query: e.query });
  it("one unbatched example gives that example's result without a batch axis", () => {
    expect(graph().apply(e1)).toEqual(alone(e1));
  });
  it("a list of examples of different lengths gives a list of results, each as if alone", () => {
    expect(graph().apply([e1, e2])).toEqual([alone(e1), alone(e2)]);
  });
  it("a batched tensor still works", () => {
    const out = graph().apply({ key: tensor([e1.key]), query: tensor([e1.query]) }) as Tensor;
    expect(out.shape).toEqual([1, 1, 2]);
    expectClose(out, (alone(e1) as number[][]).flat(), 1e-6, 1e-7);
  });
});

