// Option checks shared by the layer constructors; messages name the layer and the option. They are the
// generic checks of src/util/validate.ts with the layer's label as the place.
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionsObject, checkString } from "../util/validate.js";
import { checkName } from "../util/text.js";
import type { Layer } from "./layer.js";

export function checkPositiveInteger(n: unknown, what: string, layer: Layer): number {
  return checkInteger(n, layer.label, what);
}

export function checkFactor(n: unknown, what: string, layer: Layer): void {
  if (n !== undefined) checkNumber(n, layer.label, what, { min: 0 });
}

export function checkProbability(p: unknown, what: string, layer: Layer): number {
  return checkNumber(p, layer.label, what, { min: 0, max: 1, maxExclusive: true });
}

/** An optional boolean option (default `fallback`): "false" or 0 are errors, not truthy or falsy. */
export function booleanOption(v: unknown, fallback: boolean, what: string, layer: Layer): boolean {
  return v === undefined ? fallback : checkBoolean(v, layer.label, what);
}

/** An optional enum option (default: the first allowed value). */
export function enumOption<T extends string>(v: unknown, allowed: readonly T[], what: string, layer: Layer): T {
  return v === undefined ? allowed[0] : checkOneOf(v, allowed, layer.label, what);
}

/** A positive integer or "auto" (default "auto"). */
export function sizeOrAuto(v: unknown, what: string, layer: Layer): number | "auto" {
  return v === undefined || v === "auto" ? "auto" : checkInteger(v, layer.label, what, 1, '"auto"');
}

/**
 * The start of every layer constructor: options must be an object and `name` a string that obeys the name
 * rule (checkName: at most 1000 characters, no NUL, no lone surrogates). Returns the name,
 * which the caller assigns before any other check so that messages carry it.
 */
export function layerName(options: unknown, kind: string): string {
  checkOptionsObject(options, kind);
  const name = (options as { name?: unknown } | undefined)?.name;
  return name === undefined ? "" : checkName(checkString(name, kind, "name"), kind, "name");
}

/** Makes properties read-only at run time too (assigning one throws a TypeError), as MATLAB's are. */
export function makeReadOnly(object: object, names: readonly string[]): void {
  for (const name of names) Object.defineProperty(object, name, { writable: false, configurable: false });
}
