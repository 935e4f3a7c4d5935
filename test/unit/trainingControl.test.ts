// trainNet's stopping rules: onProgress "stop", validationPatience, outputNetwork "best-validation",
// and the crossentropy-needs-probabilities check.
import { describe, expect, it, vi } from "vitest";
import {
  evaluate, fullyConnectedLayer, globalAveragePooling1dLayer, netChain, Random, selfAttentionLayer, sequenceInputLayer, softmaxLayer, trainNet,
  type ProgressInfo,
} from "../../src/index.js";
import { trainNet as trainNodeNet } from "../../src/node/index.js";
import { randomTensor } from "../helpers/numeric.js";

const random = new Random(7);
const x = Array.from({ length: 32 }, (_, i) => randomTensor([2 + (i % 4), 3], random));
const y = x.map((s) => (s.data[0] > 0 ? 1 : 0));
const net = (withSoftmax = true) => netChain([
  sequenceInputLayer(3), selfAttentionLayer(1, 4), globalAveragePooling1dLayer(), fullyConnectedLayer(2), ...(withSoftmax ? [softmaxLayer()] : []),
]);
const quick = { miniBatchSize: 8, learnRate: 0.02, verbose: false } as const;

describe("trainNet stopping", () => {
  it("ends after the epoch whose onProgress returns \"stop\"", () => {
    const seen: number[] = [];
    const { history } = trainNet(net(), { x, y }, { ...quick, maxEpochs: 10, onProgress: (p: ProgressInfo) => { seen.push(p.epoch); return p.epoch === 3 ? "stop" : undefined; } });
    expect(seen).toEqual([1, 2, 3]);
    expect(history.epoch).toEqual([1, 2, 3]);
    expect(history.stoppedBy).toBe("stop-requested");
  });

  it("stops when the validation loss has not improved for validationPatience evaluations, and can restore the best weights", () => {
    // validation labels are the opposite of the training labels: fitting the training set makes the validation loss rise
    const validationData = { x, y: y.map((c) => 1 - c) };
    const patience = 2;
    const { net: trained, history } = trainNet(net(), { x, y }, { ...quick, maxEpochs: 30, validationData, validationPatience: patience, outputNetwork: "best-validation" });
    const best = history.validationLoss.indexOf(Math.min(...history.validationLoss)) + 1;
    expect(history.stoppedBy).toBe("validation-patience");
    expect(history.epoch.length).toBe(best + patience);
    expect(history.outputEpoch).toBe(best);
    expect(history.validationLoss.at(-1)!).toBeGreaterThan(history.validationLoss[best - 1]);
    expect(evaluate(trained, validationData).loss).toBeCloseTo(history.validationLoss[best - 1], 5);
  });

  it("keeps the last weights by default", () => {
    const validationData = { x, y: y.map((c) => 1 - c) };
    const { net: trained, history } = trainNet(net(), { x, y }, { ...quick, maxEpochs: 4, validationData });
    expect(history.stoppedBy).toBe("max-epochs");
    expect(history.outputEpoch).toBe(4);
    expect(evaluate(trained, validationData).loss).toBeCloseTo(history.validationLoss[3], 5);
  });

  it("rejects validation rules without validation data, and bad values", () => {
    expect(() => trainNet(net(), { x, y }, { ...quick, outputNetwork: "best-validation" })).toThrow(/trainNet: outputNetwork "best-validation" needs validationData/);
    expect(() => trainNet(net(), { x, y }, { ...quick, validationPatience: 3 })).toThrow(/trainNet: validationPatience needs validationData/);
    expect(() => trainNet(net(), { x, y }, { ...quick, validationData: { x, y }, validationPatience: 0 })).toThrow(/validationPatience must be a positive integer or Infinity, got 0/);
  });

  it("explains that crossentropy needs a softmax output", () => {
    expect(() => trainNet(net(false), { x, y }, { ...quick, maxEpochs: 1 }))
      .toThrow(/trainNet: loss "crossentropy" needs probabilities .* end the net with softmaxLayer\(\) \(its last node is "4", fullyConnectedLayer\), or use loss "crossentropy-logits" \(for logits\) or "mse"/);
  });
});

describe("where progress goes", () => {
  const capture = (f: () => void) => {
    const written: string[] = [];
    const spies = [vi.spyOn(process.stderr, "write"), vi.spyOn(process.stdout, "write")].map((s) => s.mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; }));
    try { f(); } finally { spies.forEach((s) => s.mockRestore()); }
    return written.join("");
  };

  it("the main entry's trainNet writes nothing by default, and feeds a given sink", () => {
    const seen: string[] = [];
    expect(capture(() => trainNet(net(), { x, y }, { maxEpochs: 2, miniBatchSize: 16 }))).toBe("");
    trainNet(net(), { x, y }, { maxEpochs: 2, miniBatchSize: 16, progressSink: { iteration: (i) => seen.push(`i${i.epoch}.${i.iteration}`), epoch: (i) => seen.push(`e${i.epoch}`) } });
    expect(seen).toEqual(["i1.1", "i1.2", "e1", "i2.1", "i2.2", "e2"]);
  });

  it("the Node entry's trainNet reports on process.stderr by default (one line per epoch off a terminal)", () => {
    const out = capture(() => trainNodeNet(net(), { x, y }, { maxEpochs: 2, miniBatchSize: 16 }));
    expect(out).toMatch(/^epoch 1\/2 {2}loss \d\.\d{4} {2}accuracy \d+\.\d% {2}0:0\d\nepoch 2\/2 /);
    expect(capture(() => trainNodeNet(net(), { x, y }, { maxEpochs: 2, miniBatchSize: 16, verbose: false }))).toBe("");
  });

  it("verbose: false silences the default display only: a sink given explicitly still receives progress (both entries)", () => {
    for (const train of [trainNet, trainNodeNet]) {
      const seen: string[] = [];
      const sink = { iteration: (i: { epoch: number; iteration: number }) => seen.push(`i${i.epoch}.${i.iteration}`), epoch: (i: { epoch: number }) => seen.push(`e${i.epoch}`) };
      expect(capture(() => train(net(), { x, y }, { maxEpochs: 2, miniBatchSize: 16, verbose: false, progressSink: sink }))).toBe("");
      expect(seen).toEqual(["i1.1", "i1.2", "e1", "i2.1", "i2.2", "e2"]);
    }
  });
});
