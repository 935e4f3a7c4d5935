// Cross-entropy on logits (loss "crossentropy-logits", crossentropyLogits): the fused, numerically stable
// log-softmax + negative log-likelihood, per sequence and per step (padded steps masked by length), and
// trainNet / evaluate / classify on nets that end in a fullyConnectedLayer.
import { describe, expect, it } from "vitest";
import {
  classify, crossentropy, crossentropyLogits, evaluate, fullyConnectedLayer, lstmLayer, netChain, ops, predict, Random,
  sequenceInputLayer, softmaxLayer, Tensor, trainNet, valueAndGrad,
} from "../../src/index.js";
import { checkGradients, expectClose, randomTensor } from "../helpers/numeric.js";

/** −log softmax(z)_c averaged over the counted rows, and its gradient (softmax − onehot)/rows, in float64. */
function oracle(z: Float32Array, K: number, rows: number[], classes: number[]): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(z.length);
  let loss = 0;
  rows.forEach((row, r) => {
    const line = Array.from(z.subarray(row * K, (row + 1) * K));
    const m = Math.max(...line);
    const lse = m + Math.log(line.reduce((s, v) => s + Math.exp(v - m), 0));
    loss += (lse - line[classes[r]]) / rows.length;
    line.forEach((v, k) => (grad[row * K + k] = (Math.exp(v - lse) - (k === classes[r] ? 1 : 0)) / rows.length));
  });
  return { loss, grad };
}

describe("crossentropyLogits", () => {
  const random = new Random(12);

  it("per sequence [B, K]: the loss and gradient of the definition, and finite differences agree", () => {
    const z = randomTensor([4, 5], random, 2), y = [0, 3, 4, 1];
    const { value, grads } = valueAndGrad(() => crossentropyLogits(z, y), [z]);
    const o = oracle(z.data, 5, [0, 1, 2, 3], y);
    expect(value).toBeCloseTo(o.loss, 6);
    expectClose(grads[0], o.grad, 1e-5, 1e-7);
    checkGradients(() => crossentropyLogits(z, y), [z], { eps: 1e-2, rtol: 1e-2, atol: 1e-4 });
  });

  it("equals crossentropy(softmax(z)) for moderate logits, in value and gradient", () => {
    const z = randomTensor([2, 3, 4], random, 3), y = [[1, 0, 3], [2, 2, 0]], lengths = [3, 2];
    const fused = valueAndGrad(() => crossentropyLogits(z, y, lengths), [z]);
    const composed = valueAndGrad(() => crossentropy(ops.softmax(z), y, lengths), [z]);
    expect(fused.value).toBeCloseTo(composed.value, 5);
    expectClose(fused.grads[0], composed.grads[0].data, 1e-4, 1e-6);
  });

  it("is stable for logits of ±1e4: finite loss and gradient, the values of the definition", () => {
    const z = new Tensor(Float32Array.of(1e4, -1e4, 0, -1e4, 1e4, 1e4), [2, 3]), y = [1, 2];
    const { value, grads } = valueAndGrad(() => crossentropyLogits(z, y), [z]);
    const o = oracle(z.data, 3, [0, 1], y);
    expect(Number.isFinite(value) && grads[0].data.every(Number.isFinite)).toBe(true);
    expect(value).toBeCloseTo(o.loss, 2); // (2e4 + log 2) / 2
    expectClose(grads[0], o.grad, 1e-6, 1e-7);
    // the composed form overflows to the clamp there: exp(−2e4) is 0 in float32 and −log 1e-12 ≈ 27.6, not 1e4
    expect(crossentropy(ops.softmax(z), y).item()).toBeLessThan(30);
  });

  it("per step [B, T, K]: padded steps and fully padded rows add 0 and get a gradient of exactly 0 (NaN there included)", () => {
    const z = randomTensor([3, 4, 3], random, 2);
    z.data.fill(NaN, 3 * 3, 4 * 3); // padding of row 0 (step 3)
    z.data.fill(NaN, 12, 24); // row 1: length 0, fully padded
    const y = [[0, 1, 2, 0], [1, 1, 1, 1], [2, 0, 1, 1]], lengths = [3, 0, 2];
    const { value, grads } = valueAndGrad(() => crossentropyLogits(z, y, lengths), [z]);
    const rows = [0, 1, 2, 8, 9], classes = [0, 1, 2, 2, 0];
    const o = oracle(z.data, 3, rows, classes);
    expect(value).toBeCloseTo(o.loss, 6);
    expectClose(grads[0], o.grad, 1e-5, 1e-7);
    expect(Array.from(grads[0].data.subarray(9, 24)).every((g) => g === 0)).toBe(true);
    // the same loss as the counted rows alone: a row of length 0 adds nothing
    const alone = new Tensor(Float32Array.from(rows.flatMap((r) => Array.from(z.data.subarray(r * 3, r * 3 + 3)))), [5, 3]);
    expect(value).toBeCloseTo(crossentropyLogits(alone, classes).item(), 6);
    // a NaN in a counted row gives NaN
    z.data[4] = NaN;
    expect(crossentropyLogits(z, y, lengths).item()).toBeNaN();
  });

  it("refuses bad targets naming the function", () => {
    expect(() => crossentropyLogits(new Tensor(new Float32Array(6), [2, 3]), [0, 3])).toThrow(/^crossentropyLogits: target 3 of example 2 is not a class index in \[0, 3\)/);
    expect(() => crossentropyLogits([[1, 2]] as never, [0])).toThrow(/^crossentropyLogits: logits must be a Tensor/);
  });
});

