// The library's warning sink: where it reports what it did instead of what was asked (a fallback), never
// an error. By default console.warn; setWarningSink redirects (a logger, a test's array) or silences (() => {}).

/** Receives each warning's text. */
export type WarningSink = (message: string) => void;

const consoleSink: WarningSink = (message) => console.warn(message);
let sink: WarningSink = consoleSink;
const given = new Set<string>();

/** Sends the library's warnings to `handler` (e.g. a logger, or `() => {}` to silence them); `undefined` restores console.warn. */
export function setWarningSink(handler: WarningSink | undefined): void {
  if (handler !== undefined && typeof handler !== "function") throw new Error(`setWarningSink: handler must be a function or undefined, got ${typeof handler}`);
  sink = handler ?? consoleSink;
}

/** Reports `message` once per `key` for the life of the process. */
export function warnOnce(key: string, message: string): void {
  if (given.has(key)) return;
  given.add(key);
  sink(message);
}
