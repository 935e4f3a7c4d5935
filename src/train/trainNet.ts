// trainNet(net, { x, y }, options): MATLAB trainnet + trainingOptions in one call. Mini-batches of
// varying-length sequences are padded and carry their lengths (per input port for multi-input nets), so every
// layer ignores the padding. Returns the trained net (trained in place) and the per-epoch history.
import { noteWeightWrites } from "../layers/weightWrites.js";
import type { NetValue } from "../layers/layer.js";
import { NetGraph } from "../nets/netGraph.js";
import { valueAndGrad } from "../tensor/autodiff.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor, asTensor, type TensorLike } from "../tensor/tensor.js";
import { withStepPool } from "../util/stepPool.js";
import { quote } from "../util/text.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionNames, checkSeed, describe, isRecord } from "../util/validate.js";
import { epochBatches, examplesOf, isSequencePort, portBatch, type Example, type ShuffleMode } from "./batching.js";
import { checkNet } from "./checkNet.js";
import { argmaxRows, crossentropy, crossentropyLogits, mse } from "./losses.js";
import { Optimizer, checkSolverOptions, solverDefaults, solverOptionNames, type GradientThresholdMethod, type Learnable } from "./optimizers.js";
import type { ProgressInfo, ProgressSink } from "./progress.js";

/** Training or validation data: examples x and targets y (class indices per sequence or per step, or target arrays). */
export interface TrainingData {
  /**
   * sequences [Tᵢ, C] (a one-input net); or, for any net, a list of records by input port
   * ([{ in: seqA, dec: seqB }, ...]) or a record of lists ({ in: [...], dec: [...] })
   */
  x: readonly TensorLike[] | readonly Readonly<Record<string, TensorLike>>[] | Readonly<Record<string, readonly TensorLike[]>>;
  /** class indices (0-based) per sequence or per time step, or regression targets */
  y: readonly number[] | readonly (readonly number[])[] | readonly TensorLike[];
}

/** trainNet's losses: crossentropy of probabilities (a net ending in softmaxLayer), of logits, or mse. */
export type LossName = "crossentropy" | "crossentropy-logits" | "mse";

/** trainNet's options, MATLAB trainingOptions in camelCase (solver, epochs, batch size, learn-rate schedule, L2, clipping, validation, progress). */
export interface TrainingOptions {
  loss?: LossName;
  /** "rmsprop" takes squaredGradientDecayFactor 0.9 by default, as MATLAB */
  solver?: "adam" | "sgdm" | "rmsprop";
  maxEpochs?: number;
  miniBatchSize?: number;
  /** 0.01 for sgdm, 0.001 for adam and rmsprop (MATLAB's InitialLearnRate defaults, as sgdm(), adam(), rmsprop()) */
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
  gradientThresholdMethod?: GradientThresholdMethod;
  shuffle?: ShuffleMode;
  /** "sort": batches of similar lengths (less padding) */
  sequenceOrder?: "none" | "sort";
  seed?: number;
  validationData?: TrainingData;
  /** stop when the validation loss has not improved for this many evaluations (one per epoch); default Infinity */
  validationPatience?: number;
  /** the weights left in the net: the last iteration's (default) or the epoch with the lowest validation loss */
  outputNetwork?: "last-iteration" | "best-validation";
  /**
   * show the default progress display (the Node entry's terminal bar; the main entry has none); default true.
   * Like MATLAB's Verbose, it controls that display only: a progressSink given explicitly receives progress either way
   */
  verbose?: boolean;
  /** where progress goes: nothing by default; the Node entry's trainNet uses a terminal bar (unless verbose is false) */
  progressSink?: ProgressSink;
  /** called after every epoch; return "stop" to end training there (if it throws, the net holds the output network and the error carries `history`) */
  onProgress?: (info: ProgressInfo) => void | "stop";
}

