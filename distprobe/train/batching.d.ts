import { Random } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
export type ShuffleMode = "every-epoch" | "once" | "never";
/** Batches of example indices for one epoch. */
export declare function epochBatches(lengths: readonly number[], miniBatchSize: number, shuffle: ShuffleMode, sortByLength: boolean, random: Random, firstOrder: number[]): number[][];
/** The padded batch [B, T_max, C] and lengths of the chosen sequences. */
export declare function sequenceBatch(sequences: readonly Tensor[], indices: readonly number[]): {
    x: Tensor;
    lengths: number[];
};
