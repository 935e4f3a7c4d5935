// The step pool (src/util/stepPool.ts): trainNet's steps reuse their arrays. A reused array holds what the last
// step left there, so the training tests run with the pool poisoned (every array filled with NaN as it goes back)
// and compare, bit for bit, with training where every array is new: a value read after its step, or an element a
// producer failed to write, would turn up as NaN. Arrays that leave a step, or are made outside one, never change.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  additionLayer, attentionLayer, basicRecurrentLayer, bilstmLayer, concatenationLayer, dropoutLayer, embeddingLayer, fullyConnectedLayer,
  geluLayer, globalAveragePooling1dLayer, layerNormalizationLayer, lstmLayer, netGraph, positionEmbeddingLayer, Random, selfAttentionLayer,
  sequenceInputLayer, softmaxLayer, Tensor, trainNet, valueAndGrad, ops, type Layer, type NetGraph, type TrainingData, type TrainingOptions,
} from "../../src/index.js";
import { allocFloats, allocZeros, copyFloats, releaseStepPool, stepPoolOpen, stepPoolSettings, withStepPool } from "../../src/util/stepPool.js";
import { gruRecurrence } from "../../src/tensor/ops/gru.js";
import { layerNorm } from "../../src/tensor/ops/layerNorm.js";
import { stackPadded } from "../../src/tensor/ops/layout.js";
import { lstmRecurrence } from "../../src/tensor/ops/lstm.js";
import { rnnRecurrence } from "../../src/tensor/ops/rnn.js";
import { weightedTimeSum } from "../../src/tensor/ops/weightedTimeSum.js";
import { randomTensor } from "../helpers/numeric.js";
import { bahdanauNet } from "../helpers/seq2seq.js";

afterEach(() => {
  stepPoolSettings({ enabled: true, poison: false });
});

/** A 2-block causal character GPT in miniature (the bench's net: embeddings, pre-norm attention and GELU blocks, logits). */
function tinyGpt(): NetGraph {
  const c = 8, nodes: Record<string, Layer> = { tokens: embeddingLayer(c, 7), positions: positionEmbeddingLayer(c, 6), x0: additionLayer(2) };
  const edges: [string, string][] = [["input", "tokens"], ["tokens", "positions"], ["tokens", "x0/in1"], ["positions", "x0/in2"]];
  let x = "x0";
  for (const b of [1, 2]) {
    Object.assign(nodes, {
      [`n${b}a`]: layerNormalizationLayer(), [`att${b}`]: selfAttentionLayer(2, c, { attentionMask: "causal" }), [`r${b}a`]: additionLayer(2),
      [`n${b}b`]: layerNormalizationLayer(), [`up${b}`]: fullyConnectedLayer(16), [`gelu${b}`]: geluLayer(), [`down${b}`]: fullyConnectedLayer(c), [`r${b}b`]: additionLayer(2),
    });
    edges.push([x, `n${b}a`], [`n${b}a`, `att${b}`], [x, `r${b}a/in1`], [`att${b}`, `r${b}a/in2`], [`r${b}a`, `n${b}b`], [`n${b}b`, `up${b}`],
      [`up${b}`, `gelu${b}`], [`gelu${b}`, `down${b}`], [`r${b}a`, `r${b}b/in1`], [`down${b}`, `r${b}b/in2`]);
    x = `r${b}b`;
  }
  Object.assign(nodes, { norm: layerNormalizationLayer(), logits: fullyConnectedLayer(7) });
  edges.push([x, "norm"], ["norm", "logits"]);
  return netGraph({ nodes, edges }).initialize({ seed: 1, inputSize: 1 });
}

/** Windows of character ids of varying lengths (so batches pad, and array sizes change from step to step), next ids as targets. */
function idWindows(n: number, seed: number, V = 7, maxT = 6): TrainingData {
  const random = new Random(seed);
  const windows = Array.from({ length: n }, () => Array.from({ length: 2 + Math.floor(random.uniform() * (maxT - 1)) }, () => Math.floor(random.uniform() * V)));
  return { x: windows.map((w) => new Tensor(Float32Array.from(w.slice(0, -1)), [w.length - 1, 1])), y: windows.map((w) => w.slice(1)) };
}

