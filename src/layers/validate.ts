// Option checks shared by the layer constructors; messages name the layer and the option.
import type { Layer } from "./layer.js";

export function checkPositiveInteger(n: unknown, what: string, layer: Layer): number {
  if (!Number.isInteger(n) || (n as number) < 1) throw layer.error(`${what} must be a positive integer, got ${JSON.stringify(n)}`);
  return n as number;
}

export function checkFactor(n: unknown, what: string, layer: Layer): void {
  if (n !== undefined && (typeof n !== "number" || !Number.isFinite(n) || n < 0)) {
    throw layer.error(`${what} must be a non-negative number, got ${JSON.stringify(n)}`);
  }
}

export function checkProbability(p: unknown, what: string, layer: Layer): number {
  if (typeof p !== "number" || !(p >= 0 && p < 1)) throw layer.error(`${what} must be in [0, 1), got ${JSON.stringify(p)}`);
  return p;
}

/** Makes properties read-only at run time too (assigning one throws a TypeError), as MATLAB's are. */
export function makeReadOnly(object: object, names: readonly string[]): void {
  for (const name of names) Object.defineProperty(object, name, { writable: false, configurable: false });
}

/** Fixes an "auto" size from data, or checks a known one: `input "in" has 10 channels but inputSize is 12`. */
export function fixInputSize(layer: Layer, current: number | "auto", channels: number, detail?: string): number {
  if (current !== "auto" && current !== channels) {
    throw layer.error(`input "in" has ${channels} channels but inputSize is ${current}${detail ? ` (${detail})` : ""}`);
  }
  return channels;
}