/** Per-epoch training record: losses, accuracies, validation figures, elapsed seconds, why training stopped and whose weights the net holds. */
export interface TrainingHistory {
  epoch: number[];
  loss: number[];
  accuracy: number[];
  validationLoss: number[];
  validationAccuracy: number[];
  seconds: number[];
  /** why training ended; "error" in the history that a thrown error carries (divergence, or an onProgress or progressSink that threw) */
  stoppedBy: "max-epochs" | "validation-patience" | "stop-requested" | "error";
  /** the epoch whose weights the net holds (the best validation epoch with outputNetwork "best-validation"; after divergence, the epoch of the iteration whose weights were kept, 0 for the initial ones) */
  outputEpoch: number;
}

const LOSSES: LossName[] = ["crossentropy", "crossentropy-logits", "mse"];

// the solver's options (learnRate, momentum, …) default as sgdm(), adam() and rmsprop() do: solverDefaults
const DEFAULTS = {
  loss: "crossentropy", solver: "adam", maxEpochs: 30, miniBatchSize: 128, learnRateSchedule: "none",
  learnRateDropFactor: 0.1, learnRateDropPeriod: 10,
  shuffle: "every-epoch", sequenceOrder: "none", seed: 0, verbose: true, validationPatience: Infinity, outputNetwork: "last-iteration",
  ...solverDefaults("adam"),
} as const;

