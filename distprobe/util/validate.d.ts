/** A received value as a message shows it: 2.5, NaN, "abc", null, undefined, an array of 3, an object, a function. */
export declare function describe(v: unknown): string;
/** A number (not a numeric string), finite unless allowed otherwise, optionally within [min, max] or (min, max). */
export declare function checkNumber(v: unknown, where: string, what: string, range?: {
    min?: number;
    max?: number;
    minExclusive?: boolean;
    maxExclusive?: boolean;
    orElse?: string;
}): number;
/** An integer ≥ min (default 1); `orElse` names an accepted special value for the message ("Infinity", '"auto"'). */
export declare function checkInteger(v: unknown, where: string, what: string, min?: number, orElse?: string): number;
export declare function checkBoolean(v: unknown, where: string, what: string): boolean;
export declare function checkString(v: unknown, where: string, what: string): string;
/** One of the listed values (compared with ===). */
export declare function checkOneOf<T extends string | number | boolean>(v: unknown, allowed: readonly T[], where: string, what: string): T;
/** An optional value: undefined gives the default, anything else goes through the check. */
export declare function optional<T>(v: unknown, fallback: T, check: (v: unknown) => T): T;
/** A seed: any finite number (it is floored). */
export declare function checkSeed(v: unknown, where: string, what?: string): number;
/** A plain options object (or undefined). */
export declare function checkOptionsObject(v: unknown, where: string): void;
