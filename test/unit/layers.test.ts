// The companion layers and the attention layers inside nets, through the shared layer contract.
import { describe, expect, it } from "vitest";
import {
  additionLayer, dropoutLayer, embeddingLayer, fullyConnectedLayer, geluLayer, globalAveragePooling1dLayer,
  layerNormalizationLayer, lstmLayer, NetValue, positionEmbeddingLayer, Random, reluLayer, selfAttentionLayer,
  sequenceInputLayer, sigmoidLayer, softmaxLayer, tanhLayer, Tensor, tensor, ops, type Layer,
} from "../../src/index.js";
import { attentionLayer, concatenationLayer, netChain, netGraph, sequenceAttentionLayer } from "../../src/index.js";
import { registeredLayerKinds } from "../../src/nets/layerRegistry.js";
import { checkLayerContract, checkRefusedCallsChangeNothing, type RefusalCase } from "../helpers/layerContract.js";
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

describe("a refused call changes nothing, for every registered layer kind", () => {
  const x = (T: number, C: number, seed = 5) => randomTensor([T, C], new Random(seed));
  /** A single-port layer, run in a chain (after `before`, e.g. a sequenceInputLayer): refused where the next node refuses ([5, …] steps but maxPosition 3, or a wrong inputSize), by which time this layer has fixed its sizes and built. */
  const single = (make: () => Layer, C = 3, before: (C: number) => Layer[] = () => []): RefusalCase => ({
    make,
    refused: [
      (l) => netChain([...before(C), l, positionEmbeddingLayer(2, 3)]).apply(x(5, C)),
      (l) => netChain([...before(C), l, fullyConnectedLayer(2, { inputSize: 99 })]).apply(x(2, C)),
    ],
    valid: (l) => netChain([...before(C), l]).apply(x(2, C)),
  });
  /** A single-port layer whose first data fix its input size: once used, data of another channel count are refused. */
  const sized = (make: () => Layer, C = 3, before: (C: number) => Layer[] = () => []): RefusalCase => ({
    ...single(make, C, before),
    refusedOnceUsed: [(l) => netChain([...before(C + 2), l]).apply(x(2, C + 2)), (l) => l.initialize({ inputSize: C + 1 })],
  });
  const sequence = (C: number) => [sequenceInputLayer(C)];
  const attentionExample = (k: number, q: number, seed = 7) => ({ key: x(3, k, seed), value: x(3, 2, seed + 1), query: x(2, q, seed + 2) });
  const cases: Record<string, RefusalCase> = {
    fullyConnectedLayer: { ...sized(() => fullyConnectedLayer(3)), refused: [...single(() => fullyConnectedLayer(3)).refused, (l) => l.setParameter("weights", x(2, 4)), (l) => l.initialize({ inputSize: 2.5 })] },
    layerNormalizationLayer: { ...sized(() => layerNormalizationLayer()), refused: [...single(() => layerNormalizationLayer()).refused, (l) => l.setParameter("scale", x(2, 2))] },
    lstmLayer: { ...sized(() => lstmLayer(2)), refused: [...single(() => lstmLayer(2)).refused, (l) => l.setParameter("inputWeights", x(7, 3))] },
    selfAttentionLayer: {
      ...sized(() => selfAttentionLayer(2, 4), 3, sequence),
      refused: [...single(() => selfAttentionLayer(2, 4), 3, sequence).refused, (l) => (l as ReturnType<typeof selfAttentionLayer>).apply([x(2, 3), x(2, 4)]), (l) => l.setParameter("outputWeights", x(3, 5))],
    },
    dropoutLayer: single(() => dropoutLayer(0.5)),
    globalAveragePooling1dLayer: single(() => globalAveragePooling1dLayer()),
    sequenceInputLayer: { ...single(() => sequenceInputLayer(3)), refusedOnceUsed: [(l) => netChain([l]).apply(x(2, 4))] },
    embeddingLayer: {
      make: () => embeddingLayer(2, 4),
      refused: [(l) => netChain([l, positionEmbeddingLayer(2, 3)]).apply(tensor([0, 1, 2, 3, 0])), (l) => netChain([l]).apply(tensor([1, 7]))],
      valid: (l) => netChain([l]).apply(tensor([1, 3])),
    },
    positionEmbeddingLayer: { ...single(() => positionEmbeddingLayer(2, 4)), refused: [(l) => netChain([l]).apply(x(5, 3)), (l) => netChain([l, positionEmbeddingLayer(2, 3)]).apply(x(4, 3))] },
    softmaxLayer: single(() => softmaxLayer()),
    reluLayer: single(() => reluLayer()),
    geluLayer: single(() => geluLayer()),
    tanhLayer: single(() => tanhLayer()),
    sigmoidLayer: single(() => sigmoidLayer()),
    additionLayer: {
      make: () => additionLayer(2),
      refused: [(l) => (l as ReturnType<typeof additionLayer>).apply({ in1: x(2, 3), in2: x(2, 4) })],
      valid: (l) => (l as ReturnType<typeof additionLayer>).apply({ in1: x(2, 3), in2: x(2, 3, 6) }),
    },
    concatenationLayer: {
      make: () => concatenationLayer(1, 2),
      refused: [(l) => (l as ReturnType<typeof concatenationLayer>).apply({ in1: x(2, 3), in2: x(3, 4) })],
      valid: (l) => (l as ReturnType<typeof concatenationLayer>).apply({ in1: x(2, 3), in2: x(2, 4, 6) }),
    },
    attentionLayer: {
      make: () => attentionLayer("Bilinear"),
      refused: [
        (l) => (l as ReturnType<typeof attentionLayer>).apply([attentionExample(2, 3), attentionExample(4, 3)]), // example 2 has another key size
        (l) => (l as ReturnType<typeof attentionLayer>).apply({ ...attentionExample(2, 3), value: x(4, 2) }),
        (l) => l.setParameter("weights", tensor([1, 2, 3])), // rank 1
      ],
      refusedOnceUsed: [(l) => l.setParameter("weights", x(3, 5)), (l) => (l as ReturnType<typeof attentionLayer>).apply(attentionExample(2, 4))],
      valid: (l) => (l as ReturnType<typeof attentionLayer>).apply(attentionExample(2, 3)),
    },
    sequenceAttentionLayer: {
      make: () => sequenceAttentionLayer("Bilinear", { input: ["varying", "auto"] }),
      refused: [(l) => (l as ReturnType<typeof sequenceAttentionLayer>).apply([{ input: x(3, 2), query: x(1, 3) }, { input: x(3, 4), query: x(1, 3) }])],
      refusedOnceUsed: [(l) => (l as ReturnType<typeof sequenceAttentionLayer>).apply({ input: x(3, 5), query: x(1, 3) })],
      valid: (l) => (l as ReturnType<typeof sequenceAttentionLayer>).apply({ input: x(3, 2), query: x(1, 3) }),
    },
    netChain: {
      make: () => netChain([fullyConnectedLayer(4), positionEmbeddingLayer(4, 3)]),
      refused: [(l) => (l as ReturnType<typeof netChain>).apply(x(5, 3)), (l) => l.initialize({ inputSize: 0.5 } as never)],
      valid: (l) => (l as ReturnType<typeof netChain>).apply(x(2, 3)),
    },
    netGraph: {
      make: () => netGraph({ inputs: ["a", "b"], nodes: { fa: fullyConnectedLayer(4), add: additionLayer(2) }, edges: [["a", "fa"], ["fa", "add/in1"], ["b", "add/in2"]] }),
      refused: [(l) => (l as ReturnType<typeof netGraph>).apply({ a: x(2, 3), b: x(2, 5) }), (l) => (l as ReturnType<typeof netGraph>).apply([{ a: x(2, 3), b: x(2, 4) }, { a: x(2, 5), b: x(2, 4) }])],
      valid: (l) => (l as ReturnType<typeof netGraph>).apply({ a: x(2, 3), b: x(2, 4) }),
    },
  };
  it("every kind the registry can rebuild has a case here", () => {
    expect(Object.keys(cases).sort()).toEqual([...registeredLayerKinds()].sort());
  });
  for (const kind of registeredLayerKinds()) {
    it(kind, () => checkRefusedCallsChangeNothing(cases[kind]));
  }
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