export function trainNet<N extends NetGraph>(net: N, data: TrainingData, options: TrainingOptions = {}): { net: N; history: TrainingHistory } {
  checkNet(net, "trainNet");
  checkOptionNames(options, [...Object.keys(DEFAULTS), "validationData", "onProgress", "progressSink"], "trainNet");
  const o = { ...DEFAULTS, ...solverDefaults(options.solver ?? DEFAULTS.solver), ...options };
  checkOptions(o);
  const train = prepare(net, data, "training data", o.loss);
  const validation = o.validationData ? prepare(net, o.validationData, "validationData", o.loss) : undefined;
  checkChannels(net, train, "");
  if (validation) checkChannels(net, validation, "validationData.");
  if (o.loss === "crossentropy-logits") checkLogits(net, "trainNet");
  if (!validation && (o.outputNetwork === "best-validation" || o.validationPatience !== Infinity)) {
    throw new Error(`trainNet: ${o.outputNetwork === "best-validation" ? 'outputNetwork "best-validation"' : "validationPatience"} needs validationData`);
  }
  const random = new Random(o.seed);
  // z-score statistics of the input layers come from the training data (as MATLAB's trainnet does)
  for (const port of net.inputNames) {
    const layer = net.inputLayerOf(port);
    if (layer?.needsStatistics) layer.setStatistics(...channelStatistics(train.x.map((e) => e[port]), layer.inputSize));
  }
  if (!net.isInitialized) net.initialize({ seed: random.seed() });
  const parameters: (Learnable & { name: string })[] = Object.entries(net.parameters).map(([name, tensor]) => ({ name, tensor, factors: net.parameterFactors(name) }));
  const optimizer = new Optimizer(o.solver, Object.fromEntries(solverOptionNames[o.solver].map((k) => [k, o[k]])));
  // the last weights whose loss was finite, those iteration `good` ran with (one set of buffers, refilled every
  // step): a non-finite loss at iteration i means the step of iteration i − 1 broke the weights, so the net
  // goes back to these; a step that makes a weight non-finite is undone the same way
  const lastFinite = parameters.map((p) => new Float32Array(p.tensor.size));
  let good: { epoch: number; iteration: number } | undefined;
  // targets once, before any step (every epoch visits every example; validation ones too, before the first evaluation);
  // a multi-input net's per-step targets are checked against the steps of the port its output follows, once
  // the first mini-batch has shown which one (still before any step)
  const K = outputSizeOf(net), lengths = lengthsAt(train.x, net.inputNames[0])!;
  let stepPort = net.inputNames.length === 1 ? net.inputNames[0] : undefined;
  checkTargets(o.loss, net, K, train.y, lengthsAt(train.x, stepPort), "y");
  if (validation) checkTargets(o.loss, net, K, validation.y, lengthsAt(validation.x, stepPort), "validationData.y");
  const sink = o.progressSink; // a sink given receives progress whatever `verbose` says (it silences only the default display)
  const history: TrainingHistory = {
    epoch: [], loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], seconds: [], stoppedBy: "max-epochs", outputEpoch: 0,
  };
  let best = { loss: Infinity, epoch: 0, weights: undefined as Float32Array[] | undefined };
  let checkedProbabilities = o.loss !== "crossentropy", checkedForm = false;
  const classification = o.loss !== "mse";
  const start = performance.now();
  const firstOrder = random.permutation(train.x.length);
  try {
    epochs();
  } catch (error) {
    // the documented output network holds whatever way the run ends; the history so far travels with the error
    history.stoppedBy = "error";
    restoreBest();
    throw withHistory(error, history);
  }
  restoreBest();
  return { net, history };

  function epochs(): void {
    for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
      const batches = epochBatches(lengths, o.miniBatchSize, o.shuffle, o.sequenceOrder === "sort", random, firstOrder);
      const learnRate = o.learnRateSchedule === "piecewise" ? o.learnRate * o.learnRateDropFactor ** Math.floor((epoch - 1) / o.learnRateDropPeriod) : o.learnRate;
      let lossSum = 0, correct = 0, counted = 0;
      batches.forEach((indices, iteration) => {
        // the step's arrays come from the step pool and all go back to it at the step's end (../util/stepPool.ts):
        // only numbers leave the step, and the progress sink runs after it
        const value = withStepPool(() => {
          const batch = portBatch(net, train.x, indices);
          const targets = indices.map((i) => train.y[i]) as Targets;
          let prediction!: Tensor, steps!: readonly number[];
          const { value, grads } = valueAndGrad(() => {
            ({ prediction, steps } = outputOf(net, batch, true, random));
            if (!checkedForm) {
              // the first output tells per-sequence from per-step: every target (validation ones too) must match it
              if (stepPort === undefined && prediction.rank === 3) {
                stepPort = portOfSteps(batch, steps);
                checkTargets(o.loss, net, K, train.y, lengthsAt(train.x, stepPort), "y");
                if (validation) checkTargets(o.loss, net, K, validation.y, lengthsAt(validation.x, stepPort), "validationData.y");
              }
              checkTargetForm(o.loss, net, prediction, train.y, lengthsAt(train.x, stepPort), "y");
              if (validation) checkTargetForm(o.loss, net, prediction, validation.y, lengthsAt(validation.x, stepPort), "validationData.y");
              checkedForm = true;
            }
            if (!checkedProbabilities) checkedProbabilities = checkProbabilities(net, prediction, "trainNet");
            return lossOf(o.loss, prediction, targets, steps);
          }, parameters.map((p) => p.tensor));
          if (!Number.isFinite(value)) throw diverged(`the loss became ${value}`, epoch, iteration + 1);
          parameters.forEach((p, i) => lastFinite[i].set(p.tensor.data));
          good = { epoch, iteration: iteration + 1 };
          optimizer.learnRate = learnRate;
          optimizer.step(parameters, grads);
          const broken = parameters.find((p) => firstNonFinite(p.tensor.data) >= 0);
          if (broken) throw diverged(`the weights became non-finite (${broken.tensor.data[firstNonFinite(broken.tensor.data)]} in ${quote(broken.name)})`, epoch, iteration + 1);
          lossSum += value * indices.length;
          if (classification) {
            const tally = countCorrect(prediction, targets, steps);
            correct += tally.correct;
            counted += tally.counted;
          }
          return value;
        });
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
      if (val && val.loss < best.loss) best = { loss: val.loss, epoch, weights: o.outputNetwork === "best-validation" ? parameters.map((p) => p.tensor.data.slice()) : undefined };
      sink?.epoch?.(info);
      if (o.onProgress?.(info) === "stop") {
        history.stoppedBy = "stop-requested";
        break;
      }
      if (val && epoch - best.epoch >= o.validationPatience) {
        history.stoppedBy = "validation-patience";
        break;
      }
    }
  }

  /** outputNetwork "best-validation": the weights of the epoch with the lowest validation loss, once there is one. */
  function restoreBest(): void {
    if (o.outputNetwork !== "best-validation" || !best.weights) return;
    parameters.forEach((p, i) => p.tensor.data.set(best.weights![i]));
    noteWeightWrites();
    history.outputEpoch = best.epoch;
  }

  /**
   * Divergence: the net goes back to the last weights whose loss was finite (or keeps its initial weights
   * when the first loss is not finite), and the error says whose weights it holds.
   */
  function diverged(what: string, epoch: number, iteration: number): Error {
    let kept = "the net keeps its initial weights (they gave this loss)";
    if (good) {
      parameters.forEach((p, i) => p.tensor.data.set(lastFinite[i]));
      noteWeightWrites();
      history.outputEpoch = good.epoch;
      kept = `the net keeps the last finite weights, those that gave a finite loss at epoch ${good.epoch}, iteration ${good.iteration} (before its update)`;
    }
    if (o.outputNetwork === "best-validation" && best.weights) kept = `the net keeps the weights of epoch ${best.epoch}, the lowest validation loss (outputNetwork "best-validation")`;
    return new Error(`trainNet: ${what} at epoch ${epoch}, iteration ${iteration}; ${kept}. Lower learnRate, set gradientThreshold, or check the data`);
  }

  function progress(epoch: number, iteration: number, iterationsPerEpoch: number, loss: number, t0: number): ProgressInfo {
    return { epoch, maxEpochs: o.maxEpochs, iteration, iterationsPerEpoch, loss, elapsedSeconds: (performance.now() - t0) / 1000 };
  }
}

