// trainNet, evaluate, predict and classify on multi-input nets: examples as a list of records by input port or a
// record of lists, batched per port (each port padded with its own lengths), per-step targets counted over the
// steps of the output's port (the decoder's), and teacher forcing (the decoder reads the targets shifted by one).
import { describe, expect, it } from "vitest";
import {
  argmaxRows, attentionLayer, classify, concatenationLayer, evaluate, fullyConnectedLayer, lstmLayer, netGraph, predict,
  Random, sequenceInputLayer, softmaxLayer, Tensor, trainNet,
} from "../../src/index.js";

const V = 4; // symbols 0..V-1; the decoder's extra symbol V is the start token
const oneHot = (symbols: readonly number[], size: number): number[][] => symbols.map((s) => Array.from({ length: size }, (_, k) => (k === s ? 1 : 0)));

/** An encoder-decoder net: LSTM encoder, LSTM decoder, dot attention of the decoder over the encoder, logits per decoder step. */
const seq2seq = (seed = 3) => netGraph({
  inputs: ["in", "dec"],
  nodes: {
    encIn: sequenceInputLayer(V), decIn: sequenceInputLayer(V + 1), encoder: lstmLayer(12), decoder: lstmLayer(12),
    att: attentionLayer("Dot"), cat: concatenationLayer(1, 2), fc: fullyConnectedLayer(V),
  },
  edges: [
    ["in", "encIn"], ["dec", "decIn"], ["encIn", "encoder"], ["decIn", "decoder"], ["encoder", "att/key"], ["encoder", "att/value"],
    ["decoder", "att/query"], ["decoder", "cat/in1"], ["att", "cat/in2"], ["cat", "fc"],
  ],
}).initialize({ seed });

/**
 * The copy task with teacher forcing: the target sequence is the source; the decoder reads the targets
 * shifted right by one step behind a start token, [start, y₁ … y_{n−1}], and is trained to give y₁ … y_n.
 */
function copyTask(n: number, seed: number) {
  const random = new Random(seed);
  const sources = Array.from({ length: n }, () => Array.from({ length: 2 + Math.floor(random.uniform() * 4) }, () => Math.floor(random.uniform() * V)));
  const decoderInputs = sources.map((y) => oneHot([V, ...y.slice(0, -1)], V + 1));
  return { x: sources.map((s, i) => ({ in: oneHot(s, V), dec: decoderInputs[i] })), y: sources };
}

/** Mean over every valid step of −log softmax(z)_c, each example run alone (float64). */
function lossAlone(net: ReturnType<typeof seq2seq>, x: { in: number[][]; dec: number[][] }[], y: number[][]): number {
  let total = 0, steps = 0;
  x.forEach((example, i) => {
    const z = net.predict({ in: new Tensor(Float32Array.from(example.in.flat()), [example.in.length, V]), dec: new Tensor(Float32Array.from(example.dec.flat()), [example.dec.length, V + 1]) }) as Tensor;
    y[i].forEach((c, t) => {
      const row = Array.from(z.data.subarray(t * V, (t + 1) * V));
      const m = Math.max(...row);
      total += m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - row[c];
      steps++;
    });
  });
  return total / steps;
}

