// trainNet(net, { x, y }, options): MATLAB trainnet + trainingOptions in one call. Mini-batches of
// varying-length sequences are padded and carry their lengths, so every layer ignores the padding.
// Returns the trained net (trained in place) and the per-epoch history.
import type { NetGraph } from "../nets/netGraph.js";
import { valueAndGrad } from "../tensor/autodiff.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor, asTensor, type TensorLike } from "../tensor/tensor.js";
import { checkOptionNames } from "../util/checkOptions.js";
import { epochBatches, sequenceBatch, type ShuffleMode } from "./batching.js";
import { argmaxRows, crossentropy, mse } from "./losses.js";
import { Optimizer, type TrainableParameter } from "./optimizers.js";
import type { ProgressInfo, ProgressSink } from "./progress.js";

export interface TrainingData {
  /** sequences [Tᵢ, C] */
  x: readonly TensorLike[];
  /** class indices (0-based) per sequence or per time step, or regression targets */
  y: readonly number[] | readonly (readonly number[])[] | readonly TensorLike[];
}

export interface TrainingOptions {
  loss?: "crossentropy" | "mse";
  solver?: "adam" | "sgdm";
  maxEpochs?: number;
  miniBatchSize?: number;
  learnRate?: number;
  /** multiply the learn rate by learnRateDropFactor every learnRateDropPeriod epochs ("piecewise") */
  learnRateSchedule?: "none" | "piecewise";
  learnRateDropFactor?: number;
  learnRateDropPeriod?: number;
  l2Regularization?: number;
  momentum?: number;
  gradientDecayFactor?: number;
  squaredGradientDecayFactor?: number;
  epsilon?: number;
  gradientThreshold?: number;
  gradientThresholdMethod?: "l2norm" | "global-l2norm";
  shuffle?: ShuffleMode;
  /** "sort": batches of similar lengths (less padding) */
  sequenceOrder?: "none" | "sort";
  seed?: number;
  validationData?: TrainingData;
  /** stop when the validation loss has not improved for this many evaluations (one per epoch); default Infinity */
  validationPatience?: number;
  /** the weights left in the net: the last iteration's (default) or the epoch with the lowest validation loss */
  outputNetwork?: "last-iteration" | "best-validation";
  /** send progress to progressSink; default true */
  verbose?: boolean;
  /** where progress goes: nothing by default; the Node entry's trainNet uses a terminal bar */
  progressSink?: ProgressSink;
  /** called after every epoch; return "stop" to end training there */
  onProgress?: (info: ProgressInfo) => void | "stop";
}

export interface TrainingHistory {
  epoch: number[];
  loss: number[];
  accuracy: number[];
  validationLoss: number[];
  validationAccuracy: number[];
  seconds: number[];
  /** why training ended */
  stoppedBy: "max-epochs" | "validation-patience" | "stop-requested";
  /** the epoch whose weights the net holds (the best validation epoch with outputNetwork "best-validation") */
  outputEpoch: number;
}

const DEFAULTS = {
  loss: "crossentropy", solver: "adam", maxEpochs: 30, miniBatchSize: 128, learnRate: 0.001, learnRateSchedule: "none",
  learnRateDropFactor: 0.1, learnRateDropPeriod: 10, l2Regularization: 1e-4, momentum: 0.9, gradientDecayFactor: 0.9,
  squaredGradientDecayFactor: 0.999, epsilon: 1e-8, gradientThreshold: Infinity, gradientThresholdMethod: "l2norm",
  shuffle: "every-epoch", sequenceOrder: "none", seed: 0, verbose: true, validationPatience: Infinity, outputNetwork: "last-iteration",
} as const;

