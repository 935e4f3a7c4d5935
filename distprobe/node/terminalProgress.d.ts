import type { ProgressInfo, ProgressSink } from "../train/progress.js";
/** A {@link ProgressSink} that writes to a Node stream (default process.stderr). */
export declare class TerminalProgress implements ProgressSink {
    private readonly stream;
    private lastDraw;
    constructor(stream?: NodeJS.WriteStream);
    private get interactive();
    /** After each iteration: redraws the bar (at most ~10 times a second). */
    iteration(info: ProgressInfo): void;
    /** After each epoch: a plain line (on a terminal, after clearing the bar). */
    epoch(info: ProgressInfo): void;
}
/** m:ss, or --:-- when unknown. */
export declare function formatTime(seconds: number): string;
