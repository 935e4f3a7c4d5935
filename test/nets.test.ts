// netChain / netGraph: composition, named ports, residual paths, shape inference and its errors,
// lists of varying-length sequences.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, fullyConnectedLayer, globalAveragePooling1dLayer, layerNormalizationLayer, netChain, netGraph,
  ops, Random, reluLayer, selfAttentionLayer, sequenceInputLayer, softmaxLayer, Tensor, valueAndGrad,
} from "../src/index.js";
import { checkGradients, expectClose, randomTensor } from "./helpers/numeric.js";

const random = new Random(51);
const rt = (...shape: number[]) => randomTensor(shape, random);

const classifier = () => netChain([
  sequenceInputLayer(5), selfAttentionLayer(2, 4), layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(3), softmaxLayer(),
]);

describe("netChain", () => {
  it("infers sizes from the input layer and initializes every node", () => {
    const net = classifier().initialize({ seed: 1 });
    expect(net.isInitialized).toBe(true);
    expect(net.parameters["2/queryWeights"].shape).toEqual([4, 5]);
    expect(net.parameters["5/weights"].shape).toEqual([3, 5]);
  });

  it("a list of varying-length sequences gives each sequence's own result", () => {
    const net = classifier().initialize({ seed: 2 });
    const seqs = [rt(6, 5), rt(1, 5), rt(3, 5)];
    const outs = net.predict(seqs) as Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([[3], [3], [3]]);
    seqs.forEach((s, i) => expectClose(outs[i], (net.predict(s) as Tensor).data, 1e-5, 1e-6, `sequence ${i + 1}`));
    expect(Array.isArray(net.predict([[[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5], [0, 0, 0, 0, 1]]]))).toBe(true);
  });

  it("gradients flow through the whole chain (finite differences on a padded batch)", () => {
    const net = classifier().initialize({ seed: 3 });
    const x = rt(2, 4, 5), w = rt(2, 3);
    const f = () => ops.sum(ops.mul(net.forward({ input: { x, lengths: [4, 3] } }, { training: false, random: new Random(0) }).output.x, w));
    checkGradients(f, [x, ...Object.values(net.parameters)], { what: "chain" });
  });

  it("a chain nested in a chain takes its input size from the outer net", () => {
    const inner = netChain([fullyConnectedLayer(3), reluLayer()], { name: "inner" });
    const net = netChain([sequenceInputLayer(5), fullyConnectedLayer(4), inner, softmaxLayer()]).initialize({ seed: 5 });
    expect(net.parameters["inner/1/weights"].shape).toEqual([3, 4]);
    expect((net.predict(rt(2, 5)) as Tensor).shape).toEqual([2, 3]);
  });

  it("errors name the node and the port when sizes do not connect", () => {
    const bad = netChain([sequenceInputLayer(5), fullyConnectedLayer(4), selfAttentionLayer(2, 4, { inputSize: 6, name: "att" })]);
    expect(() => bad.initialize()).toThrow(/netChain: node "att": selfAttentionLayer "att": input "in" has 4 channels but inputSize is 6/);
    expect(() => classifier().predict(rt(3, 4))).toThrow(/sequenceInputLayer: input has 4 channels but inputSize is 5/);
  });
});

describe("netGraph", () => {
  it("residual path: x + selfAttention(x), then layer norm", () => {
    const net = netGraph({
      nodes: { in: sequenceInputLayer(4), att: selfAttentionLayer(2, 4), res: additionLayer(2), norm: layerNormalizationLayer() },
      edges: [["input", "in"], ["in", "att"], ["in", "res/in1"], ["att", "res/in2"], ["res", "norm"]],
    }).initialize({ seed: 4 });
    const x = rt(5, 4);
    const y = net.predict(x) as Tensor;
    const att = (net.nodes.att as ReturnType<typeof selfAttentionLayer>).apply(x) as Tensor;
    expectClose(y, (layerNormalizationLayer().apply(ops.add(x, att)) as Tensor).data, 1e-5, 1e-6);
  });

  it("multi-input graphs feed attention ports by name", () => {
    const net = netGraph({
      inputs: ["keys", "queries"],
      nodes: { proj: fullyConnectedLayer(3), att: attentionLayer("Dot") },
      edges: [["keys", "proj"], ["proj", "att/key"], ["keys", "att/value"], ["queries", "att/query"]],
    });
    const keys = rt(1, 4, 2), queries = rt(1, 2, 3);
    const out = net.apply({ keys, queries }) as Tensor;
    expect(out.shape).toEqual([1, 2, 2]);
    const proj = net.nodes.proj as ReturnType<typeof fullyConnectedLayer>;
    const expected = attentionLayer("Dot").apply({ key: proj.apply(ops.reshape(keys, [4, 2])) as Tensor, value: ops.reshape(keys, [4, 2]), query: ops.reshape(queries, [2, 3]) });
    expectClose(out, expected.data, 1e-5, 1e-6);
    const { grads } = valueAndGrad(() => ops.sum(net.apply({ keys, queries }) as Tensor), [keys, queries]);
    expect(grads.every((g) => g.data.some((v) => v !== 0))).toBe(true);
  });

  it("wiring errors: unknown nodes and ports, double connections, cycles, unconnected inputs", () => {
    const fc = () => fullyConnectedLayer(2);
    expect(() => netGraph({ nodes: { a: fc() }, edges: [["input", "b"]] })).toThrow(/no node "b"/);
    expect(() => netChain([additionLayer(2)])).toThrow(/^netChain: edge input → 1: node "1" has inputs in1, in2/);
    expect(() => netGraph({ nodes: { a: additionLayer(2) }, edges: [["input", "a/in1"], ["input", "a/in3"]] })).toThrow(/node "a" has no input "in3" \(inputs: in1, in2\)/);
    expect(() => netGraph({ nodes: { a: additionLayer(2) }, edges: [["input", "a/in1"]] })).toThrow(/input "in2" of node "a" \(additionLayer\) is not connected/);
    expect(() => netGraph({ nodes: { a: fc() }, edges: [["input", "a"], ["input", "a"]] })).toThrow(/connected twice/);
    expect(() => netGraph({ nodes: { a: additionLayer(2), b: reluLayer() }, edges: [["input", "a/in1"], ["b", "a/in2"], ["a", "b"]] })).toThrow(/cycle: .*a → b → a|cycle: .*b → a → b/);
    expect(() => netGraph({ nodes: { a: fc(), b: fc() }, edges: [["input", "a"], ["input", "b"]] })).toThrow(/cannot tell the output: a\/out, b\/out are unconsumed/);
    expect((netGraph({ nodes: { a: fc() }, edges: [["input", "a"]] }).apply(rt(2, 3)) as Tensor).shape).toEqual([2, 2]);
  });
});
