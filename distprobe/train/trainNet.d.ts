import { NetGraph } from "../nets/netGraph.js";
import { type TensorLike } from "../tensor/tensor.js";
import { type ShuffleMode } from "./batching.js";
import type { ProgressInfo, ProgressSink } from "./progress.js";
/** Training or validation data: sequences x ([Tᵢ, C] each) and targets y (class indices per sequence or per step, or target arrays). */
export interface TrainingData {
    /** sequences [Tᵢ, C] */
    x: readonly TensorLike[];
    /** class indices (0-based) per sequence or per time step, or regression targets */
    y: readonly number[] | readonly (readonly number[])[] | readonly TensorLike[];
}
/** trainNet's options, MATLAB trainingOptions in camelCase (solver, epochs, batch size, learn-rate schedule, L2, clipping, validation, progress). */
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
/** Per-epoch training record: losses, accuracies, validation figures, elapsed seconds, why training stopped and whose weights the net holds. */
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
export declare function trainNet<N extends NetGraph>(net: N, data: TrainingData, options?: TrainingOptions): {
    net: N;
    history: TrainingHistory;
};
/** Loss and (for classification) accuracy over a data set, without training behaviour. */
export declare function evaluate(net: NetGraph, data: TrainingData, loss?: "crossentropy" | "mse", miniBatchSize?: number): {
    loss: number;
    accuracy?: number;
};
