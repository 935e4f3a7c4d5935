/** Where training stands: sent to a {@link ProgressSink} and to `onProgress`. */
export interface ProgressInfo {
    epoch: number;
    maxEpochs: number;
    iteration: number;
    iterationsPerEpoch: number;
    /** mini-batch loss after an iteration; mean training loss after an epoch */
    loss: number;
    accuracy?: number;
    validationLoss?: number;
    validationAccuracy?: number;
    elapsedSeconds: number;
}
/** Receives training progress; both methods are optional. */
export interface ProgressSink {
    /** after each mini-batch step */
    iteration?(info: ProgressInfo): void;
    /** after each epoch (and its validation, if any) */
    epoch?(info: ProgressInfo): void;
}
