/** A seeded random generator (uniform, normal, permutation, seeds for others): the same seed gives the same numbers everywhere. */
export declare class Random {
    private state;
    constructor(seed?: number);
    /** Uniform in [0, 1). */
    uniform(): number;
    /** Standard normal (Box–Muller). */
    normal(): number;
    /** Integer in [0, n). */
    int(n: number): number;
    /** A fresh 32-bit seed for a sub-generator (dropout masks, child layers). */
    seed(): number;
    /** Fisher–Yates shuffle of 0..n-1. */
    permutation(n: number): number[];
}
