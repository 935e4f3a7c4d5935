// The Node entry's trainNet: the library's trainNet with progress on the terminal (process.stderr) by default.
import type { NetGraph } from "../nets/netGraph.js";
import { trainNet as train, type TrainingData, type TrainingHistory, type TrainingOptions } from "../train/trainNet.js";
import { TerminalProgress } from "./terminalProgress.js";

/**
 * trainNet with `progressSink` defaulting to a progress bar on process.stderr; `verbose: false` drops that default
 * (a progressSink given explicitly still receives progress).
 */
export function trainNet<N extends NetGraph>(net: N, data: TrainingData, options: TrainingOptions = {}): { net: N; history: TrainingHistory } {
  return train(net, data, { ...(options.verbose === false ? {} : { progressSink: new TerminalProgress(process.stderr) }), ...options });
}