describe("multi-input training", () => {
  it("evaluate batches each port with its own lengths: its loss is the per-example loss over the decoder's valid steps", () => {
    const net = seq2seq();
    const data = copyTask(10, 1);
    // one batch whose encoder and decoder lengths vary (padding on both ports); evaluate averages several
    // batches' losses by their example counts, so one batch gives the mean over every valid step
    expect(new Set(data.y.map((y) => y.length)).size).toBeGreaterThan(2);
    expect(evaluate(net, data, "crossentropy-logits", 16).loss).toBeCloseTo(lossAlone(net, data.x, data.y), 5);
  });

  it("trains a sequence-to-sequence net with teacher forcing (targets shifted by one as the decoder input)", () => {
    const net = seq2seq();
    const data = copyTask(96, 2);
    const before = evaluate(net, data, "crossentropy-logits").loss;
    const { history } = trainNet(net, data, { loss: "crossentropy-logits", maxEpochs: 25, miniBatchSize: 16, learnRate: 0.02, verbose: false });
    expect(history.loss.at(-1)!).toBeLessThan(0.6 * before);
    expect(history.accuracy.at(-1)!).toBeGreaterThan(0.6); // chance is 0.25 per step
    // the history's last figures are those of the trained net, per valid decoder step
    expect(evaluate(net, data, "crossentropy-logits").loss).toBeCloseTo(lossAlone(net, data.x, data.y), 5);
  });

  it("a record of lists trains exactly as the list of records", () => {
    const data = copyTask(12, 3);
    const options = { loss: "crossentropy-logits" as const, maxEpochs: 2, miniBatchSize: 5, verbose: false };
    const a = trainNet(seq2seq(), data, options);
    const b = trainNet(seq2seq(), { x: { in: data.x.map((e) => e.in), dec: data.x.map((e) => e.dec) }, y: data.y }, options);
    expect(b.history.loss).toEqual(a.history.loss);
    for (const [name, t] of Object.entries(a.net.parameters)) expect(b.net.parameters[name].data).toEqual(t.data);
  });

  it("validation data and a softmax output (loss crossentropy) take the same forms", () => {
    const net = netGraph({
      inputs: ["in", "dec"],
      nodes: { ...seq2seq().nodes, sm: softmaxLayer() },
      edges: [...seq2seq().edges, ["fc", "sm"]],
    });
    const train = copyTask(8, 4), validation = copyTask(6, 5);
    const { history } = trainNet(net, train, { maxEpochs: 2, miniBatchSize: 4, verbose: false, validationData: { x: { in: validation.x.map((e) => e.in), dec: validation.x.map((e) => e.dec) }, y: validation.y } });
    expect(history.validationLoss.at(-1)).toBeCloseTo(evaluate(net, validation, "crossentropy", 4).loss, 6);
  });

  it("refuses data that does not fit the ports, naming the example and the port, before any step", () => {
    const data = copyTask(4, 6);
    const net = seq2seq();
    const weights = Object.values(net.parameters).map((t) => t.data.slice());
    const train = (x: unknown, y: unknown = data.y) => () => trainNet(net, { x, y } as never, { loss: "crossentropy-logits", verbose: false });
    expect(train(data.x.map((e) => e.in))).toThrow(/^trainNet: netGraph has inputs in, dec; x must be a list of records \{ in, dec \} or a record of lists/);
    expect(train([data.x[0], { in: data.x[1].in }, data.x[2], data.x[3]])).toThrow(/^trainNet: netGraph: missing input "dec" in x\[1\]/);
    expect(train([data.x[0], { ...data.x[1], extra: [[1]] }, data.x[2], data.x[3]])).toThrow(/^trainNet: netGraph: unknown input port "extra" in x\[1\]/);
    expect(train({ in: data.x.map((e) => e.in), dec: data.x.slice(1).map((e) => e.dec) })).toThrow(/^trainNet: the lists of x differ in length \(in: 4, dec: 3\)/);
    const nan = data.x.map((e) => ({ ...e, dec: e.dec.map((r) => [...r]) }));
    nan[2].dec[1][3] = NaN;
    expect(train(nan)).toThrow(/^trainNet: x\[2\]\.dec holds NaN at step 1, channel 3; training data must be finite/);
    const narrow = data.x.map((e) => ({ ...e, dec: e.dec.map((r) => r.slice(1)) }));
    expect(train(narrow)).toThrow(/^trainNet: x\[0\]\.dec has 4 channels but the net's input layer \(.*\) takes 5/);
    // per-step targets count the decoder's steps (its port's lengths), not the encoder's
    const short = data.y.map((y, i) => (i === 1 ? y.slice(1) : y));
    expect(train(data.x, short)).toThrow(new RegExp(`^trainNet: y\\[1\\] has ${data.y[1].length - 1} class indices for a sequence of ${data.y[1].length} steps`));
    Object.values(net.parameters).forEach((t, i) => expect(t.data).toEqual(weights[i]));
  });
});

describe("predict and classify on multi-input nets", () => {
  const data = copyTask(5, 7);
  const recordOfLists = { in: data.x.map((e) => e.in), dec: data.x.map((e) => e.dec) };

  it("predict takes a list of records or a record of lists, each example as if alone", () => {
    const net = seq2seq();
    const alone = data.x.map((e) => net.predict(e));
    expect(predict(net, data.x)).toEqual(alone);
    expect(predict(net, recordOfLists)).toEqual(alone);
  });

  it("classify gives the argmax per example of a per-sequence multi-input net", () => {
    const net = netGraph({
      inputs: ["in", "dec"],
      nodes: { encIn: sequenceInputLayer(V), decIn: sequenceInputLayer(V + 1), a: lstmLayer(5, { outputMode: "last" }), b: lstmLayer(5, { outputMode: "last" }), cat: concatenationLayer(1, 2), fc: fullyConnectedLayer(3) },
      edges: [["in", "encIn"], ["dec", "decIn"], ["encIn", "a"], ["decIn", "b"], ["a", "cat/in1"], ["b", "cat/in2"], ["cat", "fc"]],
    }).initialize({ seed: 9 });
    const expected = data.x.map((e) => argmaxRows(new Tensor(Float32Array.from(net.predict(e) as number[]), [3]))[0]);
    expect(classify(net, data.x)).toEqual(expected);
    expect(classify(net, recordOfLists)).toEqual(expected);
  });
});
