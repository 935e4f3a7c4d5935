// Unknown option names are errors, not silently ignored typos ({ casual: true } instead of { causal: true }).
export function checkOptionNames(options, allowed, where) {
    if (options === undefined || options === null)
        return;
    if (typeof options !== "object" || Array.isArray(options))
        throw new Error(`${where}: options must be an object, got ${JSON.stringify(options)}`);
    for (const [key, value] of Object.entries(options)) {
        if (value === undefined)
            continue; // { name: undefined } is the same as leaving it out
        if (!allowed.includes(key)) {
            const close = allowed.find((a) => a.toLowerCase() === key.toLowerCase() || a.startsWith(key) || editDistance(a, key) <= Math.max(2, Math.floor(key.length / 4)));
            throw new Error(`${where}: unknown option "${key}"${close ? ` (did you mean "${close}"?)` : ""}; options: ${allowed.join(", ")}`);
        }
    }
}
/** Levenshtein distance, for suggestions. */
export function editDistance(a, b) {
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
