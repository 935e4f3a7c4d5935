import { trainNet as train } from "../train/trainNet.js";
import { TerminalProgress } from "./terminalProgress.js";
/** trainNet with `progressSink` defaulting to a progress bar on process.stderr (pass `verbose: false` for silence). */
export function trainNet(net, data, options = {}) {
    return train(net, data, { progressSink: new TerminalProgress(process.stderr), ...options });
}