export function trainNet<N extends NetGraph>(net: N, data: TrainingData, options: TrainingOptions = {}): { net: N; history: TrainingHistory } {
  checkOptionNames(options, [...Object.keys(DEFAULTS), "validationData", "onProgress", "progressSink"], "trainNet");
  const o = { ...DEFAULTS, ...options };
  checkOptions(o);
  const train = prepare(data, "training data");
  const validation = o.validationData ? prepare(o.validationData, "validationData") : undefined;
  if (!validation && (o.outputNetwork === "best-validation" || o.validationPatience !== Infinity)) {
    throw new Error(`trainNet: ${o.outputNetwork === "best-validation" ? 'outputNetwork "best-validation"' : "validationPatience"} needs validationData`);
  }
  const random = new Random(o.seed);
  // z-score statistics of the input layers come from the training data (as MATLAB's trainnet does)
  for (const layer of net.inputLayers) if (layer.needsStatistics) layer.setStatistics(...channelStatistics(train.x, layer.inputSize));
  if (!net.isInitialized) net.initialize({ seed: random.seed() });
  const parameters: TrainableParameter[] = Object.entries(net.parameters).map(([name, tensor]) => {
    const f = net.parameterFactors(name);
    return { name, tensor, learnRateFactor: f.learnRate, l2Factor: f.l2 };
  });
  const optimizer = new Optimizer(o);
  const sink = o.verbose ? o.progressSink : undefined;
  const history: TrainingHistory = {
    epoch: [], loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], seconds: [], stoppedBy: "max-epochs", outputEpoch: 0,
  };
  let best = { loss: Infinity, epoch: 0, weights: undefined as Float32Array[] | undefined };
  let checkedProbabilities = o.loss !== "crossentropy";
  const start = performance.now();
  const firstOrder = random.permutation(train.x.length);
  const lengths = train.x.map((s) => s.shape[0]);
  for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
    const batches = epochBatches(lengths, o.miniBatchSize, o.shuffle, o.sequenceOrder === "sort", random, firstOrder);
    const learnRate = o.learnRateSchedule === "piecewise" ? o.learnRate * o.learnRateDropFactor ** Math.floor((epoch - 1) / o.learnRateDropPeriod) : o.learnRate;
    let lossSum = 0, correct = 0, counted = 0;
    batches.forEach((indices, iteration) => {
      const batch = sequenceBatch(train.x, indices);
      const targets = indices.map((i) => train.y[i]) as Targets;
      let prediction!: Tensor;
      const { value, grads } = valueAndGrad(() => {
        prediction = outputOf(net, batch, true, random);
        if (!checkedProbabilities) checkedProbabilities = checkProbabilities(net, prediction);
        return lossOf(o.loss, prediction, targets, batch.lengths);
      }, parameters.map((p) => p.tensor));
      if (!Number.isFinite(value)) throw new Error(`trainNet: the loss became ${value} at epoch ${epoch}, iteration ${iteration + 1}; lower learnRate or set gradientThreshold`);
      optimizer.step(parameters, grads, learnRate);
      lossSum += value * indices.length;
      if (o.loss === "crossentropy" && prediction.rank === 2) {
        argmaxRows(prediction).forEach((c, b) => { if (c === targets[b]) correct++; });
        counted += indices.length;
      }
      const info = progress(epoch, iteration + 1, batches.length, value, start);
      sink?.iteration?.(info);
    });
    const loss = lossSum / train.x.length;
    const accuracy = counted > 0 ? correct / counted : NaN;
    const val = validation ? evaluatePrepared(net, validation, o.loss, o.miniBatchSize) : undefined;
    history.epoch.push(epoch);
    history.loss.push(loss);
    history.accuracy.push(accuracy);
    history.validationLoss.push(val?.loss ?? NaN);
    history.validationAccuracy.push(val?.accuracy ?? NaN);
    history.seconds.push((performance.now() - start) / 1000);
    const info: ProgressInfo = {
      ...progress(epoch, batches.length, batches.length, loss, start),
      accuracy: Number.isNaN(accuracy) ? undefined : accuracy,
      validationLoss: val?.loss, validationAccuracy: val?.accuracy,
    };
    history.outputEpoch = epoch;
    sink?.epoch?.(info);
    if (val && val.loss < best.loss) best = { loss: val.loss, epoch, weights: o.outputNetwork === "best-validation" ? parameters.map((p) => p.tensor.data.slice()) : undefined };
    if (o.onProgress?.(info) === "stop") {
      history.stoppedBy = "stop-requested";
      break;
    }
    if (val && epoch - best.epoch >= o.validationPatience) {
      history.stoppedBy = "validation-patience";
      break;
    }
  }
  if (o.outputNetwork === "best-validation" && best.weights) {
    parameters.forEach((p, i) => p.tensor.data.set(best.weights![i]));
    history.outputEpoch = best.epoch;
  }
  return { net, history };

  function progress(epoch: number, iteration: number, iterationsPerEpoch: number, loss: number, t0: number): ProgressInfo {
    return { epoch, maxEpochs: o.maxEpochs, iteration, iterationsPerEpoch, loss, elapsedSeconds: (performance.now() - t0) / 1000 };
  }
}