/** The copy task for bahdanauNet: source ids, the target shifted behind a start id 0, the target per step. */
function copyTask(n: number, seed: number, V = 5): TrainingData {
  const random = new Random(seed);
  const sources = Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(random.uniform() * 5) }, () => 1 + Math.floor(random.uniform() * (V - 1))));
  const ids = (s: number[]) => new Tensor(Float32Array.from(s), [s.length, 1]);
  return { x: sources.map((s) => ({ source: ids(s), previous: ids([0, ...s.slice(0, -1)]) })), y: sources };
}

/** An LSTM encoder-decoder with dot attention (one-hot inputs), as test/unit/multiInputTraining.test.ts builds it. */
function lstmSeq2seq(): NetGraph {
  return netGraph({
    inputs: ["in", "dec"],
    nodes: {
      encIn: sequenceInputLayer(4), decIn: sequenceInputLayer(5), encoder: lstmLayer(6), decoder: lstmLayer(6),
      att: attentionLayer("Dot"), cat: concatenationLayer(1, 2), fc: fullyConnectedLayer(4),
    },
    edges: [
      ["in", "encIn"], ["dec", "decIn"], ["encIn", "encoder"], ["decIn", "decoder"], ["encoder", "att/key"], ["encoder", "att/value"],
      ["decoder", "att/query"], ["decoder", "cat/in1"], ["att", "cat/in2"], ["cat", "fc"],
    ],
  }).initialize({ seed: 3 });
}

function oneHotCopyTask(n: number, seed: number): TrainingData {
  const random = new Random(seed);
  const oneHot = (s: number[], size: number) => new Tensor(Float32Array.from(s.flatMap((v) => Array.from({ length: size }, (_, k) => (k === v ? 1 : 0)))), [s.length, size]);
  const sources = Array.from({ length: n }, () => Array.from({ length: 2 + Math.floor(random.uniform() * 4) }, () => Math.floor(random.uniform() * 4)));
  return { x: sources.map((s) => ({ in: oneHot(s, 4), dec: oneHot([4, ...s.slice(0, -1)], 5) })), y: sources };
}

/** Sequence classification and regression: bidirectional LSTM and basic recurrence, dropout, pooling over time. */
function recurrentClassifier(outputs: number, softmax: boolean): NetGraph {
  const layers = {
    seq: sequenceInputLayer(3), bi: bilstmLayer(5), rnn: basicRecurrentLayer(4, { bidirectional: true }), drop: dropoutLayer(0.3),
    pool: globalAveragePooling1dLayer(), fc: fullyConnectedLayer(outputs), ...(softmax ? { sm: softmaxLayer() } : {}),
  };
  const order = Object.keys(layers);
  return netGraph({ nodes: layers, edges: [["input", "seq"], ...order.slice(1).map((n, i) => [order[i], n] as [string, string])] }).initialize({ seed: 5 });
}

function sequences(n: number, seed: number, targets: (s: Tensor, random: Random) => number | Tensor): TrainingData {
  const random = new Random(seed);
  const x = Array.from({ length: n }, () => {
    const T = 1 + Math.floor(random.uniform() * 7);
    return new Tensor(Float32Array.from({ length: T * 3 }, () => random.uniform() - 0.5), [T, 3]);
  });
  return { x, y: x.map((s) => targets(s, random)) } as TrainingData;
}

/** Trains a fresh net; the trained parameters and the history's losses and accuracies. */
function train(make: () => NetGraph, data: TrainingData, options: TrainingOptions) {
  const { net, history } = trainNet(make(), data, { verbose: false, shuffle: "every-epoch", ...options });
  return { parameters: Object.fromEntries(Object.entries(net.parameters).map(([k, t]) => [k, Array.from(t.data)])), loss: history.loss, accuracy: history.accuracy };
}