/** The thrown value with the run's history as a non-enumerable `history` property (when it is an object that takes one). */
function withHistory(error: unknown, history: TrainingHistory): unknown {
  if ((typeof error === "object" && error !== null) || typeof error === "function") {
    if (Object.isExtensible(error) && !Object.hasOwn(error, "history")) Object.defineProperty(error, "history", { value: history, writable: true, configurable: true });
  }
  return error;
}

/** Index of the first NaN or ±∞ in `a`, or −1. */
function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/**
 * Targets against the net's output size, named by their index in y: class indices in [0, K) for
 * crossentropy (one per sequence, or one per valid step), and for mse as many values as the output has per
 * sequence (or per step). lengths[b] is the length of sequence b (at the port the output's steps follow;
 * undefined while that port is unknown: every class index given is checked then).
 */
function checkTargets(loss: LossName, net: NetGraph, K: number | undefined, targets: Targets, lengths: readonly number[] | undefined, y: string): void {
  if (K === undefined || !Number.isInteger(K)) return; // sizes not inferable without data: the loss checks the shapes
  targets.forEach((target, b) => {
    const where = `trainNet: ${y}[${b}]`;
    if (loss !== "mse") {
      const classes = typeof target === "number" ? [target] : Array.isArray(target) ? (target as number[]).slice(0, lengths?.[b]) : undefined;
      if (classes === undefined) throw new Error(`${where} must be a class index (or one per time step), got ${target instanceof Tensor ? `a tensor of shape ${formatShape(target.shape)}` : describe(target)}`);
      if (lengths && Array.isArray(target) && target.length < lengths[b]) throw new Error(`${where} has ${target.length} class indices for a sequence of ${lengths[b]} steps`);
      const bad = classes.find((c) => !(Number.isInteger(c) && c >= 0 && c < K));
      if (bad !== undefined) throw new Error(`${where} = ${describe(bad)} is not a class index in [0, ${K}) (the net's output "${net.outputNames[0]}" has ${K} classes)`);
    } else if (typeof target === "number" && K !== 1) {
      throw new Error(mseNumber(where, target, K));
    } else if (lengths && target instanceof Tensor && target.size !== K && target.size !== K * lengths[b]) {
      throw new Error(`${where} has shape ${formatShape(target.shape)} but the net's output has ${K} values per sequence (or per step: [${lengths[b]}, ${K}])`);
    }
  });
}

