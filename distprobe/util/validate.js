// Checks of values where they enter the library. Every check takes `where` (the function or layer, e.g.
// `selfAttentionLayer "enc1"`) and `what` (the option or port) and throws
//   `${where}: ${what} must be <expected>, got <received>`
// with the received value described exactly (NaN, "3" with its quotes, an array, null, …).
/** A received value as a message shows it: 2.5, NaN, "abc", null, undefined, an array of 3, an object, a function. */
export function describe(v) {
    if (v === undefined)
        return "undefined";
    if (v === null)
        return "null";
    if (typeof v === "number")
        return Number.isNaN(v) ? "NaN" : String(v);
    if (typeof v === "string")
        return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    if (typeof v === "boolean" || typeof v === "bigint")
        return String(v);
    if (typeof v === "function")
        return "a function";
    if (typeof v === "symbol")
        return "a symbol";
    if (Array.isArray(v))
        return v.length <= 6 && v.every((x) => typeof x !== "object" || x === null) ? `[${v.map(describe).join(", ")}]` : `an array of ${v.length}`;
    const name = v.constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
}
function fail(where, what, expected, got) {
    throw new Error(`${where}: ${what} must be ${expected}, got ${describe(got)}`);
}
/** A number (not a numeric string), finite unless allowed otherwise, optionally within [min, max] or (min, max). */
export function checkNumber(v, where, what, range = {}) {
    const { min, max, minExclusive = false, maxExclusive = false, orElse } = range;
    const expected = min !== undefined && max !== undefined ? `in ${minExclusive ? "(" : "["}${min}, ${max}${maxExclusive ? ")" : "]"} (a number)`
        : `a finite number${min !== undefined ? (minExclusive ? ` > ${min}` : ` ≥ ${min}`) : max !== undefined ? (maxExclusive ? ` < ${max}` : ` ≤ ${max}`) : ""}${orElse ? ` or ${orElse}` : ""}`;
    if (typeof v !== "number" || !Number.isFinite(v))
        fail(where, what, expected, v);
    if (min !== undefined && (minExclusive ? !(v > min) : !(v >= min)))
        fail(where, what, expected, v);
    if (max !== undefined && (maxExclusive ? !(v < max) : !(v <= max)))
        fail(where, what, expected, v);
    return v;
}
/** An integer ≥ min (default 1); `orElse` names an accepted special value for the message ("Infinity", '"auto"'). */
export function checkInteger(v, where, what, min = 1, orElse) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
        fail(where, what, `${min === 1 ? "a positive integer" : `an integer ≥ ${min}`}${orElse ? ` or ${orElse}` : ""}`, v);
    }
    return v;
}
export function checkBoolean(v, where, what) {
    if (typeof v !== "boolean")
        fail(where, what, "true or false", v);
    return v;
}
export function checkString(v, where, what) {
    if (typeof v !== "string")
        fail(where, what, "a string", v);
    return v;
}
/** One of the listed values (compared with ===). */
export function checkOneOf(v, allowed, where, what) {
    if (!allowed.includes(v))
        fail(where, what, allowed.map((a) => JSON.stringify(a)).join(", ").replace(/, ([^,]*)$/, " or $1"), v);
    return v;
}
/** An optional value: undefined gives the default, anything else goes through the check. */
export function optional(v, fallback, check) {
    return v === undefined ? fallback : check(v);
}
/** A seed: any finite number (it is floored). */
export function checkSeed(v, where, what = "seed") {
    return checkNumber(v, where, what);
}
/** A plain options object (or undefined). */
export function checkOptionsObject(v, where) {
    if (v !== undefined && (v === null || typeof v !== "object" || Array.isArray(v)))
        fail(where, "options", "an object", v);
}
