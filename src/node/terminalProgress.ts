// Training progress on a Node stream: a bar with ETA redrawn in place on a terminal, one plain line per
// epoch otherwise. The Node entry's trainNet uses it by default (on process.stderr).
import type { ProgressInfo, ProgressSink } from "../train/progress.js";

const pct = (a?: number) => (a === undefined ? "" : `${(100 * a).toFixed(1)}%`);

/**
 * What TerminalProgress writes to: the part of a Node stream it uses, as a structural type, so the published
 * types need no @types/node (process.stderr, a tty.WriteStream or any object with write() fits).
 */
export interface ProgressStream {
  write(text: string): unknown;
  /** true on a terminal: the bar is redrawn in place */
  isTTY?: boolean;
  /** the terminal's width */
  columns?: number;
}

/** A {@link ProgressSink} that writes to a Node stream (default process.stderr). */
export class TerminalProgress implements ProgressSink {
  private lastDraw = 0;
  constructor(private readonly stream: ProgressStream = process.stderr) {}

  private get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  /** After each iteration: redraws the bar (at most ~10 times a second). */
  iteration(info: ProgressInfo): void {
    if (!this.interactive) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && info.iteration < info.iterationsPerEpoch) return;
    this.lastDraw = now;
    const total = info.maxEpochs * info.iterationsPerEpoch;
    const done = (info.epoch - 1) * info.iterationsPerEpoch + info.iteration;
    const width = 28;
    const filled = Math.round((width * done) / total);
    const eta = done > 0 ? (info.elapsedSeconds * (total - done)) / done : NaN;
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const line = `epoch ${info.epoch}/${info.maxEpochs} ${bar} ${Math.round((100 * done) / total)}%  loss ${info.loss.toFixed(4)}  ${formatTime(info.elapsedSeconds)} elapsed, ETA ${formatTime(eta)}`;
    this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\x1b[K`);
  }

  /** After each epoch: a plain line (on a terminal, after clearing the bar). */
  epoch(info: ProgressInfo): void {
    const parts = [`epoch ${String(info.epoch).padStart(String(info.maxEpochs).length)}/${info.maxEpochs}`, `loss ${info.loss.toFixed(4)}`];
    if (info.accuracy !== undefined) parts.push(`accuracy ${pct(info.accuracy)}`);
    if (info.validationLoss !== undefined) parts.push(`validation loss ${info.validationLoss.toFixed(4)}`);
    if (info.validationAccuracy !== undefined) parts.push(`validation accuracy ${pct(info.validationAccuracy)}`);
    parts.push(`${formatTime(info.elapsedSeconds)}`);
    this.stream.write(`${this.interactive ? "\r\x1b[K" : ""}${parts.join("  ")}\n`);
  }
}

/** m:ss, or --:-- when unknown. */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
