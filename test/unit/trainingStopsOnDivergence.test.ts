// Divergent training stops with a clear error naming the epoch and iteration, and the net keeps the weights of
// the last good iteration; crossentropy's clamp does not hide a NaN probability.
import { describe, expect, it } from "vitest";
import { crossentropy, fullyConnectedLayer, globalAveragePooling1dLayer, netChain, sequenceInputLayer, softmaxLayer, tensor, trainNet, Random } from "../../src/index.js";
import { classificationData, smallClassifier } from "../helpers/smallClassifier.js";

const random = new Random(5);
const net = smallClassifier;
const data = () => classificationData(random);

describe("training stops on divergence", () => {
  it("crossentropy's clamp does not hide a NaN probability", () => {
    expect(crossentropy(tensor([[0.5, 0.5], [NaN, NaN]]), [1, 0]).item()).toBeNaN();
    expect(crossentropy(tensor([[0.5, 0.5]]), [1]).item()).toBeCloseTo(Math.log(2), 6);
    // a NaN at a padded step of a sequence-to-sequence batch is not counted (test/crossentropy.test.ts has the details)
    expect(Number.isFinite(crossentropy(tensor([[[0.5, 0.5], [NaN, NaN]]]), [[1, 0]], [1]).item())).toBe(true);
  });

  it("sgdm at learnRate 1e6 stops naming the epoch and iteration, and the net keeps finite weights", () => {
    const n = net();
    let message = "";
    try {
      trainNet(n, data(), { solver: "sgdm", learnRate: 1e6, momentum: 0.9, maxEpochs: 50, miniBatchSize: 4, verbose: false });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^trainNet: the (loss became (NaN|Infinity|-Infinity)|weights became non-finite \(.* in ".*"\)) at epoch \d+, iteration \d+; the net keeps the last finite weights/);
    for (const [name, t] of Object.entries(n.parameters)) expect(t.data.every(Number.isFinite), name).toBe(true);
  });

  it("a step that makes the weights non-finite is undone: the net holds the weights of the last good iteration, bit for bit", () => {
    // sgdm at learnRate 1e38 on a tiny classifier: the weights overflow after some good iterations while the loss stays finite
    const n = netChain([sequenceInputLayer(1), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer()]);
    const x = Array.from({ length: 8 }, (_, i) => tensor([[Math.sin(i)], [Math.cos(i)]]));
    const snapshot = () => Object.entries(n.parameters).map(([name, t]) => [name, Array.from(t.data)] as const);
    let afterGoodIterations: ReturnType<typeof snapshot> = [], good = 0;
    const run = () => trainNet(n, { x, y: x.map((_, i) => i % 2) }, {
      solver: "sgdm", momentum: 0.9, gradientThreshold: 1, learnRate: 1e38, maxEpochs: 50, miniBatchSize: 2,
      progressSink: { iteration: () => { afterGoodIterations = snapshot(); good++; } },
    });
    expect(run).toThrow(/^trainNet: the weights became non-finite \((NaN|Infinity|-Infinity) in ".*"\) at epoch \d+, iteration \d+/);
    expect(good).toBeGreaterThan(1);
    expect(snapshot()).toEqual(afterGoodIterations);
  });

});
