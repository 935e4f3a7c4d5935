/**
 * Loader for the Japanese Vowels speaker-identification data set in the UEA/sktime `.ts` format
 * (see data/japanese-vowels/README.md for the format and the citation).
 *
 * Browser-clean: it parses text; reading the files is the Node entry's loadJapaneseVowels (src/node/).
 */
import { Tensor } from '../tensor/tensor.js';
/** A parsed `.ts` file: variable-length multichannel sequences with integer class labels. */
export interface UeaDataset {
    /** One entry per sequence, row-major `[T, C]` (time-major, channels last), padding stripped. */
    sequences: Float32Array[];
    /** `lengths[i]` = number of time steps T of `sequences[i]` (so `sequences[i].length === T * channels`). */
    lengths: number[];
    /** Number of channels C (12 for Japanese Vowels). */
    channels: number;
    /** 0-based class index per sequence, indexing into `classNames`. */
    labels: number[];
    /** Label strings in sorted order (numeric-aware, so "2" < "10"). */
    classNames: string[];
    /** The sequences as `[T, C]` tensors sharing `sequences`' data: `trainNet(net, { x: split.x, y: split.labels })`. */
    x: Tensor[];
}
/** One split (train or test) of the data set. */
export type Split = UeaDataset;
/** Per-channel standardisation fitted on a set of sequences. */
export interface Standardizer {
    mean: Float32Array;
    std: Float32Array;
    /** Returns a new `[T, C]` array with `(x - mean[c]) / std[c]` per channel; the input is not modified. */
    apply(seq: Float32Array): Float32Array;
}
/**
 * Parses the text of a UEA `.ts` file. Comment lines start with `#`, header lines with `@`; after
 * `@data` each non-empty line is one sequence `c1:...:cC:label`, each channel a comma list. Trailing
 * time steps where every channel is exactly zero are treated as padding and removed.
 * Throws an Error naming the line number on malformed input.
 */
export declare function parseUeaTs(text: string): UeaDataset;
/**
 * Builds the train and test splits from the texts of `JapaneseVowels_TRAIN.ts` and `JapaneseVowels_TEST.ts`
 * (in a browser: fetched or bundled; in Node, `loadJapaneseVowels()` of the Node entry reads the copy the
 * package ships). Checks that both splits have the same channels and classes.
 */
export declare function japaneseVowelsFromText(trainText: string, testText: string): {
    train: Split;
    test: Split;
};
/** The two splits must agree on channels and class names. */
export declare function checkSplits(train: Split, test: Split): {
    train: Split;
    test: Split;
};
/**
 * Fits per-channel mean and (population) standard deviation over every time step of every sequence
 * (sequences are `[T, C]` row-major, already stripped of padding). A channel with zero spread gets
 * std 1 so that `apply` never divides by zero.
 */
export declare function standardizer(sequences: Float32Array[], channels: number): Standardizer;