/** The net's first output on a padded batch. */
function outputOf(net: NetGraph, batch: { x: Tensor; lengths: number[] }, training: boolean, random: Random): Tensor {
  return net.forward({ [net.inputNames[0]]: batch }, { training, random })[net.outputNames[0]].x;
}

type Targets = number[] | number[][] | Tensor[];

function lossOf(loss: "crossentropy" | "mse", prediction: Tensor, targets: Targets, lengths: number[]): Tensor {
  if (loss === "crossentropy") return crossentropy(prediction, targets as number[] | number[][], prediction.rank === 3 ? lengths : undefined);
  const t = targets as Tensor[];
  if (prediction.rank === 3) {
    // pad targets like the predictions
    const [B, T, K] = prediction.shape;
    const data = new Float32Array(B * T * K);
    t.forEach((y, b) => data.set(y.data, b * T * K));
    return mse(prediction, new Tensor(data, prediction.shape), lengths);
  }
  const data = new Float32Array(prediction.size);
  t.forEach((y, b) => data.set(y.data, (b * prediction.size) / t.length));
  return mse(prediction, new Tensor(data, prediction.shape));
}

/**
 * Crossentropy takes probabilities: every value in [0, 1] and each row summing to 1 (a net ending in
 * softmaxLayer). Checked once, on the first mini-batch, so a net without softmax fails clearly instead of
 * training on a clipped log (a flat loss near 28 = −log 1e-12).
 */
function checkProbabilities(net: NetGraph, p: Tensor): true {
  const K = p.shape[p.rank - 1];
  for (let r = 0; r < p.size / K; r++) {
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const v = p.data[r * K + k];
      if (!(v >= 0 && v <= 1)) return notProbabilities(net, `it gives ${v}`);
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return notProbabilities(net, `a row of its output sums to ${sum.toPrecision(4)}`);
  }
  return true;
}

function notProbabilities(net: NetGraph, what: string): never {
  const last = net.order[net.order.length - 1];
  throw new Error(`trainNet: loss "crossentropy" needs probabilities (values in [0, 1], each row summing to 1) from ${net.label}'s output, but ${what}; end the net with softmaxLayer() (its last node is "${last}", ${net.nodes[last].kind}) or use loss "mse"`);
}

/** Loss and (for classification) accuracy over a data set, without training behaviour. */
export function evaluate(net: NetGraph, data: TrainingData, loss: "crossentropy" | "mse" = "crossentropy", miniBatchSize = 128): { loss: number; accuracy?: number } {
  return evaluatePrepared(net, prepare(data, "evaluate data"), loss, miniBatchSize);
}

function evaluatePrepared(net: NetGraph, data: { x: Tensor[]; y: Targets }, loss: "crossentropy" | "mse", miniBatchSize: number): { loss: number; accuracy?: number } {
  let total = 0, correct = 0;
  const random = new Random(0);
  for (let i = 0; i < data.x.length; i += miniBatchSize) {
    const indices = Array.from({ length: Math.min(miniBatchSize, data.x.length - i) }, (_, k) => i + k);
    const batch = sequenceBatch(data.x, indices);
    const prediction = outputOf(net, batch, false, random);
    const targets = indices.map((k) => data.y[k]) as Targets;
    total += lossOf(loss, prediction, targets, batch.lengths).item() * indices.length;
    if (loss === "crossentropy" && prediction.rank === 2) argmaxRows(prediction).forEach((c, b) => { if (c === targets[b]) correct++; });
  }
  return { loss: total / data.x.length, accuracy: loss === "crossentropy" ? correct / data.x.length : undefined };
}