const cases: [string, () => NetGraph, () => TrainingData, TrainingOptions][] = [
  ["the causal GPT (crossentropy on logits)", tinyGpt, () => idWindows(20, 1), { loss: "crossentropy-logits", maxEpochs: 3, miniBatchSize: 6, learnRate: 0.01 }],
  ["a GRU seq2seq with additive attention (sgdm, gradient clipping)", () => bahdanauNet({ softmax: true }), () => copyTask(18, 2),
    { loss: "crossentropy", solver: "sgdm", maxEpochs: 3, miniBatchSize: 5, gradientThreshold: 0.5 }],
  ["an LSTM seq2seq with dot attention (rmsprop)", lstmSeq2seq, () => oneHotCopyTask(16, 3), { loss: "crossentropy-logits", solver: "rmsprop", maxEpochs: 3, miniBatchSize: 5 }],
  ["a recurrent classifier with dropout and pooling", () => recurrentClassifier(3, true), () => sequences(17, 4, (_, r) => Math.floor(r.uniform() * 3)),
    { loss: "crossentropy", maxEpochs: 3, miniBatchSize: 4, l2Regularization: 1e-3 }],
  ["a recurrent regression (mse)", () => recurrentClassifier(2, false), () => sequences(13, 5, (s) => new Tensor(s.data.slice(0, 2), [2])),
    { loss: "mse", maxEpochs: 3, miniBatchSize: 4 }],
];

