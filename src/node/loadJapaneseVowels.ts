// loadJapaneseVowels: reads the Japanese Vowels splits the package ships (data/japanese-vowels/) or a folder.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSplits, parseUeaTs, type Split } from "../data/japaneseVowels.js";

/** Default data folder: `<package>/data/japanese-vowels/`, valid from both `src/node/` and `dist/node/`. */
function defaultDataDir(): string {
  return fileURLToPath(new URL("../../data/japanese-vowels/", import.meta.url));
}

function readSplit(dir: string, file: string): Split {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read Japanese Vowels file ${path}: ${(err as Error).message}`);
  }
  try {
    return parseUeaTs(text);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/**
 * Loads `JapaneseVowels_TRAIN.ts` (270 utterances) and `JapaneseVowels_TEST.ts` (370) from `dir`
 * (default: the copy shipped in the package's `data/japanese-vowels/`): 12 channels, 9 speakers.
 */
export function loadJapaneseVowels(dir: string = defaultDataDir()): { train: Split; test: Split } {
  return checkSplits(readSplit(dir, "JapaneseVowels_TRAIN.ts"), readSplit(dir, "JapaneseVowels_TEST.ts"));
}
