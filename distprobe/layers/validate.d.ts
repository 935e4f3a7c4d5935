import type { Layer } from "./layer.js";
export declare function checkPositiveInteger(n: unknown, what: string, layer: Layer): number;
export declare function checkFactor(n: unknown, what: string, layer: Layer): void;
export declare function checkProbability(p: unknown, what: string, layer: Layer): number;
/** An optional boolean option (default `fallback`): "false" or 0 are errors, not truthy or falsy. */
export declare function booleanOption(v: unknown, fallback: boolean, what: string, layer: Layer): boolean;
/** An optional enum option (default: the first allowed value). */
export declare function enumOption<T extends string>(v: unknown, allowed: readonly T[], what: string, layer: Layer): T;
/** A positive integer or "auto" (default "auto"). */
export declare function sizeOrAuto(v: unknown, what: string, layer: Layer): number | "auto";
/**
 * The start of every layer constructor: options must be an object and `name` a string. Returns the name,
 * which the caller assigns before any other check so that messages carry it.
 */
export declare function layerName(options: unknown, kind: string): string;
/** Makes properties read-only at run time too (assigning one throws a TypeError), as MATLAB's are. */
export declare function makeReadOnly(object: object, names: readonly string[]): void;
/** Fixes an "auto" size from data, or checks a known one: `input "in" has 10 channels but inputSize is 12`. */
export declare function fixInputSize(layer: Layer, current: number | "auto", channels: number, detail?: string): number;
