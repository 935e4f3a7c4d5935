// The attention problem every kernel solves, and the one mask rule that forward, backward and the
// reference all use. Letters: B batch, H query heads, Hkv key/value heads, Tq queries, Tk keys,
// D key size, Dv value size.
/** Key head used by query head h (grouped-query attention). */
export function kvHeadOf(h, H, Hkv) {
    return Math.floor((h * Hkv) / H);
}
/** The half-open range [lo, hi) of keys that causal, window and key-length rules leave visible to row i. */
export function keyRange(p, b, i) {
    const { mask, Tq, Tk } = p;
    let lo = 0;
    let hi = Tk;
    if (mask.keyLengths)
        hi = Math.min(hi, mask.keyLengths[b]);
    const diagonal = mask.causal === "bottomRight" ? i + Tk - Tq : i;
    if (mask.causal)
        hi = Math.min(hi, diagonal + 1);
    if (mask.window !== undefined) {
        lo = Math.max(lo, diagonal - mask.window + 1);
        if (!mask.causal)
            hi = Math.min(hi, diagonal + mask.window);
    }
    return [lo, Math.max(lo, hi)];
}
/** Whether the explicit boolean mask (if any) lets query (b, h, i) see key j. */
export function explicitAllows(p, b, h, i, j) {
    const e = p.mask.explicit;
    if (!e)
        return true;
    const [sb, sh, si, sj] = e.strides;
    return e.data[b * sb + h * sh + i * si + j * sj] !== 0;
}
/** Number of keys query row (b, h, i) can see under every rule. */
export function visibleKeyCount(p, b, h, i) {
    const [lo, hi] = keyRange(p, b, i);
    let n = 0;
    for (let j = lo; j < hi; j++)
        if (explicitAllows(p, b, h, i, j))
            n++;
    return n;
}