describe("trainNet with the step pool", () => {
  it.each(cases)("%s trains to the same bits with arrays reused (poisoned with NaN) as with new arrays every step", (_, make, data, options) => {
    stepPoolSettings({ enabled: false });
    const fresh = train(make, data(), options);
    stepPoolSettings({ enabled: true, poison: true });
    stepPoolSettings(); // zero the counts
    const reused = train(make, data(), options);
    const { reusedBytes } = stepPoolSettings();
    expect(reusedBytes).toBeGreaterThan(0); // the later steps did run on reused (NaN-filled) arrays
    expect(reused.loss.every(Number.isFinite)).toBe(true);
    expect(reused).toEqual(fresh);
  });

  it("after a warm-up step, a step of the same shapes allocates no new arrays", () => {
    const net = tinyGpt(), data = idWindows(8, 6, 7, 6);
    // every window the same length: the same shapes every step
    const same = { x: (data.x as Tensor[]).map(() => new Tensor(Float32Array.from([1, 2, 3, 4, 5]), [5, 1])), y: data.y.map(() => [2, 3, 4, 5, 6]) };
    const options: TrainingOptions = { loss: "crossentropy-logits", maxEpochs: 1, miniBatchSize: 8, verbose: false };
    releaseStepPool();
    trainNet(net, same, options); // the warm-up step fills the pool
    stepPoolSettings();
    trainNet(net, same, { ...options, maxEpochs: 3 });
    const { allocatedBytes, reusedBytes } = stepPoolSettings();
    expect(allocatedBytes).toBe(0);
    expect(reusedBytes).toBeGreaterThan(0);
  });

  it("the pool is open only inside a step: not after trainNet returns or throws, nor in progress callbacks", () => {
    expect(stepPoolOpen()).toBe(false);
    const seen: boolean[] = [];
    const data = idWindows(10, 7);
    trainNet(tinyGpt(), data, {
      loss: "crossentropy-logits", maxEpochs: 2, miniBatchSize: 4, verbose: false,
      progressSink: { iteration: () => void seen.push(stepPoolOpen()), epoch: () => void seen.push(stepPoolOpen()) },
      onProgress: () => void seen.push(stepPoolOpen()),
    });
    expect(seen.length).toBeGreaterThan(6);
    expect(seen.every((open) => !open)).toBe(true);
    expect(stepPoolOpen()).toBe(false);
    // one class index per sequence for an output per step: refused inside the first step
    expect(() => trainNet(tinyGpt(), { x: data.x, y: data.y.map(() => 1) }, { loss: "crossentropy-logits", maxEpochs: 1, verbose: false })).toThrow(/one class index/);
    expect(stepPoolOpen()).toBe(false);
    // outside a step allocFloats is a new zeroed array of its own
    const a = allocFloats(10);
    expect(a.buffer.byteLength).toBe(40);
    expect(Array.from(a)).toEqual(new Array(10).fill(0));
  });

  it("arrays made outside a step (predictions, gradients, the trained weights) stay intact through later training steps", () => {
    stepPoolSettings({ poison: true });
    const net = tinyGpt(), data = idWindows(12, 8);
    const input = new Tensor(Float32Array.from([1, 2, 3, 4]), [1, 4, 1]);
    const prediction = net.predict(input) as Tensor, predicted = Array.from(prediction.data);
    const w = ops.reshape(net.parameters["logits/weights"], [-1]);
    const { value, grads } = valueAndGrad(() => ops.sum(ops.square(w)), [w]);
    const gradient = Array.from(grads[0].data);
    const { history } = trainNet(net, data, { loss: "crossentropy-logits", maxEpochs: 1, miniBatchSize: 4, verbose: false });
    const weights = Object.fromEntries(Object.entries(net.parameters).map(([k, t]) => [k, Array.from(t.data)]));
    const losses = [...history.loss];
    trainNet(tinyGpt(), data, { loss: "crossentropy-logits", maxEpochs: 2, miniBatchSize: 4, verbose: false }); // more steps, another net
    expect(Array.from(prediction.data)).toEqual(predicted);
    expect(Array.from(grads[0].data)).toEqual(gradient);
    expect(Number.isFinite(value)).toBe(true);
    expect(history.loss).toEqual(losses);
    for (const [k, t] of Object.entries(net.parameters)) expect(Array.from(t.data)).toEqual(weights[k]);
  });

  it("trainNet run from inside another's progress callbacks trains both as if run alone", () => {
    stepPoolSettings({ poison: true });
    const outerData = idWindows(12, 9), innerData = copyTask(10, 10);
    const outerOptions: TrainingOptions = { loss: "crossentropy-logits", maxEpochs: 2, miniBatchSize: 4 };
    const innerOptions: TrainingOptions = { loss: "crossentropy", maxEpochs: 1, miniBatchSize: 4 };
    const alone = { outer: train(tinyGpt, outerData, outerOptions), inner: train(() => bahdanauNet({ softmax: true }), innerData, innerOptions) };
    const inner: ReturnType<typeof train>[] = [];
    const nested = train(tinyGpt, outerData, {
      ...outerOptions,
      progressSink: { iteration: () => void inner.push(train(() => bahdanauNet({ softmax: true }), innerData, innerOptions)) },
      onProgress: () => void inner.push(train(() => bahdanauNet({ softmax: true }), innerData, innerOptions)),
    });
    expect(nested).toEqual(alone.outer);
    expect(inner.length).toBe(3 * 2 + 2);
    for (const run of inner) expect(run).toEqual(alone.inner);
  });
});

