import { type Split } from "../data/japaneseVowels.js";
/**
 * Loads `JapaneseVowels_TRAIN.ts` (270 utterances) and `JapaneseVowels_TEST.ts` (370) from `dir`
 * (default: the copy shipped in the package's `data/japanese-vowels/`): 12 channels, 9 speakers.
 */
export declare function loadJapaneseVowels(dir?: string): {
    train: Split;
    test: Split;
};
