// The companion layers and the attention layers inside nets, through the shared layer contract.
import { describe, expect, it } from "vitest";
import {
  additionLayer, dropoutLayer, embeddingLayer, fullyConnectedLayer, geluLayer, globalAveragePooling1dLayer,
  layerNormalizationLayer, lstmLayer, NetValue, positionEmbeddingLayer, Random, reluLayer, selfAttentionLayer,
  sequenceInputLayer, sigmoidLayer, softmaxLayer, tanhLayer, Tensor, tensor, ops, type Layer,
} from "../../src/index.js";
import { checkLayerContract } from "../helpers/layerContract.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

const random = new Random(41);
const rt = (...shape: number[]) => randomTensor(shape, random);
const context = { training: false, random: new Random(1) };
/** Runs a single-port layer on a padded batch with lengths. */
const onBatch = (lengths?: number[]) => (layer: Layer, x: Tensor) => layer.forward({ in: { x, lengths } as NetValue }, context).out.x;

describe("layer contract", () => {
  const cases: [string, () => Layer, Tensor, number[], number, ((l: Layer, x: Tensor) => Tensor)?][] = [
    ["fullyConnectedLayer", () => fullyConnectedLayer(3).initialize({ inputSize: 4, seed: 1 }), rt(2, 5, 4), [2, 5, 3], 15],
    ["fullyConnectedLayer without bias", () => fullyConnectedLayer(3, { hasBias: false }).initialize({ inputSize: 4, seed: 1 }), rt(5, 4), [5, 3], 12],
    ["layerNormalizationLayer", () => layerNormalizationLayer().initialize({ inputSize: 5 }), rt(2, 3, 5), [2, 3, 5], 10],
    ["softmaxLayer", () => softmaxLayer(), rt(2, 4), [2, 4], 0],
    ["reluLayer", () => reluLayer(), rt(3, 4), [3, 4], 0],
    ["geluLayer", () => geluLayer(), rt(3, 4), [3, 4], 0],
    ["tanhLayer", () => tanhLayer(), rt(3, 4), [3, 4], 0],
    ["sigmoidLayer", () => sigmoidLayer(), rt(3, 4), [3, 4], 0],
    ["dropoutLayer (inference: identity)", () => dropoutLayer(0.5), rt(3, 4), [3, 4], 0],
    ["globalAveragePooling1dLayer (padding-aware)", () => globalAveragePooling1dLayer(), rt(2, 4, 3), [2, 3], 0, onBatch([4, 2])],
    ["sequenceInputLayer zscore", () => sequenceInputLayer(3, { normalization: "zscore", mean: [1, 2, 3], standardDeviation: [2, 1, 0.5] }), rt(2, 4, 3), [2, 4, 3], 0],
    ["positionEmbeddingLayer", () => positionEmbeddingLayer(4, 10).initialize({ seed: 2 }), rt(2, 5, 3), [2, 5, 4], 40],
    ["lstmLayer sequence", () => lstmLayer(3).initialize({ inputSize: 2, seed: 3 }), rt(2, 4, 2), [2, 4, 3], 4 * 3 * (2 + 3 + 1), onBatch([4, 2])],
    ["lstmLayer last", () => lstmLayer(3, { outputMode: "last" }).initialize({ inputSize: 2, seed: 3 }), rt(2, 4, 2), [2, 3], 4 * 3 * (2 + 3 + 1), onBatch([4, 2])],
    ["selfAttentionLayer in a net (padded keys blocked)", () => selfAttentionLayer(2, 4).initialize({ inputSize: 3, seed: 4 }), rt(2, 4, 3), [2, 4, 3], 3 * (4 * 3) + 3 * 4 + (4 + 4 + 4 + 3), onBatch([4, 2])], // Wq, Wk, Wv [4, 3]; Wo [3, 4]; biases,
  ];
  for (const [name, make, input, outputShape, parameterCount, run] of cases) {
    it(name, () => checkLayerContract({ make, input, outputShape, parameterCount, run: run ?? onBatch() }));
  }
  it("embeddingLayer", () => {
    checkLayerContract({
      make: () => embeddingLayer(3, 5).initialize({ seed: 1 }), input: tensor([[[4], [0], [4]], [[2], [1], [3]]]), outputShape: [2, 3, 3],
      parameterCount: 15, inputIsDiscrete: true, run: onBatch(),
    });
  });
});