/** Ops that leave parts of an output or gradient at 0 (padding, blocked entries, scatters, sums): each as a scalar of its inputs. */
const opCases: [string, number[][], (...t: Tensor[]) => Tensor][] = [
  ["broadcast add, mul, div, maximum (row, column, middle)", [[3, 4, 5], [5], [3, 1, 1], [3, 1, 5]],
    (a, row, col, mid) => ops.maximum(ops.div(ops.mul(ops.add(a, row), col), ops.add(ops.square(mid), 1)), ops.sub(mid, 0.5))],
  ["unary ops and gelu", [[2, 7]], (a) => ops.add(ops.add(ops.tanh(a), ops.sigmoid(ops.relu(a))), ops.add(ops.gelu(a), ops.gelu(a, { approximation: "tanh" })))],
  ["sums and means over rows, columns, runs and all", [[2, 3, 4]], (a) => {
    const sq = (t: Tensor) => ops.sum(ops.square(t));
    return ops.add(ops.add(sq(ops.sum(a, 2)), sq(ops.mean(a, 1, true))), ops.add(sq(ops.sum(a, [0, 2], true)), ops.mean(a)));
  }],
  ["softmax, a masked softmax with a fully blocked row, logSoftmax", [[2, 3, 4]], (a) => {
    const allowed = new Tensor(Float32Array.from({ length: 24 }, (_, i) => (i < 4 || i % 3 === 0 ? 0 : 1)), [2, 3, 4]);
    return ops.add(ops.add(ops.softmax(a, 1), ops.mul(ops.maskedSoftmax(a, allowed), a)), ops.logSoftmax(a));
  }],
  ["keepWhere, dropout", [[3, 5]], (a) => ops.add(ops.keepWhere(a, new Tensor(Float32Array.from([1, 0, 1]), [3, 1])), ops.dropout(a, 0.4, 3))],
  ["transposes (a swap and the general path), slices, concat, stack, broadcastTo", [[2, 3, 4], [1, 4]], (a, b) => {
    const sq = (t: Tensor) => ops.sum(ops.square(t));
    const cut = ops.concat([ops.slice(a, 1, 1, 3), ops.slice(a, 1, 0, 1)], 1); // [2, 3, 4]
    return ops.add(ops.add(sq(ops.transpose(a, [1, 0, 2])), sq(ops.transpose(a, [2, 1, 0]))), ops.add(sq(ops.stack([a, cut], 1)), sq(ops.broadcastTo(b, [2, 3, 4]))));
  }],
  ["stackPadded, gather (repeated rows)", [[2, 3], [4, 3], [5, 2]], (a, b, table) => {
    const padded = stackPadded([a, b], 6); // [2, 6, 3], rows 2… and 4… zero
    return ops.add(ops.sum(ops.mul(padded, padded)), ops.sum(ops.gather(table, [1, 1, 4, 0, 1], [5])));
  }],
  ["matmul with broadcast batch axes, linear with a bias", [[2, 1, 3, 4], [3, 4, 2], [3, 4], [5, 4], [5]],
    (a, b, x, w, bias) => ops.add(ops.sum(ops.matmul(a, b)), ops.sum(ops.linear(x, w, bias)))],
  ["layerNorm, weightedTimeSum, additiveScores", [[2, 3, 4], [4], [4], [2, 5, 3], [2, 2, 3], [3]], (x, g, o, k, q, v) =>
    ops.add(ops.add(ops.sum(layerNorm(x, g, o, 1e-5)), ops.sum(weightedTimeSum(x, Float32Array.from([1, 0, 0.5, 2, 0, 0])))), ops.sum(ops.additiveScores(k, q, v)))],
  ["LSTM (picked last steps, one outside), GRU and basic recurrences over rows of lengths 0 to T", [[3, 4, 8], [8, 2], [8], [3, 4, 6], [6, 2], [6], [3, 4, 2], [2, 2], [2]],
    (p, r, b, pg, rg, bg, pr, rr, br) => {
      const lstm = lstmRecurrence(p, r, b, [3, 9, 0]);
      const gru = gruRecurrence(pg, rg, bg, { lengths: [4, 0, 2] });
      const rnn = rnnRecurrence(pr, rr, br, { lengths: [1, 4, 0], reverse: true });
      return ops.add(ops.add(ops.sum(ops.square(lstm)), ops.sum(gru.h)), ops.add(ops.sum(rnn.h), ops.sum(ops.mul(rnn.hLast, gru.hLast))));
    }],
];

