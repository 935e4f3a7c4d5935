// trainNet(net, { x, y }, options): MATLAB trainnet + trainingOptions in one call. Mini-batches of
// varying-length sequences are padded and carry their lengths, so every layer ignores the padding.
// Returns the trained net (trained in place) and the per-epoch history.
import { Layer } from "../layers/layer.js";
import { NetGraph } from "../nets/netGraph.js";
import { valueAndGrad } from "../tensor/autodiff.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor, asTensor } from "../tensor/tensor.js";
import { checkOptionNames } from "../util/checkOptions.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionsObject, checkSeed, describe } from "../util/validate.js";
import { epochBatches, sequenceBatch } from "./batching.js";
import { argmaxRows, crossentropy, mse } from "./losses.js";
import { Optimizer } from "./optimizers.js";
const DEFAULTS = {
    loss: "crossentropy", solver: "adam", maxEpochs: 30, miniBatchSize: 128, learnRate: 0.001, learnRateSchedule: "none",
    learnRateDropFactor: 0.1, learnRateDropPeriod: 10, l2Regularization: 1e-4, momentum: 0.9, gradientDecayFactor: 0.9,
    squaredGradientDecayFactor: 0.999, epsilon: 1e-8, gradientThreshold: Infinity, gradientThresholdMethod: "l2norm",
    shuffle: "every-epoch", sequenceOrder: "none", seed: 0, verbose: true, validationPatience: Infinity, outputNetwork: "last-iteration",
};
export function trainNet(net, data, options = {}) {
    const given = net;
    if (!(given instanceof NetGraph))
        throw new Error(`trainNet: net must be a netChain or netGraph, got ${given instanceof Layer ? `a single ${given.label}; wrap it in netChain([...])` : describe(given)}`);
    checkOptionsObject(options, "trainNet");
    checkOptionNames(options, [...Object.keys(DEFAULTS), "validationData", "onProgress", "progressSink"], "trainNet");
    const o = { ...DEFAULTS, ...options };
    checkOptions(o);
    const train = prepare(data, "training data");
    const validation = o.validationData ? prepare(o.validationData, "validationData") : undefined;
    checkChannels(net, train, "");
    if (validation)
        checkChannels(net, validation, "validationData.");
    if (!validation && (o.outputNetwork === "best-validation" || o.validationPatience !== Infinity)) {
        throw new Error(`trainNet: ${o.outputNetwork === "best-validation" ? 'outputNetwork "best-validation"' : "validationPatience"} needs validationData`);
    }
    const random = new Random(o.seed);
    // z-score statistics of the input layers come from the training data (as MATLAB's trainnet does)
    for (const layer of net.inputLayers)
        if (layer.needsStatistics)
            layer.setStatistics(...channelStatistics(train.x, layer.inputSize));
    if (!net.isInitialized)
        net.initialize({ seed: random.seed() });
    const parameters = Object.entries(net.parameters).map(([name, tensor]) => {
        const f = net.parameterFactors(name);
        return { name, tensor, learnRateFactor: f.learnRate, l2Factor: f.l2 };
    });
    const optimizer = new Optimizer(o);
    const outputSize = outputSizeOf(net);
    const sink = o.verbose ? o.progressSink : undefined;
    const history = {
        epoch: [], loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], seconds: [], stoppedBy: "max-epochs", outputEpoch: 0,
    };
    let best = { loss: Infinity, epoch: 0, weights: undefined };
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
            const targets = indices.map((i) => train.y[i]);
            checkTargets(o.loss, net, outputSize, indices, targets, batch.lengths, "y");
            let prediction;
            const { value, grads } = valueAndGrad(() => {
                prediction = outputOf(net, batch, true, random);
                if (!checkedProbabilities)
                    checkedProbabilities = checkProbabilities(net, prediction);
                return lossOf(o.loss, prediction, targets, batch.lengths);
            }, parameters.map((p) => p.tensor));
            if (!Number.isFinite(value))
                throw diverged(`the loss became ${value}`, epoch, iteration + 1);
            const before = parameters.map((p) => p.tensor.data.slice());
            optimizer.step(parameters, grads, learnRate);
            const broken = parameters.find((p) => !p.tensor.data.every(Number.isFinite));
            if (broken) {
                parameters.forEach((p, i) => p.tensor.data.set(before[i])); // keep the last finite weights
                const bad = broken.tensor.data.find((v) => !Number.isFinite(v));
                throw diverged(`the weights became non-finite (${bad} in "${broken.name}")`, epoch, iteration + 1);
            }
            lossSum += value * indices.length;
            if (o.loss === "crossentropy" && prediction.rank === 2) {
                argmaxRows(prediction).forEach((c, b) => { if (c === targets[b])
                    correct++; });
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
        const info = {
            ...progress(epoch, batches.length, batches.length, loss, start),
            accuracy: Number.isNaN(accuracy) ? undefined : accuracy,
            validationLoss: val?.loss, validationAccuracy: val?.accuracy,
        };
        history.outputEpoch = epoch;
        sink?.epoch?.(info);
        if (val && val.loss < best.loss)
            best = { loss: val.loss, epoch, weights: o.outputNetwork === "best-validation" ? parameters.map((p) => p.tensor.data.slice()) : undefined };
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
        parameters.forEach((p, i) => p.tensor.data.set(best.weights[i]));
        history.outputEpoch = best.epoch;
    }
    return { net, history };
    function progress(epoch, iteration, iterationsPerEpoch, loss, t0) {
        return { epoch, maxEpochs: o.maxEpochs, iteration, iterationsPerEpoch, loss, elapsedSeconds: (performance.now() - t0) / 1000 };
    }
}
/** Divergence: training stops with the weights of the last good iteration. */
function diverged(what, epoch, iteration) {
    return new Error(`trainNet: ${what} at epoch ${epoch}, iteration ${iteration}; the net keeps the last finite weights (from before this iteration). Lower learnRate, set gradientThreshold, or check the data`);
}
/**
 * Targets against the net's output size, named by their index in y (not in the shuffled batch): class
 * indices in [0, K) for crossentropy (one per sequence, or one per valid step), and for mse as many values
 * as the output has per sequence (or per step).
 */