describe("layer semantics", () => {
  it("pooling ignores padded steps and equals the mean of each sequence alone", () => {
    const x = rt(2, 4, 3);
    x.data.fill(1e6, 12 + 6); // padding of the second sequence holds garbage
    const pooled = onBatch([4, 2])(globalAveragePooling1dLayer(), x);
    const second = ops.mean(ops.slice(ops.reshape(ops.slice(x, 0, 1, 2), [4, 3]), 0, 0, 2), 0);
    expectClose(pooled.data.subarray(3), second.data, 1e-6, 1e-6);
  });
  it("lstmLayer 'last' takes each sequence's own last valid step and equals running it alone", () => {
    const layer = lstmLayer(3, { outputMode: "last" }).initialize({ inputSize: 2, seed: 3 });
    const x = rt(2, 5, 2);
    const batch = onBatch([5, 2])(layer, x);
    const alone = layer.apply(ops.slice(ops.reshape(ops.slice(x, 0, 1, 2), [5, 2]), 0, 0, 2)) as Tensor;
    expectClose(batch.data.subarray(3), alone.data, 1e-6, 1e-6);
  });
  it("layerNormalizationLayer normalizes each channel vector", () => {
    const y = layerNormalizationLayer().apply(tensor([[1, 2, 3, 4], [10, 10, 10, 14]])) as Tensor;
    const row = y.data.subarray(4);
    expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 5);
    expect(row.reduce((s, v) => s + v * v, 0) / 4).toBeCloseTo(1, 3);
  });
  it("dropoutLayer zeroes about p of the values in training, scaled by 1/(1−p)", () => {
    const y = dropoutLayer(0.25).apply(tensor(new Float32Array(4000).fill(1), [4000]), { training: true, seed: 1 }) as Tensor;
    const zeros = y.data.filter((v) => v === 0).length;
    expect(zeros / 4000).toBeGreaterThan(0.22);
    expect(zeros / 4000).toBeLessThan(0.28);
    expect(y.data.find((v) => v !== 0)).toBeCloseTo(1 / 0.75, 5);
  });
  it("additionLayer adds its inputs and checks shapes", () => {
    const add = additionLayer(3, { name: "sum" });
    expect(add.inputNames).toEqual(["in1", "in2", "in3"]);
    expect((add.apply({ in1: tensor([1, 2]), in2: tensor([3, 4]), in3: tensor([5, 6]) }) as Tensor).toArray()).toEqual([9, 12]);
    expect(() => add.apply({ in1: tensor([1, 2]), in2: tensor([3]), in3: tensor([5, 6]) })).toThrow(/additionLayer "sum": input "in2" has shape \[1\] but input "in1" has \[2\]/);
  });
  it("companion layer errors name the layer and both sizes", () => {
    const fc = fullyConnectedLayer(3, { inputSize: 4, name: "fc1" });
    expect(() => fc.apply(rt(2, 5))).toThrow('fullyConnectedLayer "fc1": input "in" has 5 channels but inputSize is 4');
    expect(() => sequenceInputLayer(12).apply(rt(3, 10))).toThrow("sequenceInputLayer: input has 10 channels but inputSize is 12");
    expect(() => embeddingLayer(2, 3).apply(tensor([[0], [3]]))).toThrow(/indices must be integers in \[0, 3\)/);
    expect(() => positionEmbeddingLayer(2, 3).apply(rt(4, 2))).toThrow(/4 time steps but maxPosition is 3/);
    expect(() => dropoutLayer(1)).toThrow(/probability must be in \[0, 1\)/);
    expect(() => sequenceInputLayer(2, { normalization: "zscore" }).apply(rt(3, 2))).toThrow(/needs statistics/);
  });
});