describe("ops inside a step", () => {
  it.each(opCases)("%s: the same value and gradients on reused arrays (poisoned with NaN) as on new ones", (_, shapes, f) => {
    const random = new Random(11);
    const inputs = shapes.map((shape) => randomTensor(shape, random));
    const run = () => {
      const { value, grads } = valueAndGrad(() => ops.sum(f(...inputs)), inputs);
      return { value, grads: grads.map((g) => Array.from(g.data)) };
    };
    const fresh = run();
    expect(Number.isFinite(fresh.value)).toBe(true);
    stepPoolSettings({ poison: true });
    releaseStepPool();
    withStepPool(run); // fills the pool; its arrays go back filled with NaN
    stepPoolSettings();
    const reused = withStepPool(run);
    expect(stepPoolSettings().allocatedBytes).toBe(0); // every array of the second run was a poisoned one
    expect(reused).toEqual(fresh);
  });
});

describe("withStepPool", () => {
  it("sizes capacities in classes at most 25 % above a request, and reuses a freed array for a request of a nearby size", () => {
    releaseStepPool();
    withStepPool(() => {
      for (const n of [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 1000, 1023, 1024, 1025, 12345, 2 ** 20 + 1]) {
        const capacity = allocFloats(n).buffer.byteLength / 4;
        expect(capacity).toBeGreaterThanOrEqual(n);
        expect(capacity).toBeLessThanOrEqual(Math.max(4, 1.25 * n));
      }
    });
    releaseStepPool();
    let first!: ArrayBufferLike;
    withStepPool(() => void (first = allocFloats(1000).buffer));
    withStepPool(() => {
      const b = allocFloats(990); // same class
      expect(b.buffer).toBe(first);
      expect(b.length).toBe(990);
      expect(allocFloats(990).buffer).not.toBe(first); // handed out once per step
    });
  });

  it("takes the best fit: the smallest free array that holds the request, within an octave above it", () => {
    releaseStepPool();
    let small!: ArrayBufferLike, large!: ArrayBufferLike;
    withStepPool(() => {
      large = allocFloats(4000).buffer;
      small = allocFloats(1000).buffer;
    });
    withStepPool(() => {
      expect(allocFloats(900).buffer).toBe(small);
      expect(allocFloats(900).buffer).not.toBe(large); // 4000 is more than an octave above 900
      expect(allocFloats(3000).buffer).toBe(large);
    });
  });

  it("gives back every array of a step, also when it throws; nested steps give back only their own", () => {
    stepPoolSettings({ poison: true });
    let outer!: Float32Array, inner!: Float32Array;
    withStepPool(() => {
      outer = allocFloats(64).fill(1);
      expect(() => withStepPool(() => {
        inner = copyFloats(new Float32Array(32).fill(2));
        throw new Error("inside");
      })).toThrow("inside");
      expect(Number.isNaN(inner[0])).toBe(true); // given back (and poisoned) when the inner step threw
      expect(Array.from(outer)).toEqual(new Array(64).fill(1)); // the outer step's array is still its own
      expect(stepPoolOpen()).toBe(true);
    });
    expect(Number.isNaN(outer[0])).toBe(true);
    expect(stepPoolOpen()).toBe(false);
  });

  it("lets the free arrays go after 2 s without a step", () => {
    vi.useFakeTimers();
    try {
      releaseStepPool();
      withStepPool(() => void allocFloats(112)); // a class of its own: 112 = 7 · 2⁴ floats
      vi.advanceTimersByTime(1900);
      stepPoolSettings();
      withStepPool(() => void allocFloats(112)); // still pooled; and the countdown starts again
      expect(stepPoolSettings().allocatedBytes).toBe(0);
      vi.advanceTimersByTime(2000);
      withStepPool(() => void allocFloats(112));
      expect(stepPoolSettings().allocatedBytes).toBe(448);
    } finally {
      vi.useRealTimers();
    }
  });

  it("allocZeros clears what an earlier step left; allocFloats does not (producers must write every element)", () => {
    stepPoolSettings({ poison: true });
    releaseStepPool();
    withStepPool(() => void allocFloats(50).fill(3));
    withStepPool(() => expect(Array.from(allocZeros(50))).toEqual(new Array(50).fill(0)));
    withStepPool(() => expect(allocFloats(50).every(Number.isNaN)).toBe(true));
  });
});