describe('trainNet with loss "crossentropy-logits"', () => {
  const random = new Random(13);
  const x = Array.from({ length: 24 }, (_, i) => randomTensor([3 + (i % 4), 2], random));
  const y = x.map((s) => (s.data[0] + s.data[1] > 0 ? 1 : 0));
  const logitsNet = () => netChain([sequenceInputLayer(2), lstmLayer(6, { outputMode: "last" }), fullyConnectedLayer(2)]).initialize({ seed: 3 });

  it("trains a net ending in fullyConnectedLayer; evaluate, accuracy and classify read logits (argmax as for probabilities)", () => {
    const net = logitsNet();
    const { history } = trainNet(net, { x, y }, { loss: "crossentropy-logits", maxEpochs: 15, miniBatchSize: 8, learnRate: 0.02, verbose: false });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]);
    const classes = classify(net, x);
    const scores = predict(net, x) as Tensor[];
    expect(classes).toEqual(scores.map((s) => (s.data[1] > s.data[0] ? 1 : 0)));
    const { loss, accuracy } = evaluate(net, { x, y }, "crossentropy-logits", 100);
    expect(accuracy).toBeCloseTo(classes.filter((c, i) => c === y[i]).length / y.length, 12);
    const z = new Tensor(Float32Array.from(scores.flatMap((s) => Array.from(s.data))), [24, 2]);
    expect(loss).toBeCloseTo(oracle(z.data, 2, [...y.keys()], y).loss, 5);
  });

  it("gives the same run as crossentropy on the softmax of the same net (moderate logits)", () => {
    const a = logitsNet();
    const b = netChain([...Object.values(logitsNet().nodes), softmaxLayer()]);
    const options = { maxEpochs: 2, miniBatchSize: 8, verbose: false } as const;
    const ha = trainNet(a, { x, y }, { ...options, loss: "crossentropy-logits" }).history;
    const hb = trainNet(b, { x, y }, { ...options, loss: "crossentropy" }).history;
    ha.loss.forEach((l, i) => expect(l).toBeCloseTo(hb.loss[i], 5));
    expect(ha.accuracy).toEqual(hb.accuracy);
  });

  it("refuses a net whose output is a softmaxLayer's, and crossentropy still refuses logits", () => {
    const soft = netChain([sequenceInputLayer(2), lstmLayer(4, { outputMode: "last" }), fullyConnectedLayer(2), softmaxLayer()]);
    expect(() => trainNet(soft, { x, y }, { loss: "crossentropy-logits", verbose: false })).toThrow(/^trainNet: loss "crossentropy-logits" takes logits, but .*'s output comes from ".*" \(softmaxLayer\); remove the softmaxLayer/);
    expect(() => trainNet(logitsNet(), { x, y }, { loss: "crossentropy", verbose: false })).toThrow(/needs probabilities/);
  });

  it("evaluate checks the loss against the output as trainNet does: logits under crossentropy, probabilities under crossentropy-logits", () => {
    const soft = netChain([sequenceInputLayer(2), lstmLayer(4, { outputMode: "last" }), fullyConnectedLayer(2), softmaxLayer()]).initialize({ seed: 1 });
    expect(() => evaluate(soft, { x, y }, "crossentropy-logits")).toThrow(/^evaluate: loss "crossentropy-logits" takes logits, but .*\(softmaxLayer\)/);
    const logits = logitsNet().initialize({ seed: 1 });
    expect(() => evaluate(logits, { x, y })).toThrow(/^evaluate: loss "crossentropy" needs probabilities .* or use loss "crossentropy-logits" \(for logits\) or "mse"/);
    expect(Number.isFinite(evaluate(logits, { x, y }, "crossentropy-logits").loss)).toBe(true);
  });
});
