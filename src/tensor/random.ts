// Seeded random numbers: `Random` is a sequential generator (a Weyl sequence through the MurmurHash3
// mix) for initializers and shuffling. Dropout uses the counter-based `hashUniform` in kernels/hash.ts.
import { mix32 } from "../kernels/hash.js";
import { checkSeed } from "../util/validate.js";

/** A seeded random generator (uniform, normal, permutation, seeds for others): the same seed gives the same numbers everywhere. */
export class Random {
  private state: number;

  constructor(seed = 0) {
    checkSeed(seed, "Random");
    this.state = mix32(seed ^ 0x5bd1e995); // a bijection of the 2³² seeds: no two seeds share a state
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state) / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A fresh 32-bit seed for a sub-generator (dropout masks, child layers). */
  seed(): number {
    return Math.floor(this.uniform() * 4294967296) >>> 0;
  }

  /** Fisher–Yates shuffle of 0..n-1. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }
}
