// Sequence-to-sequence classification (a class per time step): accuracy counts valid steps, in training and
// in evaluate; classify, which gives one class per sequence, refuses per-step outputs instead of answering
// from the first step.
import { describe, expect, it } from "vitest";
import { argmaxRows, classify, evaluate, fullyConnectedLayer, lstmLayer, netChain, predict, Random, sequenceInputLayer, softmaxLayer, Tensor, trainNet } from "../../src/index.js";
import { randomTensor } from "../helpers/numeric.js";

const random = new Random(61);
const sequences = [5, 2, 7, 1, 4, 3].map((T) => randomTensor([T, 3], random));
const perStepNet = () => netChain([sequenceInputLayer(3), lstmLayer(6), fullyConnectedLayer(3), softmaxLayer()]).initialize({ seed: 2 });
// labels per step from the first channel's sign (learnable), with a different label on odd steps
const labels = sequences.map((s) => Array.from({ length: s.shape[0] }, (_, t) => (s.data[t * 3] > 0 ? 1 : t % 2 === 0 ? 0 : 2)));

describe("per-step classification", () => {
  it("evaluate's accuracy is the share of valid steps whose argmax is the label", () => {
    const net = perStepNet();
    const outs = predict(net, sequences) as Tensor[];
    let correct = 0, steps = 0;
    outs.forEach((o, i) => argmaxRows(o).forEach((c, t) => { steps++; if (c === labels[i][t]) correct++; }));
    const { accuracy } = evaluate(net, { x: sequences, y: labels }, "crossentropy", 4); // batches of 4: padding in play
    expect(accuracy).toBeCloseTo(correct / steps, 12);
    // labels equal to the net's own argmax: accuracy 1
    const own = outs.map((o) => argmaxRows(o));
    expect(evaluate(net, { x: sequences, y: own }).accuracy).toBe(1);
  });

  it("trainNet's history has the training accuracy per epoch (it was NaN), counted over valid steps as evaluate does", () => {
    const { history } = trainNet(perStepNet(), { x: sequences, y: labels }, { verbose: false, maxEpochs: 3, miniBatchSize: 4 });
    expect(history.accuracy).toHaveLength(3);
    for (const a of history.accuracy) { expect(a).toBeGreaterThanOrEqual(0); expect(a).toBeLessThanOrEqual(1); }
    // at a learning rate of 1e-30 the steps are below float32's resolution of these weights (zero biases move
    // to ~1e-30, far from any argmax tie): the epoch's accuracy is evaluate's on the same net
    const net = perStepNet();
    const still = trainNet(net, { x: sequences, y: labels }, { verbose: false, maxEpochs: 1, miniBatchSize: 4, learnRate: 1e-30, l2Regularization: 0 });
    expect(still.history.accuracy[0]).toBeCloseTo(evaluate(net, { x: sequences, y: labels }).accuracy!, 12);
  });

  it("classify refuses per-step outputs, naming the net and the shape, for tensors and nested arrays", () => {
    const net = perStepNet();
    expect(() => classify(net, sequences)).toThrow(/^classify: .* gives class scores per time step \(\[5, 3\] for sequence 1\), not per sequence; use predict/);
    expect(() => classify(net, sequences.map((s) => s.toArray() as number[][]))).toThrow(/per time step \(\[5, 3\] for sequence 1\)/);
  });
});
