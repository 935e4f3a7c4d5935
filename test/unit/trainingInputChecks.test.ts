// trainNet checks its data and options before the first step: non-finite data is refused naming the sequence
// by its index in x / y, targets are checked against their sequences, every option for its type and range.
import { describe, expect, it } from "vitest";
import { crossentropy, fullyConnectedLayer, netChain, Random, selfAttentionLayer, sequenceInputLayer, softmaxLayer, tensor, trainNet } from "../../src/index.js";
import { classificationData, smallClassifier } from "../helpers/smallClassifier.js";

const random = new Random(5);
const net = smallClassifier;
const data = () => classificationData(random);

describe("trainNet refuses bad data and options", () => {
  it("refuses non-finite training data, naming the sequence by its index in x and y", () => {
    const d = data();
    const bad = d.x.slice();
    bad[7] = tensor([[1, 2, 3], [4, NaN, 6]]);
    expect(() => trainNet(net(), { x: bad, y: d.y }, { verbose: false })).toThrow(/^trainNet: x\[7\] holds NaN at step 1, channel 1; training data must be finite/);
    bad[7] = tensor([[1, 2, Infinity]]);
    expect(() => trainNet(net(), { x: bad, y: d.y }, { verbose: false })).toThrow(/^trainNet: x\[7\] holds Infinity/);
    expect(() => trainNet(net(), { x: d.x, y: d.y.map((c, i) => (i === 4 ? NaN : c)) }, { verbose: false })).toThrow(/^trainNet: y\[4\] must be a finite number, got NaN/);
    expect(() => trainNet(net(), { x: d.x, y: d.y.map((c, i) => (i === 9 ? 2 : c)) }, { verbose: false, miniBatchSize: 4 })).toThrow(/^trainNet: y\[9\] = 2 is not a class index in \[0, 2\)/);
    expect(() => trainNet(net(), { x: d.x, y: d.y.map((c, i) => (i === 3 ? 0.5 : c)) }, { verbose: false })).toThrow(/^trainNet: y\[3\] = 0.5 is not a class index/);
    expect(() => trainNet(net(), { x: [...d.x.slice(0, 11), tensor([[1, 2, 3]]).data.subarray(0, 0)], y: d.y } as never, { verbose: false })).toThrow(/^trainNet: x\[11\] must be a sequence \[T, C\] with T, C ≥ 1/);
    expect(() => trainNet(net(), d, { verbose: false, validationData: { x: [tensor([[NaN, 0, 0]])], y: [0] } })).toThrow(/^trainNet: validationData\.x\[0\] holds NaN/);
  });

  it("targets are checked once, before the first step: the first bad one by its index in y, against its sequence's length", () => {
    const d = data(); // x[i] has 2 + i % 3 steps
    const n = net();
    n.initialize({ seed: 1 });
    const weights = () => Object.values(n.parameters).map((t) => Array.from(t.data));
    const initial = weights();
    for (let bad = 0; bad < d.x.length; bad++) {
      expect(() => trainNet(n, { x: d.x, y: d.y.map((c, i) => (i === bad ? 3 : c)) }, { verbose: false, miniBatchSize: 4 })).toThrow(`trainNet: y[${bad}] = 3 is not a class index in [0, 2)`);
      expect(weights(), `y[${bad}]`).toEqual(initial); // no mini-batch was trained on before the refusal
    }
    expect(() => trainNet(n, { x: d.x, y: d.y.map((c, i) => (i === 11 ? 5 : i === 2 ? 3 : c)) }, { verbose: false })).toThrow(/^trainNet: y\[2\] = 3 is not/);
    const perStep = netChain([sequenceInputLayer(3), fullyConnectedLayer(2), softmaxLayer()]);
    const steps = d.x.map((s) => new Array<number>(s.shape[0]).fill(1));
    const withStep4 = (t: number[]) => steps.map((s, i) => (i === 4 ? t : s));
    expect(() => trainNet(perStep, { x: d.x, y: withStep4([0, 1]) }, { verbose: false })).toThrow(/^trainNet: y\[4\] has 2 class indices for a sequence of 3 steps/);
    expect(() => trainNet(perStep, { x: d.x, y: withStep4([0, 1, 2]) }, { verbose: false })).toThrow(/^trainNet: y\[4\] = 2 is not a class index in \[0, 2\)/);
    expect(trainNet(perStep, { x: d.x, y: withStep4([0, 1, 0, 2]) }, { verbose: false, maxEpochs: 1 }).history.epoch).toEqual([1]); // steps past the sequence's end are not targets
    // validation targets too, before any step (they were first seen by crossentropy after a whole epoch)
    expect(() => trainNet(n, d, { verbose: false, validationData: { x: d.x.slice(0, 3), y: [0, 1, 7] } })).toThrow(/^trainNet: validationData\.y\[2\] = 7 is not a class index in \[0, 2\)/);
    expect(weights()).toEqual(initial);
    const regression = d.x.map(() => tensor([0.5, 0.5]));
    expect(() => trainNet(net(), { x: d.x, y: regression.map((t, i) => (i === 6 ? tensor([1, 2, 3]) : t)) }, { verbose: false, loss: "mse" }))
      .toThrow(/^trainNet: y\[6\] has shape \[3\] but the net's output has 2 values per sequence \(or per step: \[2, 2\]\)/);
  });

  it("every option is checked for its type and range (nothing coerced, no silent fallback)", () => {
    const d = data();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ learnRate: "0.01" }, /^trainNet: learnRate must be a finite number > 0, got "0.01"/],
      [{ learnRate: 0 }, /learnRate must be a finite number > 0, got 0/],
      [{ seed: "abc" }, /^trainNet: seed must be an integer in \[0, 4294967295\], got "abc"/],
      [{ momentum: 1.5 }, /^trainNet: momentum must be in \[0, 1\) \(a number\), got 1.5/],
      [{ momentum: "0.9" }, /momentum must be in \[0, 1\) \(a number\), got "0.9"/],
      [{ gradientDecayFactor: 1 }, /gradientDecayFactor must be in \[0, 1\)/],
      [{ squaredGradientDecayFactor: -0.1 }, /squaredGradientDecayFactor must be in \[0, 1\)/],
      [{ epsilon: 0 }, /epsilon must be a finite number > 0, got 0/],
      [{ epsilon: NaN }, /epsilon must be a finite number > 0, got NaN/],
      [{ learnRateDropFactor: 2 }, /learnRateDropFactor must be in \[0, 1\] \(a number\), got 2/],
      [{ gradientThresholdMethod: "l1norm" }, /gradientThresholdMethod must be "l2norm", "global-l2norm" or "absolute-value", got "l1norm"/],
      [{ learnRateSchedule: "cosine" }, /learnRateSchedule must be "none" or "piecewise", got "cosine"/],
      [{ sequenceOrder: "shortest" }, /sequenceOrder must be "none" or "sort", got "shortest"/],
      [{ maxEpochs: 2.5 }, /maxEpochs must be a positive integer, got 2.5/],
      [{ miniBatchSize: "3" }, /miniBatchSize must be a positive integer, got "3"/],
      [{ verbose: "false" }, /verbose must be true or false, got "false"/],
      [{ gradientThreshold: -1 }, /gradientThreshold must be a finite number > 0 or Infinity, got -1/],
      [{ onProgress: 5 }, /onProgress must be a function, got 5/],
    ];
    for (const [options, message] of cases) expect(() => trainNet(net(), d, { verbose: false, ...options } as never), JSON.stringify(options)).toThrow(message);
    expect(() => trainNet(net(), d, null as never)).toThrow(/^trainNet: options must be an object, got null/);
    expect(() => trainNet(selfAttentionLayer(1, 2) as never, d)).toThrow(/^trainNet: net must be a netChain or netGraph, got a single selfAttentionLayer/);
    expect(() => trainNet(net(), { x: "abc", y: [] } as never)).toThrow(/^trainNet: training data must be \{ x: sequences, y: targets \}/);
    expect(() => trainNet(net(), { x: [[[1, "2", 3]]], y: [0] } as never, { verbose: false })).toThrow(/^trainNet: x\[0\]: expected numbers \(booleans only in masks\), got "2" at element \[0, 1\]/);
  });
});