/** An mse target given as one number for an output of K ≠ 1 values (class indices, most likely). */
function mseNumber(where: string, target: number, K: number): string {
  return `${where} = ${target} is one number, but the net's output has ${K} values per sequence; loss "mse" needs a target array of ${K} values (for class indices use loss "crossentropy")`;
}

/**
 * Targets against the form of the net's output, known from its first prediction: an output per sequence
 * ([B, K]) takes one class index (crossentropy) or K values (mse) per sequence; an output per time step
 * ([B, T, K]) takes a class index per step, or [Tᵢ, K] values. Errors name the target by its index in y.
 */
function checkTargetForm(loss: LossName, net: NetGraph, prediction: Tensor, targets: Targets, lengths: readonly number[] | undefined, y: string, caller = "trainNet"): void {
  const perStep = prediction.rank === 3, K = prediction.shape[prediction.rank - 1];
  const output = `the net's output "${net.outputNames[0]}" is ${perStep ? `per time step ([B, T, ${K}])` : `per sequence ([B, ${K}])`}`;
  targets.forEach((target, b) => {
    const where = `${caller}: ${y}[${b}]`;
    if (loss !== "mse") {
      if (perStep && !Array.isArray(target)) throw new Error(`${where} is one class index, but ${output}: give a class index per time step`);
      if (!perStep && Array.isArray(target)) throw new Error(`${where} holds ${target.length} class indices (one per time step), but ${output}: give one class index per sequence`);
      return;
    }
    if (typeof target === "number" && K !== 1) throw new Error(mseNumber(where, target, K));
    if (perStep && !lengths) return; // steps per example unknown: the loss checks each batch
    const size = typeof target === "number" ? 1 : (target as Tensor).size;
    const needed = perStep ? lengths![b] * K : K;
    if (size !== needed) {
      const shape = typeof target === "number" ? "one number" : `shape ${formatShape((target as Tensor).shape)}`;
      throw new Error(`${where} has ${shape} but ${output}: it needs ${perStep ? `[${lengths![b]}, ${K}] (${needed} values) for its ${lengths![b]} steps` : `${K} values`}`);
    }
  });
}

/** Channels of the net's first output (the class count), when the sizes can be inferred. */
function outputSizeOf(net: NetGraph): number | undefined {
  try {
    return net.inferSizes({})[net.outputNames[0]];
  } catch {
    return undefined;
  }
}

/**
 * The net's first output on a batch of ports, and its steps per example: the output's own lengths (those of
 * the port it follows: the decoder's in a sequence-to-sequence net), else the first port's.
 */
function outputOf(net: NetGraph, batch: Record<string, NetValue>, training: boolean, random: Random): { prediction: Tensor; steps: readonly number[] } {
  const out = net.forward(batch, { training, random })[net.outputNames[0]];
  return { prediction: out.x, steps: out.lengths ?? batch[net.inputNames[0]].lengths ?? new Array<number>(out.x.shape[0]).fill(out.x.shape[1]) };
}

/** How x[i] names a port in messages: x[i].port for a multi-input net, nothing for a one-input one. */
const portSuffix = (net: NetGraph, port: string): string => (net.inputNames.length > 1 ? `.${port}` : "");

/** Each example's length at `port` (its first axis), or undefined without a port. */
function lengthsAt(examples: readonly Example[], port: string | undefined): number[] | undefined {
  return port === undefined ? undefined : examples.map((e) => e[port].shape[0]);
}

