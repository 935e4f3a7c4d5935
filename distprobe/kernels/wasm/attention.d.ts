import type { AttentionForward, AttentionGrads, AttentionKernel, AttentionProblem } from "../attention/problem.js";
/** The largest |x| over the finite entries of each input (0 where absent), as laid out for the kernel. */
export interface Magnitudes {
    q: number;
    k: number;
    v: number;
    dOut: number;
    dWeights: number;
}
/** Whether the kernel may run a problem of these magnitudes (see ./attentionRange.ts); no check when absent. */
export type RangeCheck = (p: AttentionProblem, m: Magnitudes) => boolean;
/** The forward pass; null when `fits` refuses the problem. */
export declare function wasmForward(p: AttentionProblem, wantWeights: boolean, fits?: RangeCheck): AttentionForward | null;
/** The backward pass from a forward of this kernel; null when `fits` refuses the problem. */
export declare function wasmBackward(p: AttentionProblem, fwd: AttentionForward, dOut: Float32Array | null, dWeights: Float32Array | null, fits?: RangeCheck): AttentionGrads | null;
/** The fused kernel with no range check (the tests compare it with the reference as it is). */
export declare const wasmAttentionKernel: AttentionKernel;
