// trainNet and evaluate on nets whose inputs feed an embeddingLayer ([T, 1] id columns, or plain id arrays [T]):
// each example keeps its own length in a padded mini-batch, so padded steps are neither data nor loss terms.
// Oracle: the mean over every valid step of −log softmax(logits)[target], each example's logits from predict
// on that example alone, summed in float64.
import { describe, expect, it } from "vitest";
import {
  concatenationLayer, embeddingLayer, evaluate, fullyConnectedLayer, gruLayer, netChain, netGraph, sequenceAttentionLayer,
  Tensor, trainNet,
} from "../../src/index.js";

const column = (ids: readonly number[]): number[][] => ids.map((i) => [i]);

/** Mean cross-entropy over all steps, each example's logits computed alone. */
function meanLoss(logits: Tensor[], targets: readonly number[][]): number {
  let sum = 0, steps = 0;
  logits.forEach((z, b) => {
    const [T, K] = z.shape.slice(-2);
    for (let t = 0; t < T; t++, steps++) {
      const row = Array.from(z.data.subarray(t * K, (t + 1) * K));
      const m = Math.max(...row);
      sum += m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - row[targets[b][t]];
    }
  });
  return sum / steps;
}

describe("trainNet / evaluate with embedding inputs of different lengths", () => {
  it("a one-input net: each sequence's loss as if alone", () => {
    const V = 5;
    const net = netChain([embeddingLayer(6, V), gruLayer(8), fullyConnectedLayer(V)]).initialize({ seed: 2, inputSize: 1 });
    const ids = [[1, 2, 3, 4], [0, 1], [4, 3, 2]];
    const x = ids.map(column), y = ids.map((s) => s.map((i) => (i + 1) % V));
    const expected = meanLoss(x.map((s) => net.predict(new Tensor(Float32Array.from(s.flat()), [s.length, 1])) as Tensor), y);
    expect(evaluate(net, { x, y }, "crossentropy-logits").loss).toBeCloseTo(expected, 5);
    // plain id arrays, as generate and the decoder take them, are the same [T, 1] columns
    expect(evaluate(net, { x: ids, y }, "crossentropy-logits").loss).toBeCloseTo(expected, 5);
  });

  // targets of one length behind sources of several (the dates example's shape): the old batches let the
  // encoder read the short sources' padding, silently; targets of several lengths: the loss read past them
  it.each([
    ["targets of different lengths", (s: number[]) => [...s].reverse()],
    ["targets of one length", (s: number[]) => [s[0], s[s.length - 1]]],
  ])("a seq2seq net, %s: the encoder and the decoder each keep their own lengths", (_, target) => {
    const V = 6, START = 5;
    const net = netGraph({
      inputs: ["source", "previous"],
      nodes: {
        sourceEmbedding: embeddingLayer(4, V), encoder: gruLayer(4, { bidirectional: true }),
        previousEmbedding: embeddingLayer(4, V), decoder: gruLayer(8),
        attention: sequenceAttentionLayer("Dot"), join: concatenationLayer(1, 2), logits: fullyConnectedLayer(V),
      },
      edges: [
        ["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "previousEmbedding"], ["previousEmbedding", "decoder"],
        ["encoder", "attention/input"], ["decoder", "attention/query"], ["decoder", "join/in1"], ["attention", "join/in2"], ["join", "logits"],
      ],
    }).initialize({ seed: 1, sourceSize: 1, previousSize: 1 });
    const sources = [[1, 2, 3, 4], [2, 0], [4, 4, 1]];
    const x = sources.map((s) => ({ source: column(s), previous: column([START, ...target(s)]) }));
    const y = sources.map((s) => [...target(s), 0]);
    const alone = x.map((e) => net.predict({ source: tensorOf(e.source), previous: tensorOf(e.previous) }) as Tensor);
    const expected = meanLoss(alone, y);
    expect(evaluate(net, { x, y }, "crossentropy-logits").loss).toBeCloseTo(expected, 5);
    // one epoch at a vanishing learn rate reports the loss of trainNet's own batches
    const { history } = trainNet(net, { x, y }, { loss: "crossentropy-logits", maxEpochs: 1, miniBatchSize: 3, learnRate: 1e-30, l2Regularization: 0, verbose: false });
    expect(history.loss[0]).toBeCloseTo(expected, 5);
    const ids = sources.map((s) => ({ source: s, previous: [START, ...target(s)] }));
    expect(evaluate(net, { x: ids, y }, "crossentropy-logits").loss).toBeCloseTo(expected, 5);
  });
});

function tensorOf(column: number[][]): Tensor {
  return new Tensor(Float32Array.from(column.flat()), [1, column.length, 1]);
}
