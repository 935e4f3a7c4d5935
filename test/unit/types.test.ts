// Public result types (checked by `npm run typecheck`, which npm test runs; the runtime lines confirm the shapes).
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  attentionLayer, fullyConnectedLayer, netChain, netGraph, predict, selfAttentionLayer, sequenceAttentionLayer, sequenceInputLayer, tensor,
  type ApplyResult, type LayerConfig, type NestedArray, type NetGraph, type Tensor, type TensorLike,
} from "../../src/index.js";

const x = tensor([[1, 0, 2], [0, 1, 1]]);
const nested = [[1, 0, 2], [0, 1, 1]];

describe("result types follow inputs and options", () => {
  it("selfAttentionLayer: hasScoresOutput and tensor vs nested arrays", () => {
    const plain = selfAttentionLayer(1, 2).apply(x);
    expectTypeOf(plain).toEqualTypeOf<Tensor>();
    const both = selfAttentionLayer(1, 2, { hasScoresOutput: true }).apply(x);
    expectTypeOf(both).toEqualTypeOf<{ out: Tensor; scores: Tensor }>();
    expect(both.scores.shape).toEqual([1, 2, 2]);
    const list = selfAttentionLayer(1, 2, { hasScoresOutput: true }).apply([x, x]);
    expectTypeOf(list).toEqualTypeOf<{ out: Tensor; scores: Tensor }[]>();
    expectTypeOf(selfAttentionLayer(1, 2).apply(nested)).toEqualTypeOf<NestedArray[]>();
    expectTypeOf(netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]).apply(nested)).toEqualTypeOf<NestedArray[]>();
  });

  it("attentionLayer: returnWeights and tensor vs nested arrays", () => {
    const att = attentionLayer("Dot");
    expectTypeOf(att.apply({ key: x, value: x, query: x })).toEqualTypeOf<Tensor>();
    expectTypeOf(att.apply({ key: nested, value: nested, query: nested })).toEqualTypeOf<NestedArray[]>();
    const w = att.apply({ key: x, value: x, query: x }, { returnWeights: true });
    expectTypeOf(w).toEqualTypeOf<{ output: Tensor; weights: Tensor }>();
    expect(w.weights.shape).toEqual([2, 2]);
    expectTypeOf(att.apply([{ key: x, value: x, query: x }], { returnWeights: true })).toEqualTypeOf<{ output: Tensor; weights: Tensor }[]>();
  });

  it("nets: one output gives the value, several a record by name", () => {
    const chain = netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]);
    expectTypeOf(chain.apply(x)).toEqualTypeOf<Tensor>();
    expectTypeOf(chain.predict([x, x])).toEqualTypeOf<Tensor[]>();
    expectTypeOf(predict(chain, [x])).toEqualTypeOf<Tensor[]>();
    const graph = netGraph({
      nodes: { a: fullyConnectedLayer(2), b: fullyConnectedLayer(4) }, edges: [["input", "a"], ["input", "b"]], outputs: { left: "a", right: "b" },
    });
    const out = graph.apply(x);
    expectTypeOf(out).toEqualTypeOf<Record<"left" | "right", Tensor>>();
    expect([out.left.shape, out.right.shape]).toEqual([[2, 2], [2, 4]]);
  });

  it("the forms the docs show type-check: predict(list of records), apply(a TensorLike), net.nodes.fc.apply", () => {
    const s = netGraph({ inputs: ["key", "query"], nodes: { s: sequenceAttentionLayer("Dot") }, edges: [["key", "s/input"], ["query", "s/query"]] });
    const records = [{ key: tensor([[1, 0], [0, 1]]), query: tensor([[1, 0]]) }, { key: tensor([[1, 1]]), query: tensor([[0, 1]]) }];
    const each = s.predict(records);
    expectTypeOf(each).toEqualTypeOf<Tensor[]>();
    expect(each.map((r) => r.shape)).toEqual([[1, 2], [1, 2]]);
    const like = nested as TensorLike;
    const fc = fullyConnectedLayer(2);
    expectTypeOf(fc.apply(like)).toEqualTypeOf<Tensor | NestedArray[]>();
    expect(fc.apply(like)).toHaveLength(2);
    const chain = netChain([fc, fullyConnectedLayer(1, { name: "fc" })]);
    const inner = chain.nodes.fc.apply(x);
    expectTypeOf(inner).toEqualTypeOf<ApplyResult>();
    expect((inner as Tensor).shape).toEqual([2, 1]);
    expect(selfAttentionLayer(1, 2).apply(like as TensorLike)).toHaveLength(2);
  });

  it("configs are JSON", () => {
    expectTypeOf<LayerConfig["args"]>().not.toBeAny();
    expect(JSON.parse(JSON.stringify(selfAttentionLayer(2, 4).config())).kind).toBe("selfAttentionLayer");
  });
});

describe("typed nets stay assignable to NetGraph", () => {
  it("a net with named outputs can be passed where any NetGraph is expected", () => {
    const g = netGraph({ nodes: { a: fullyConnectedLayer(2) }, edges: [["input", "a"]], outputs: { logits: "a" } });
    const general: NetGraph = g;
    const chain: NetGraph = netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]);
    expect(general.outputNames).toEqual(["logits"]);
    expect(chain.outputNames).toEqual(["output"]);
  });
});