function prepare(data: TrainingData, what: string): { x: Tensor[]; y: Targets } {
  if (!data || !Array.isArray(data.x) || !Array.isArray(data.y)) throw new Error(`trainNet: ${what} must be { x: sequences, y: targets }`);
  if (data.x.length !== data.y.length) throw new Error(`trainNet: ${what} has ${data.x.length} sequences but ${data.y.length} targets`);
  if (data.x.length === 0) throw new Error(`trainNet: ${what} is empty`);
  const x = data.x.map((s, i) => {
    const t = asTensor(s, `trainNet: ${what} sequence ${i + 1}`);
    if (t.rank !== 2) throw new Error(`trainNet: ${what} sequence ${i + 1} must be [T, C], got ${formatShape(t.shape)}`);
    return t;
  });
  const C = x[0].shape[1];
  x.forEach((t, i) => { if (t.shape[1] !== C) throw new Error(`trainNet: ${what} sequence ${i + 1} has ${t.shape[1]} channels, sequence 1 has ${C}`); });
  const y = (data.y as unknown[]).map((v) => (typeof v === "number" || (Array.isArray(v) && typeof v[0] === "number") ? v : asTensor(v as TensorLike))) as Targets;
  return { x, y };
}

/** Per-channel mean and standard deviation over every valid time step. */
function channelStatistics(x: readonly Tensor[], C: number): [Float64Array, Float64Array] {
  const mean = new Float64Array(C), sq = new Float64Array(C);
  let n = 0;
  for (const s of x) {
    if (s.shape[1] !== C) throw new Error(`trainNet: sequences have ${s.shape[1]} channels but the input layer expects ${C}`);
    for (let t = 0; t < s.shape[0]; t++) for (let c = 0; c < C; c++) { const v = s.data[t * C + c]; mean[c] += v; sq[c] += v * v; }
    n += s.shape[0];
  }
  const sd = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    mean[c] /= n;
    sd[c] = Math.sqrt(Math.max(sq[c] / n - mean[c] ** 2, 0)) || 1;
  }
  return [mean, sd];
}

function checkOptions(o: Required<Omit<TrainingOptions, "validationData" | "onProgress" | "progressSink">>): void {
  const positiveInt = ["maxEpochs", "miniBatchSize", "learnRateDropPeriod"] as const;
  for (const k of positiveInt) if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`trainNet: ${k} must be a positive integer, got ${o[k]}`);
  if (!(o.validationPatience >= 1) || (o.validationPatience !== Infinity && !Number.isInteger(o.validationPatience))) {
    throw new Error(`trainNet: validationPatience must be a positive integer or Infinity, got ${o.validationPatience}`);
  }
  if (!["last-iteration", "best-validation"].includes(o.outputNetwork)) throw new Error(`trainNet: outputNetwork must be "last-iteration" or "best-validation", got ${JSON.stringify(o.outputNetwork)}`);
  if (!(o.learnRate > 0)) throw new Error(`trainNet: learnRate must be positive, got ${o.learnRate}`);
  if (!(o.l2Regularization >= 0)) throw new Error(`trainNet: l2Regularization must be ≥ 0, got ${o.l2Regularization}`);
  if (!(o.gradientThreshold > 0)) throw new Error(`trainNet: gradientThreshold must be positive, got ${o.gradientThreshold}`);
  if (!["adam", "sgdm"].includes(o.solver)) throw new Error(`trainNet: solver must be "adam" or "sgdm", got ${JSON.stringify(o.solver)}`);
  if (!["crossentropy", "mse"].includes(o.loss)) throw new Error(`trainNet: loss must be "crossentropy" or "mse", got ${JSON.stringify(o.loss)}`);
  if (!["every-epoch", "once", "never"].includes(o.shuffle)) throw new Error(`trainNet: shuffle must be "every-epoch", "once" or "never", got ${JSON.stringify(o.shuffle)}`);
}
