// Checks of values where they enter the library. Every check takes `where` (the function or layer, e.g.
// `selfAttentionLayer "enc1"`) and `what` (the option or port) and throws
//   `${where}: ${what} must be <expected>, got <received>`
// with the received value described exactly (NaN, "3" with its quotes, an array, null, …).
import { quote } from "./text.js";

/** A received value as a message shows it: 2.5, NaN, "abc", null, undefined, an array of 3, an object, a function. */
export function describe(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return quote(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return "a symbol";
  if (Array.isArray(v)) return v.length <= 6 && v.every((x) => typeof x !== "object" || x === null) ? `[${v.map(describe).join(", ")}]` : `an array of ${v.length}`;
  const name = (v as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

function fail(where: string, what: string, expected: string, got: unknown): never {
  throw new Error(`${where}: ${what} must be ${expected}, got ${describe(got)}`);
}

/** A number (not a numeric string), finite unless allowed otherwise, optionally within [min, max] or (min, max). */
export function checkNumber(
  v: unknown, where: string, what: string,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; orElse?: string } = {},
): number {
  const { min, max, minExclusive = false, maxExclusive = false, orElse } = range;
  const expected = min !== undefined && max !== undefined ? `in ${minExclusive ? "(" : "["}${min}, ${max}${maxExclusive ? ")" : "]"} (a number)`
    : `a finite number${min !== undefined ? (minExclusive ? ` > ${min}` : ` ≥ ${min}`) : max !== undefined ? (maxExclusive ? ` < ${max}` : ` ≤ ${max}`) : ""}${orElse ? ` or ${orElse}` : ""}`;
  if (typeof v !== "number" || !Number.isFinite(v)) fail(where, what, expected, v);
  if (min !== undefined && (minExclusive ? !(v > min) : !(v >= min))) fail(where, what, expected, v);
  if (max !== undefined && (maxExclusive ? !(v < max) : !(v <= max))) fail(where, what, expected, v);
  return v;
}

/** An integer ≥ min (default 1); `orElse` names an accepted special value for the message ("Infinity", '"auto"'). */
export function checkInteger(v: unknown, where: string, what: string, min = 1, orElse?: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    fail(where, what, `${min === 1 ? "a positive integer" : `an integer ≥ ${min}`}${orElse ? ` or ${orElse}` : ""}`, v);
  }
  return v;
}

export function checkBoolean(v: unknown, where: string, what: string): boolean {
  if (typeof v !== "boolean") fail(where, what, "true or false", v);
  return v;
}

export function checkString(v: unknown, where: string, what: string): string {
  if (typeof v !== "string") fail(where, what, "a string", v);
  return v;
}

/** One of the listed values (compared with ===). */
export function checkOneOf<T extends string | number | boolean>(v: unknown, allowed: readonly T[], where: string, what: string): T {
  if (!allowed.includes(v as T)) fail(where, what, allowed.map((a) => JSON.stringify(a)).join(", ").replace(/, ([^,]*)$/, " or $1"), v);
  return v as T;
}

/** An optional value: undefined gives the default, anything else goes through the check. */
export function optional<T>(v: unknown, fallback: T, check: (v: unknown) => T): T {
  return v === undefined ? fallback : check(v);
}

/** The largest seed: seeds are the integers 0 … 2³² − 1, each giving its own numbers (the generators' state is 32-bit). */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * The one rule for every seed in the library (initialize, apply, dropout, trainNet, the CLI): an integer in
 * [0, MAX_SEED]. Anything else is refused rather than floored or reduced mod 2³², which would alias seeds.
 */
export function checkSeed(v: unknown, where: string, what = "seed"): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_SEED) fail(where, what, `an integer in [0, ${MAX_SEED}]`, v);
  return v;
}

/** An object that is neither null nor an array (a record of named values). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A plain options object (or undefined). */
export function checkOptionsObject(v: unknown, where: string): void {
  if (v !== undefined && !isRecord(v)) fail(where, "options", "an object", v);
}

/**
 * A plain options object (or undefined) with only the allowed names: unknown names are errors, not silently
 * ignored typos ({ casual: true } instead of { causal: true }); the message suggests a close allowed name.
 */
export function checkOptionNames(options: unknown, allowed: readonly string[], where: string): void {
  checkOptionsObject(options, where);
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue; // { name: undefined } is the same as leaving it out
    if (!allowed.includes(key)) {
      const close = allowed.find((a) => a.toLowerCase() === key.toLowerCase() || a.startsWith(key) || editDistance(a, key) <= Math.max(2, Math.floor(key.length / 4)));
      throw new Error(`${where}: unknown option ${describe(key)}${close ? ` (did you mean "${close}"?)` : ""}; options: ${allowed.join(", ")}`);
    }
  }
}

/** The options of a layer's or net's apply: training (true/false), seed, and the caller's other boolean options, checked first; unknown names are errors. */
export function checkApplyOptions(options: object | undefined, where: string, booleans: readonly string[] = []): void {
  checkOptionNames(options, [...booleans, "training", "seed"], where);
  const o = (options ?? {}) as Record<string, unknown>;
  for (const name of [...booleans, "training"]) if (o[name] !== undefined) checkBoolean(o[name], where, name);
  if (o.seed !== undefined) checkSeed(o.seed, where);
}

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}
