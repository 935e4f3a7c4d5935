import type { NetGraph } from "../nets/netGraph.js";
import { type TrainingData, type TrainingHistory, type TrainingOptions } from "../train/trainNet.js";
/** trainNet with `progressSink` defaulting to a progress bar on process.stderr (pass `verbose: false` for silence). */
export declare function trainNet<N extends NetGraph>(net: N, data: TrainingData, options?: TrainingOptions): {
    net: N;
    history: TrainingHistory;
};
