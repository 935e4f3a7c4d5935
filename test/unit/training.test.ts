// trainNet: a step lowers the loss, runs are reproducible, real data is learned; saveNet / loadNet.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  attentionLayer, classify, decodeSafetensors, evaluate, fullyConnectedLayer, globalAveragePooling1dLayer, layerNormalizationLayer, loadNet,
  loadJapaneseVowels, lstmLayer, netChain, netGraph, Random, saveNet, selfAttentionLayer, sequenceInputLayer, softmaxLayer, Tensor, trainNet,
} from "../../src/node/index.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";
import { tempDir } from "../helpers/tempDir.js";

const random = new Random(61);
const toySequences = (n: number) => Array.from({ length: n }, (_, i) => randomTensor([2 + (i % 5), 3], random));
const attentionNet = () => netChain([
  sequenceInputLayer(3, { normalization: "zscore" }), selfAttentionLayer(2, 4), layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer(),
]);
// a learnable toy task: is the mean of channel 0 positive?
const toyData = () => {
  const x = toySequences(40);
  return { x, y: x.map((s) => (s.data.filter((_, j) => j % 3 === 0).reduce((a, b) => a + b, 0) > 0 ? 1 : 0)) };
};

describe("trainNet", () => {
  it("lowers the loss, and the same seed gives the same trained weights", () => {
    const data = toyData();
    const a = trainNet(attentionNet(), data, { maxEpochs: 8, miniBatchSize: 8, learnRate: 0.01, seed: 3, verbose: false });
    const b = trainNet(attentionNet(), data, { maxEpochs: 8, miniBatchSize: 8, learnRate: 0.01, seed: 3, verbose: false });
    expect(a.history.loss.at(-1)!).toBeLessThan(a.history.loss[0]);
    for (const [name, t] of Object.entries(a.net.parameters)) expect([...t.data], name).toEqual([...b.net.parameters[name].data]);
    const c = trainNet(attentionNet(), data, { maxEpochs: 1, miniBatchSize: 8, seed: 4, verbose: false });
    expect([...c.net.parameters["2/queryWeights"].data]).not.toEqual([...a.net.parameters["2/queryWeights"].data]);
  });

  it("sgdm, gradient clipping, piecewise schedule, sorted batches, validation and onProgress all run", () => {
    const data = toyData();
    const seen: number[] = [];
    const { history } = trainNet(attentionNet(), data, {
      solver: "sgdm", learnRate: 0.05, gradientThreshold: 1, learnRateSchedule: "piecewise", learnRateDropPeriod: 2, sequenceOrder: "sort",
      maxEpochs: 4, miniBatchSize: 16, validationData: data, verbose: false, onProgress: (p) => { seen.push(p.epoch); },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(history.validationAccuracy.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]);
  });

  it("sequence-to-sequence crossentropy ignores padded steps", () => {
    const x = toySequences(12);
    const y = x.map((s) => Array.from({ length: s.shape[0] }, (_, t) => (s.data[t * 3] > 0 ? 1 : 0)));
    const net = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 4), fullyConnectedLayer(2), softmaxLayer()]);
    const { history } = trainNet(net, { x, y }, { maxEpochs: 10, miniBatchSize: 4, learnRate: 0.02, verbose: false });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]);
  });

  it("mse regression (sequence-to-one and sequence-to-sequence) lowers the loss and matches its formula", () => {
    const x = toySequences(16);
    const toOne = x.map((s) => new Tensor(Float32Array.from([s.data[0], s.data[1] * 2]), [2]));
    const net = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 4), globalAveragePooling1dLayer(), fullyConnectedLayer(2)]);
    const { history } = trainNet(net, { x, y: toOne }, { loss: "mse", maxEpochs: 15, miniBatchSize: 4, learnRate: 0.02, verbose: false });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0] / 2);
    // the reported loss is ½·mean over examples of the squared error
    const predictions = net.predict(x) as Tensor[];
    const half = predictions.reduce((s, p, i) => s + 0.5 * p.data.reduce((a, v, j) => a + (v - toOne[i].data[j]) ** 2, 0), 0) / x.length;
    expect(evaluate(net, { x, y: toOne }, "mse").loss).toBeCloseTo(half, 5);
    const toSeq = x.map((s) => new Tensor(Float32Array.from({ length: s.shape[0] }, (_, t) => s.data[t * 3]), [s.shape[0], 1]));
    const seqNet = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 4), fullyConnectedLayer(1)]);
    const seq = trainNet(seqNet, { x, y: toSeq }, { loss: "mse", maxEpochs: 15, miniBatchSize: 4, learnRate: 0.02, verbose: false });
    expect(seq.history.loss.at(-1)!).toBeLessThan(seq.history.loss[0] / 2);
  });

  it("bad options and data are refused with clear errors", () => {
    const data = toyData();
    expect(() => trainNet(attentionNet(), { x: data.x, y: data.y.slice(1) }, { verbose: false })).toThrow(/40 sequences but 39 targets/);
    expect(() => trainNet(attentionNet(), data, { solver: "adagrad" as never, verbose: false })).toThrow(/solver must be "adam", "sgdm" or "rmsprop", got "adagrad"/);
    expect(() => trainNet(attentionNet(), data, { maxEpochs: 0, verbose: false })).toThrow(/maxEpochs must be a positive integer/);
    expect(() => trainNet(attentionNet(), data, { maxEpoch: 3, verbose: false } as never)).toThrow(/trainNet: unknown option "maxEpoch" \(did you mean "maxEpochs"\?\)/);
    expect(() => trainNet(attentionNet(), { x: data.x, y: data.x.map(() => 5) }, { verbose: false })).toThrow(/^trainNet: y\[\d+\] = 5 is not a class index in \[0, 2\)/);
  });

  it("learns the real Japanese Vowels data: ≥ 0.93 test accuracy after 15 epochs", () => {
    const { train, test } = loadJapaneseVowels();
    const seqs = (s: typeof train) => s.sequences.map((d, i) => new Tensor(d, [s.lengths[i], s.channels]));
    const net = netChain([
      sequenceInputLayer(12, { normalization: "zscore" }), selfAttentionLayer(4, 12), layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(9), softmaxLayer(),
    ]);
    trainNet(net, { x: seqs(train), y: train.labels }, { maxEpochs: 15, miniBatchSize: 27, learnRate: 0.01, l2Regularization: 0, seed: 0, verbose: false });
    const predicted = classify(net, seqs(test));
    const accuracy = predicted.filter((p, i) => p === test.labels[i]).length / predicted.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.93);
  }, 60_000);
});

