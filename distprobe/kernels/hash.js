// Counter-based uniform numbers: the value depends only on (seed, counter), so a backward pass can
// regenerate exactly what its forward pass drew (as Philox does for FlashAttention's dropout).
/** 32-bit finalizer of MurmurHash3: a bijective avalanche mix. */
export function mix32(h) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}
/** Uniform in [0, 1) determined by (seed, counter) alone; counter may exceed 2³². */
export function hashUniform(seed, counter) {
    const lo = counter >>> 0;
    const hi = Math.floor(counter / 4294967296) >>> 0;
    const h = mix32(mix32((seed ^ 0x9e3779b9) >>> 0) ^ lo ^ mix32((hi + 0x632be5ab) >>> 0));
    return h / 4294967296;
}
/** Dropout decision for element `index`: kept when its draw is ≥ rate (kept values scale by 1/(1 − rate)). */
export function dropoutKeeps(seed, index, rate) {
    return hashUniform(seed, index) >= rate;
}
