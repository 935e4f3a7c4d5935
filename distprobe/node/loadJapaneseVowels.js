// loadJapaneseVowels: reads the Japanese Vowels splits the package ships (data/japanese-vowels/) or a folder.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSplits, parseUeaTs } from "../data/japaneseVowels.js";
/** Default data folder: `<package>/data/japanese-vowels/`, valid from both `src/node/` and `dist/node/`. */
function defaultDataDir() {
    return fileURLToPath(new URL("../../data/japanese-vowels/", import.meta.url));
}
function readSplit(dir, file) {
    const path = join(dir, file);
    let text;
    try {
        text = readFileSync(path, "utf8");
    }
    catch (err) {
        throw new Error(`cannot read Japanese Vowels file ${path}: ${err.message}`);
    }
    try {
        return parseUeaTs(text);
    }
    catch (err) {
        throw new Error(`${path}: ${err.message}`);
    }
}
/**
 * Loads `JapaneseVowels_TRAIN.ts` (270 utterances) and `JapaneseVowels_TEST.ts` (370) from `dir`
 * (default: the copy shipped in the package's `data/japanese-vowels/`): 12 channels, 9 speakers.
 */
export function loadJapaneseVowels(dir = defaultDataDir()) {
    return checkSplits(readSplit(dir, "JapaneseVowels_TRAIN.ts"), readSplit(dir, "JapaneseVowels_TEST.ts"));
}
