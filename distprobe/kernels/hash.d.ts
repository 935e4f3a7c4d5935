/** 32-bit finalizer of MurmurHash3: a bijective avalanche mix. */
export declare function mix32(h: number): number;
/** Uniform in [0, 1) determined by (seed, counter) alone; counter may exceed 2³². */
export declare function hashUniform(seed: number, counter: number): number;
/** Dropout decision for element `index`: kept when its draw is ≥ rate (kept values scale by 1/(1 − rate)). */
export declare function dropoutKeeps(seed: number, index: number, rate: number): boolean;
