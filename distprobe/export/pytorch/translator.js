/** Types a translator for one layer class (the table dispatches on kind, so the casts are safe). */
export function torchTranslator(t) {
    return {
        forward: t.forward,
        toTorch: (t.toTorch ?? (() => ({}))),
        fromTorch: (t.fromTorch ?? (() => ({}))),
    };
}
/** Python literal of float32 values (exact: a float32 printed as its double value round-trips). */
export function pyFloats(data) {
    return `[${Array.from(data, pyFloat).join(", ")}]`;
}
export function pyFloat(v) {
    if (Number.isNaN(v))
        return "float('nan')";
    if (!Number.isFinite(v))
        return v > 0 ? "float('inf')" : "float('-inf')";
    return Number.isInteger(v) ? `${v}.0` : String(v);
}
/** Python literal of a nested list with the given shape. */
export function pyNested(data, shape, item = pyFloat) {
    if (shape.length === 0)
        return item(data[0]);
    const inner = shape.slice(1).reduce((p, d) => p * d, 1);
    const parts = [];
    for (let i = 0; i < shape[0]; i++)
        parts.push(pyNested(Array.prototype.slice.call(data, i * inner, (i + 1) * inner), shape.slice(1), item));
    return `[${parts.join(", ")}]`;
}