/** The input port whose lengths a per-step output carries in this batch (the first, when several agree). */
function portOfSteps(batch: Record<string, NetValue>, steps: readonly number[]): string | undefined {
  return Object.keys(batch).find((p) => batch[p].lengths?.every((n, b) => n === steps[b]));
}

/** Loss "crossentropy-logits" takes logits: a net whose output is a softmaxLayer's is refused. */
function checkLogits(net: NetGraph, where: string): void {
  const source = net.outputSources[net.outputNames[0]];
  const last = source.node === undefined ? undefined : net.nodes[source.node];
  if (last?.kind === "softmaxLayer") throw new Error(`${where}: loss "crossentropy-logits" takes logits, but ${net.label}'s output comes from ${quote(source.node!)} (softmaxLayer); remove the softmaxLayer, or use loss "crossentropy" for probabilities`);
}

/** Class indices (per sequence or per step) for crossentropy; for mse, target tensors (or one number for a one-channel output). */
type Targets = number[] | number[][] | (Tensor | number)[];

/** An mse target's values: a tensor's, or the one number. */
const targetValues = (y: Tensor | number): ArrayLike<number> => (typeof y === "number" ? [y] : y.data);

function lossOf(loss: LossName, prediction: Tensor, targets: Targets, lengths: readonly number[]): Tensor {
  if (loss !== "mse") return (loss === "crossentropy" ? crossentropy : crossentropyLogits)(prediction, targets as number[] | number[][], prediction.rank === 3 ? lengths : undefined);
  const t = targets as (Tensor | number)[];
  if (prediction.rank === 3) {
    // pad targets like the predictions
    const [B, T, K] = prediction.shape;
    const data = new Float32Array(B * T * K);
    t.forEach((y, b) => data.set(targetValues(y), b * T * K));
    return mse(prediction, new Tensor(data, prediction.shape), lengths);
  }
  const data = new Float32Array(prediction.size);
  t.forEach((y, b) => data.set(targetValues(y), (b * prediction.size) / t.length));
  return mse(prediction, new Tensor(data, prediction.shape));
}

/**
 * Crossentropy takes probabilities: every value in [0, 1] and each row summing to 1 (a net ending in
 * softmaxLayer). Checked once, on the first mini-batch, so a net without softmax fails clearly instead of
 * training on a clipped log (a flat loss near 28 = −log 1e-12).
 */
function checkProbabilities(net: NetGraph, p: Tensor, where: string): true {
  const K = p.shape[p.rank - 1];
  for (let r = 0; r < p.size / K; r++) {
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const v = p.data[r * K + k];
      if (!(v >= 0 && v <= 1)) return notProbabilities(net, `it gives ${v}`, where);
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return notProbabilities(net, `a row of its output sums to ${sum.toPrecision(4)}`, where);
  }
  return true;
}

function notProbabilities(net: NetGraph, what: string, where: string): never {
  const last = net.order[net.order.length - 1];
  throw new Error(`${where}: loss "crossentropy" needs probabilities (values in [0, 1], each row summing to 1) from ${net.label}'s output, but ${what}; end the net with softmaxLayer() (its last node is ${quote(last)}, ${net.nodes[last].kind}), or use loss "crossentropy-logits" (for logits) or "mse"`);
}

/** Loss and (for classification) accuracy over a data set, without training behaviour. */
export function evaluate(net: NetGraph, data: TrainingData, loss: LossName = "crossentropy", miniBatchSize = 128): { loss: number; accuracy?: number } {
  checkNet(net, "evaluate");
  checkOneOf(loss, LOSSES, "evaluate", "loss");
  checkInteger(miniBatchSize, "evaluate", "miniBatchSize");
  const prepared = prepare(net, data, "data", loss, "evaluate");
  checkChannels(net, prepared, "", "evaluate");
  if (loss === "crossentropy-logits") checkLogits(net, "evaluate");
  return evaluatePrepared(net, prepared, loss, miniBatchSize, "evaluate");
}

