import { Tensor } from "../tensor/tensor.js";
import type { NetValue } from "./layer.js";
/** Stacks sequences [Tᵢ, ...rest] into [B, T_max, ...rest], zero-padded at the end. */
export declare function padSequences(sequences: readonly Tensor[]): {
    x: Tensor;
    lengths: number[];
};
/** Row b of a batch, cut to its length when lengths are given: [B, T, ...] → [T_b, ...]. */
export declare function batchRow(x: Tensor, b: number, lengths?: readonly number[]): Tensor;
/** Example b of a net value, as if its sequence had been alone: time axes cut to the example's length. */
export declare function exampleOf(v: NetValue, b: number): Tensor;