function checkTargets(loss, net, K, indices, targets, lengths, y) {
    if (K === undefined || !Number.isInteger(K))
        return; // sizes not inferable without data: the loss checks the shapes
    targets.forEach((target, b) => {
        const where = `trainNet: ${y}[${indices[b]}]`;
        if (loss === "crossentropy") {
            const classes = typeof target === "number" ? [target] : Array.isArray(target) ? target.slice(0, lengths[b]) : undefined;
            if (classes === undefined)
                throw new Error(`${where} must be a class index (or one per time step), got a tensor`);
            if (Array.isArray(target) && target.length < lengths[b])
                throw new Error(`${where} has ${target.length} class indices for a sequence of ${lengths[b]} steps`);
            const bad = classes.find((c) => !(Number.isInteger(c) && c >= 0 && c < K));
            if (bad !== undefined)
                throw new Error(`${where} = ${describe(bad)} is not a class index in [0, ${K}) (the net's output "${net.outputNames[0]}" has ${K} classes)`);
        }
        else if (target instanceof Tensor && target.size !== K && target.size !== K * lengths[b]) {
            throw new Error(`${where} has shape ${formatShape(target.shape)} but the net's output has ${K} values per sequence (or per step: [${lengths[b]}, ${K}])`);
        }
    });
}
/** Channels of the net's first output (the class count), when the sizes can be inferred. */
function outputSizeOf(net) {
    try {
        return net.inferSizes({})[net.outputNames[0]];
    }
    catch {
        return undefined;
    }
}
/** The net's first output on a padded batch. */
function outputOf(net, batch, training, random) {
    return net.forward({ [net.inputNames[0]]: batch }, { training, random })[net.outputNames[0]].x;
}
function lossOf(loss, prediction, targets, lengths) {
    if (loss === "crossentropy")
        return crossentropy(prediction, targets, prediction.rank === 3 ? lengths : undefined);
    const t = targets;
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
function checkProbabilities(net, p) {
    const K = p.shape[p.rank - 1];
    for (let r = 0; r < p.size / K; r++) {
        let sum = 0;
        for (let k = 0; k < K; k++) {
            const v = p.data[r * K + k];
            if (!(v >= 0 && v <= 1))
                return notProbabilities(net, `it gives ${v}`);
            sum += v;
        }
        if (Math.abs(sum - 1) > 1e-3)
            return notProbabilities(net, `a row of its output sums to ${sum.toPrecision(4)}`);
    }
    return true;
}
function notProbabilities(net, what) {
    const last = net.order[net.order.length - 1];
    throw new Error(`trainNet: loss "crossentropy" needs probabilities (values in [0, 1], each row summing to 1) from ${net.label}'s output, but ${what}; end the net with softmaxLayer() (its last node is "${last}", ${net.nodes[last].kind}) or use loss "mse"`);
}
/** Loss and (for classification) accuracy over a data set, without training behaviour. */
export function evaluate(net, data, loss = "crossentropy", miniBatchSize = 128) {
    const given = net;
    if (!(given instanceof NetGraph))
        throw new Error(`evaluate: net must be a netChain or netGraph, got ${describe(given)}`);
    checkOneOf(loss, ["crossentropy", "mse"], "evaluate", "loss");
    checkInteger(miniBatchSize, "evaluate", "miniBatchSize");
    const prepared = prepare(data, "data", "evaluate");
    checkChannels(net, prepared, "", "evaluate");
    return evaluatePrepared(net, prepared, loss, miniBatchSize);
}
function evaluatePrepared(net, data, loss, miniBatchSize) {
    let total = 0, correct = 0;
    const random = new Random(0);
    for (let i = 0; i < data.x.length; i += miniBatchSize) {
        const indices = Array.from({ length: Math.min(miniBatchSize, data.x.length - i) }, (_, k) => i + k);
        const batch = sequenceBatch(data.x, indices);
        const prediction = outputOf(net, batch, false, random);
        const targets = indices.map((k) => data.y[k]);
        total += lossOf(loss, prediction, targets, batch.lengths).item() * indices.length;
        if (loss === "crossentropy" && prediction.rank === 2)
            argmaxRows(prediction).forEach((c, b) => { if (c === targets[b])
                correct++; });
    }
    return { loss: total / data.x.length, accuracy: loss === "crossentropy" ? correct / data.x.length : undefined };
}
/**
 * The data as tensors, checked where they enter: sequences are [T ≥ 1, C] of finite numbers with one channel
 * count, targets are finite numbers (class indices or regression values). Errors name x[i] / y[i].
 */
function prepare(data, what, where = "trainNet") {
    if (!data || typeof data !== "object" || !Array.isArray(data.x) || !Array.isArray(data.y)) {
        throw new Error(`${where}: ${what} must be { x: sequences, y: targets } with two arrays, got ${describe(data)}`);
    }
    if (data.x.length !== data.y.length)
        throw new Error(`${where}: ${what} has ${data.x.length} sequences but ${data.y.length} targets`);
    if (data.x.length === 0)
        throw new Error(`${where}: ${what} is empty`);
    const name = what === "training data" || what === "data" ? "" : `${what}.`;
    const x = data.x.map((s, i) => {
        const t = asTensor(s, `${where}: ${name}x[${i}]`);
        if (t.rank !== 2 || t.shape[0] === 0 || t.shape[1] === 0)
            throw new Error(`${where}: ${name}x[${i}] must be a sequence [T, C] with T, C ≥ 1, got ${formatShape(t.shape)}`);
        const bad = t.data.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) {
            const C = t.shape[1];
            throw new Error(`${where}: ${name}x[${i}] holds ${t.data[bad]} at step ${Math.floor(bad / C)}, channel ${bad % C}; training data must be finite`);
        }
        return t;
    });
    const C = x[0].shape[1];
    x.forEach((t, i) => { if (t.shape[1] !== C)
        throw new Error(`${where}: ${name}x[${i}] has ${t.shape[1]} channels, x[0] has ${C}`); });
    const y = data.y.map((v, i) => {
        if (typeof v === "number") {
            if (!Number.isFinite(v))
                throw new Error(`${where}: ${name}y[${i}] must be a finite number, got ${describe(v)}`);
            return v;
        }
        if (Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === "number" && Number.isInteger(c)))
            return v; // class indices per step
        const t = asTensor(v, `${where}: ${name}y[${i}]`);
        const bad = t.data.findIndex((u) => !Number.isFinite(u));
        if (bad >= 0)
            throw new Error(`${where}: ${name}y[${i}] holds ${t.data[bad]} at flat index ${bad}; targets must be finite`);
        return t;
    });
    return { x, y };
}
/** The sequences' channel count against the net's input layer. */
function checkChannels(net, data, name, where = "trainNet") {
    const input = net.inputLayers[0];
    const C = data.x[0].shape[1];
    if (input && input.inputSize !== C) {
        throw new Error(`${where}: ${name}x[0] has ${C} channels but the net's input layer (${input.label}) takes ${input.inputSize}`);
    }
}
/** Per-channel mean and standard deviation over every valid time step. */
function channelStatistics(x, C) {
    const mean = new Float64Array(C), sq = new Float64Array(C);
    let n = 0;
    for (const s of x) {
        if (s.shape[1] !== C)
            throw new Error(`trainNet: sequences have ${s.shape[1]} channels but the input layer expects ${C}`);
        for (let t = 0; t < s.shape[0]; t++)
            for (let c = 0; c < C; c++) {
                const v = s.data[t * C + c];
                mean[c] += v;
                sq[c] += v * v;
            }
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
function checkOptions(o) {
    const w = "trainNet";
    for (const k of ["maxEpochs", "miniBatchSize", "learnRateDropPeriod"])
        checkInteger(o[k], w, k);
    if (o.validationPatience !== Infinity)
        checkInteger(o.validationPatience, w, "validationPatience", 1, "Infinity");
    checkOneOf(o.outputNetwork, ["last-iteration", "best-validation"], w, "outputNetwork");
    checkNumber(o.learnRate, w, "learnRate", { min: 0, minExclusive: true });
    checkNumber(o.learnRateDropFactor, w, "learnRateDropFactor", { min: 0, max: 1 });
    checkNumber(o.l2Regularization, w, "l2Regularization", { min: 0 });
    checkNumber(o.momentum, w, "momentum", { min: 0, max: 1, maxExclusive: true });
    checkNumber(o.gradientDecayFactor, w, "gradientDecayFactor", { min: 0, max: 1, maxExclusive: true });
    checkNumber(o.squaredGradientDecayFactor, w, "squaredGradientDecayFactor", { min: 0, max: 1, maxExclusive: true });
    checkNumber(o.epsilon, w, "epsilon", { min: 0, minExclusive: true });
    if (o.gradientThreshold !== Infinity)
        checkNumber(o.gradientThreshold, w, "gradientThreshold", { min: 0, minExclusive: true, orElse: "Infinity" });
    checkOneOf(o.gradientThresholdMethod, ["l2norm", "global-l2norm"], w, "gradientThresholdMethod");
    checkOneOf(o.solver, ["adam", "sgdm"], w, "solver");
    checkOneOf(o.loss, ["crossentropy", "mse"], w, "loss");
    checkOneOf(o.learnRateSchedule, ["none", "piecewise"], w, "learnRateSchedule");
    checkOneOf(o.shuffle, ["every-epoch", "once", "never"], w, "shuffle");
    checkOneOf(o.sequenceOrder, ["none", "sort"], w, "sequenceOrder");
    checkSeed(o.seed, w);
    checkBoolean(o.verbose, w, "verbose");
    if (o.onProgress !== undefined && typeof o.onProgress !== "function")
        throw new Error(`trainNet: onProgress must be a function, got ${describe(o.onProgress)}`);
    if (o.progressSink !== undefined && (o.progressSink === null || typeof o.progressSink !== "object"))
        throw new Error(`trainNet: progressSink must be an object { iteration?, epoch? }, got ${describe(o.progressSink)}`);
}