/** `where` names the caller whose targets are still to be checked against the output's form (trainNet checks its own first). */
function evaluatePrepared(net: NetGraph, data: { x: Example[]; y: Targets }, loss: LossName, miniBatchSize: number, where?: string): { loss: number; accuracy?: number } {
  let total = 0, correct = 0, counted = 0;
  const random = new Random(0);
  for (let i = 0; i < data.x.length; i += miniBatchSize) {
    const indices = Array.from({ length: Math.min(miniBatchSize, data.x.length - i) }, (_, k) => i + k);
    const batch = portBatch(net, data.x, indices);
    const { prediction, steps } = outputOf(net, batch, false, random);
    if (i === 0 && where) {
      checkTargetForm(loss, net, prediction, data.y, lengthsAt(data.x, prediction.rank === 3 ? portOfSteps(batch, steps) : net.inputNames[0]), "y", where);
      if (loss === "crossentropy") checkProbabilities(net, prediction, where);
    }
    const targets = indices.map((k) => data.y[k]) as Targets;
    total += lossOf(loss, prediction, targets, steps).item() * indices.length;
    if (loss !== "mse") {
      const tally = countCorrect(prediction, targets, steps);
      correct += tally.correct;
      counted += tally.counted;
    }
  }
  return { loss: total / data.x.length, accuracy: loss !== "mse" ? (counted > 0 ? correct / counted : NaN) : undefined };
}

/**
 * Correct class predictions: per example for [B, K] outputs; per valid step (t < lengths[b]) for per-step
 * [B, T, K] outputs, so a sequence-to-sequence accuracy is the share of valid steps classified right.
 */
function countCorrect(prediction: Tensor, targets: Targets, lengths: readonly number[]): { correct: number; counted: number } {
  const classes = argmaxRows(prediction);
  let correct = 0, counted = 0;
  if (prediction.rank === 2) {
    classes.forEach((c, b) => { if (c === targets[b]) correct++; });
    return { correct, counted: classes.length };
  }
  const T = prediction.shape[1];
  targets.forEach((target, b) => {
    for (let t = 0; t < lengths[b]; t++, counted++) if (classes[b * T + t] === (target as readonly number[])[t]) correct++;
  });
  return { correct, counted };
}

/**
 * The data as examples (a tensor per input port), checked where they enter: sequences are [T ≥ 1, C] of finite
 * numbers with one channel count per port, other inputs finite, targets finite numbers (class indices or
 * regression values). Errors name x[i] (x[i].port for a multi-input net) and y[i].
 */
