// concatenationLayer (MATLAB): inputs joined along the channels, alone and in nets, with exact gradients,
// a config round trip and errors that name the layer, the port and the shapes.
import { describe, expect, it } from "vitest";
import { concatenationLayer, deserializeNet, fullyConnectedLayer, netGraph, ops, Random, sequenceInputLayer, serializeNet, tensor, Tensor } from "../../src/index.js";
import { checkGradients, randomTensor } from "../helpers/numeric.js";

const random = new Random(7);

describe("concatenationLayer", () => {
  it("joins in1 … inN along the last axis, row by row", () => {
    const [a, b, c] = [randomTensor([2, 3, 2], random), randomTensor([2, 3, 1], random), randomTensor([2, 3, 3], random)];
    const out = concatenationLayer(1, 3).apply({ in1: a, in2: b, in3: c }) as Tensor;
    expect(out.shape).toEqual([2, 3, 6]);
    for (let row = 0; row < 6; row++) {
      const expected = [...a.data.subarray(row * 2, row * 2 + 2), ...b.data.subarray(row, row + 1), ...c.data.subarray(row * 3, row * 3 + 3)];
      expect([...out.data.subarray(row * 6, row * 6 + 6)]).toEqual(expected);
    }
    expect(concatenationLayer(1, 2).apply({ in1: [[1, 2]], in2: [[3]] })).toEqual([[1, 2, 3]]);
  });

  it("has the gradients of finite differences for every input", () => {
    const layer = concatenationLayer(1, 2);
    const a = randomTensor([2, 4, 3], random), b = randomTensor([2, 4, 2], random), w = randomTensor([2, 4, 5], random);
    checkGradients(() => ops.sum(ops.mul(layer.apply({ in1: a, in2: b }) as Tensor, w)), [a, b], { what: "concatenationLayer" });
  });

  it("in a net: sizes add up, sequences of different lengths each get their own result, and save/load keeps it", () => {
    const a = fullyConnectedLayer(2), b = fullyConnectedLayer(3);
    const net = netGraph({
      nodes: { seq: sequenceInputLayer(4), a, b, cat: concatenationLayer(1, 2, { name: "join" }) },
      edges: [["input", "seq"], ["seq", "a"], ["seq", "b"], ["a", "cat/in1"], ["b", "cat/in2"]],
    }).initialize({ seed: 3 });
    expect(net.inferSizes({ input: 4 })).toEqual({ output: 5 });
    const sequences = [randomTensor([5, 4], random), randomTensor([2, 4], random)];
    const outs = net.predict(sequences) as Tensor[];
    sequences.forEach((x, i) => {
      const expected = ops.concat([a.apply(x) as Tensor, b.apply(x) as Tensor], -1);
      expect(outs[i].shape).toEqual([x.shape[0], 5]);
      expect([...outs[i].data]).toEqual([...expected.data]);
    });
    const copy = deserializeNet(serializeNet(net)) as typeof net;
    expect([...(copy.predict(sequences[0]) as Tensor).data]).toEqual([...outs[0].data]);
    expect(copy.nodes.cat.config()).toEqual({ kind: "concatenationLayer", args: [1, 2, { name: "join" }] });
  });

  it("shows dim and numInputs as MATLAB does", () => {
    const text = String(concatenationLayer(1, 3, { name: "cat" }));
    expect(text).toMatch(/concatenationLayer with properties:/);
    expect(text).toMatch(/ dim: 1\n/);
    expect(text).toMatch(/ numInputs: 3\n/);
    expect(text).toMatch(/ inputNames: \{'in1' 'in2' 'in3'\}/);
  });

  it("refuses other axes, fewer than two inputs and inputs that differ outside the channels", () => {
    expect(() => concatenationLayer(2, 2)).toThrow(/^concatenationLayer: dim must be 1 \(the channels: MATLAB's "CT" order for sequences\), got 2/);
    expect(() => concatenationLayer(1, 1)).toThrow(/^concatenationLayer: numInputs must be at least 2, got 1/);
    expect(() => concatenationLayer(1, 2, { name: "j" }).apply({ in1: tensor([[1, 2]]), in2: tensor([[1], [2]]) }))
      .toThrow(/^concatenationLayer "j": input "in2" has shape \[2, 1\] but input "in1" has \[1, 2\]; they must agree on every axis but the channels/);
  });
});
