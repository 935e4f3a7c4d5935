// Option checks shared by the layer constructors; messages name the layer and the option. They are the
// generic checks of src/util/validate.ts with the layer's label as the place.
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionsObject, checkString } from "../util/validate.js";
export function checkPositiveInteger(n, what, layer) {
    return checkInteger(n, layer.label, what);
}
export function checkFactor(n, what, layer) {
    if (n !== undefined)
        checkNumber(n, layer.label, what, { min: 0 });
}
export function checkProbability(p, what, layer) {
    return checkNumber(p, layer.label, what, { min: 0, max: 1, maxExclusive: true });
}
/** An optional boolean option (default `fallback`): "false" or 0 are errors, not truthy or falsy. */
export function booleanOption(v, fallback, what, layer) {
    return v === undefined ? fallback : checkBoolean(v, layer.label, what);
}
/** An optional enum option (default: the first allowed value). */
export function enumOption(v, allowed, what, layer) {
    return v === undefined ? allowed[0] : checkOneOf(v, allowed, layer.label, what);
}
/** A positive integer or "auto" (default "auto"). */
export function sizeOrAuto(v, what, layer) {
    return v === undefined || v === "auto" ? "auto" : checkInteger(v, layer.label, what, 1, '"auto"');
}
/**
 * The start of every layer constructor: options must be an object and `name` a string. Returns the name,
 * which the caller assigns before any other check so that messages carry it.
 */
export function layerName(options, kind) {
    checkOptionsObject(options, kind);
    const name = options?.name;
    return name === undefined ? "" : checkString(name, kind, "name");
}
/** Makes properties read-only at run time too (assigning one throws a TypeError), as MATLAB's are. */
export function makeReadOnly(object, names) {
    for (const name of names)
        Object.defineProperty(object, name, { writable: false, configurable: false });
}
/** Fixes an "auto" size from data, or checks a known one: `input "in" has 10 channels but inputSize is 12`. */
export function fixInputSize(layer, current, channels, detail) {
    if (current !== "auto" && current !== channels) {
        throw layer.error(`input "in" has ${channels} channels but inputSize is ${current}${detail ? ` (${detail})` : ""}`);
    }
    return channels;
}