describe("saveNet / loadNet", () => {
  const dir = tempDir("training");
  const trained = () => trainNet(attentionNet(), toyData(), { maxEpochs: 2, miniBatchSize: 8, verbose: false }).net;

  it("round trip gives identical predictions, and the file is plain safetensors", () => {
    const net = trained();
    const path = join(dir, "net.safetensors");
    saveNet(net, path);
    const loaded = loadNet(path) as typeof net;
    const x = toySequences(5);
    const a = net.predict(x) as Tensor[], b = loaded.predict(x) as Tensor[];
    a.forEach((t, i) => expect([...b[i].data]).toEqual([...t.data]));
    const { tensors, metadata } = decodeSafetensors(readFileSync(path));
    expect(Object.keys(tensors)).toContain("2/queryWeights");
    expect(JSON.parse(metadata.config).kind).toBe("netChain");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("graphs with custom scoring nets, LSTMs and attention layers survive the round trip", () => {
    const scoring = netGraph({ inputs: ["input", "query"], nodes: { k: fullyConnectedLayer(1, { hasBias: false }) }, edges: [["input", "k"]], outputs: { output: "k" } });
    const layer = attentionLayer(scoring, { scoreRescaling: "lengthSqrt" });
    const net = netGraph({ inputs: ["key", "query"], nodes: { att: layer }, edges: [["key", "att/key"], ["key", "att/value"], ["query", "att/query"]] });
    const key = randomTensor([1, 4, 3], random), query = randomTensor([1, 2, 5], random);
    const before = net.apply({ key, query }) as Tensor;
    saveNet(net, join(dir, "graph.safetensors"));
    expectClose(loadNet<typeof net>(join(dir, "graph.safetensors")).apply({ key, query }) as Tensor, before.data, 0, 0);
    const lstm = netChain([sequenceInputLayer(3), lstmLayer(4, { outputMode: "last" }), fullyConnectedLayer(2), softmaxLayer()]).initialize({ seed: 1 });
    saveNet(lstm, join(dir, "lstm.safetensors"));
    const x = randomTensor([6, 3], random);
    expect([...(loadNet<typeof lstm>(join(dir, "lstm.safetensors")).predict(x) as Tensor).data]).toEqual([...(lstm.predict(x) as Tensor).data]);
  });

  it("truncated or corrupt files give a clear error, never a half-loaded net", () => {
    const path = join(dir, "net2.safetensors");
    saveNet(trained(), path);
    const bytes = readFileSync(path);
    for (const cut of [4, 20, bytes.length - 7]) {
      writeFileSync(join(dir, "cut.safetensors"), bytes.subarray(0, cut));
      expect(() => loadNet(join(dir, "cut.safetensors"))).toThrow(/^loadNet .*cut\.safetensors: not a valid net file: safetensors:/);
    }
    const noConfig = Buffer.from(bytes);
    const headerEnd = 8 + Number(noConfig.readBigUInt64LE(0));
    noConfig.write(" ".repeat(8), headerEnd - 40 > 8 ? noConfig.indexOf("config") : 8, "utf8");
    writeFileSync(join(dir, "bad.safetensors"), noConfig);
    expect(() => loadNet(join(dir, "bad.safetensors"))).toThrow(/^loadNet .*bad\.safetensors: /);
    expect(() => loadNet(join(dir, "missing.safetensors"))).toThrow(/^loadNet .*missing\.safetensors: cannot read the file: no such file/);
  });
});