function prepare(net: NetGraph, data: TrainingData, what: string, loss: LossName, where = "trainNet"): { x: Example[]; y: Targets } {
  if (!data || typeof data !== "object" || !(Array.isArray(data.x) || isRecord(data.x)) || !Array.isArray(data.y)) {
    throw new Error(`${where}: ${what} must be { x: sequences, y: targets } with two arrays, got ${describe(data)}`);
  }
  const name = what === "training data" || what === "data" ? "" : `${what}.`;
  const x = examplesOf(net, data.x, where, `${name}x`);
  if (x.length !== data.y.length) throw new Error(`${where}: ${what} has ${x.length} sequences but ${data.y.length} targets`);
  if (x.length === 0) throw new Error(`${where}: ${what} is empty`);
  for (const port of net.inputNames) {
    const at = (i: number) => `${where}: ${name}x[${i}]${portSuffix(net, port)}`;
    const sequences = isSequencePort(net, port);
    x.forEach((e, i) => {
      const t = e[port];
      if (sequences && (t.rank !== 2 || t.shape[0] === 0 || t.shape[1] === 0)) throw new Error(`${at(i)} must be a sequence [T, C] with T, C ≥ 1, got ${formatShape(t.shape)}`);
      const bad = t.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        const C = t.shape[t.rank - 1] ?? 1;
        throw new Error(`${at(i)} holds ${t.data[bad]} at ${sequences ? `step ${Math.floor(bad / C)}, channel ${bad % C}` : `flat index ${bad}`}; training data must be finite`);
      }
      if (sequences && t.shape[1] !== x[0][port].shape[1]) throw new Error(`${at(i)} has ${t.shape[1]} channels, x[0]${portSuffix(net, port)} has ${x[0][port].shape[1]}`);
    });
  }
  const y = (data.y as unknown[]).map((v, i) => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new Error(`${where}: ${name}y[${i}] must be a finite number, got ${describe(v)}`);
      return v; // a class index, or (mse) the one value of a one-channel output
    }
    if (loss !== "mse" && Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === "number" && Number.isInteger(c))) return v; // class indices per step
    const t = asTensor(v as TensorLike, `${where}: ${name}y[${i}]`);
    const bad = t.data.findIndex((u) => !Number.isFinite(u));
    if (bad >= 0) throw new Error(`${where}: ${name}y[${i}] holds ${t.data[bad]} at flat index ${bad}; targets must be finite`);
    return t;
  }) as Targets;
  return { x, y };
}

/** Each sequence port's channel count against the input layer it feeds. */
function checkChannels(net: NetGraph, data: { x: Example[] }, name: string, where = "trainNet"): void {
  for (const port of net.inputNames) {
    const input = net.inputLayerOf(port);
    const C = data.x[0][port].shape.at(-1);
    if (input && input.inputSize !== C) {
      throw new Error(`${where}: ${name}x[0]${portSuffix(net, port)} has ${C} channels but the net's input layer (${input.label}) takes ${input.inputSize}`);
    }
  }
}

/** Per-channel mean and standard deviation over every valid time step. */
function channelStatistics(x: readonly Tensor[], C: number): [Float64Array, Float64Array] {
  const mean = new Float64Array(C), sq = new Float64Array(C);
  let n = 0;
  for (const s of x) {
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

/** Every option's type and range (MATLAB's trainingOptions ranges), so nothing is coerced or falls back silently. */
function checkOptions(o: Required<Omit<TrainingOptions, "validationData" | "onProgress" | "progressSink">> & Pick<TrainingOptions, "validationData" | "onProgress" | "progressSink">): void {
  const w = "trainNet";
  for (const k of ["maxEpochs", "miniBatchSize", "learnRateDropPeriod"] as const) checkInteger(o[k], w, k);
  checkOneOf(o.solver, ["adam", "sgdm", "rmsprop"], w, "solver");
  checkSolverOptions(o, w);
  if (o.validationPatience !== Infinity) checkInteger(o.validationPatience, w, "validationPatience", 1, "Infinity");
  checkOneOf(o.outputNetwork, ["last-iteration", "best-validation"], w, "outputNetwork");
  checkNumber(o.learnRateDropFactor, w, "learnRateDropFactor", { min: 0, max: 1 });
  checkOneOf(o.loss, LOSSES, w, "loss");
  checkOneOf(o.learnRateSchedule, ["none", "piecewise"], w, "learnRateSchedule");
  checkOneOf(o.shuffle, ["every-epoch", "once", "never"], w, "shuffle");
  checkOneOf(o.sequenceOrder, ["none", "sort"], w, "sequenceOrder");
  checkSeed(o.seed, w);
  checkBoolean(o.verbose, w, "verbose");
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new Error(`trainNet: onProgress must be a function, got ${describe(o.onProgress)}`);
  if (o.progressSink !== undefined && (o.progressSink === null || typeof o.progressSink !== "object")) throw new Error(`trainNet: progressSink must be an object { iteration?, epoch? }, got ${describe(o.progressSink)}`);
}
