// loadJapaneseVowels: reads the Japanese Vowels splits the package ships (data/japanese-vowels/) or a folder.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSplits, parseUeaTs, type Split } from "../data/japaneseVowels.js";
import { readTextFile } from "./regularFile.js";
import { printable } from "../util/text.js";

/** The largest split file read (the shipped ones are under 1 MB). */
const MAX_SPLIT_BYTES = 64 * 1024 * 1024;

/** Default data folder: `<package>/data/japanese-vowels/`, valid from both `src/node/` and `dist/node/`. */
function defaultDataDir(): string {
  return fileURLToPath(new URL("../../data/japanese-vowels/", import.meta.url));
}

function readSplit(dir: string, file: string): Split {
  const path = join(dir, file);
  const text = readTextFile(path, MAX_SPLIT_BYTES, "loadJapaneseVowels");
  try {
    return parseUeaTs(text);
  } catch (err) {
    throw new Error(`${printable(path)}: ${(err as Error).message}`);
  }
}

/**
 * Loads `JapaneseVowels_TRAIN.ts` (270 utterances) and `JapaneseVowels_TEST.ts` (370) from `dir`
 * (default: the copy shipped in the package's `data/japanese-vowels/`): 12 channels, 9 speakers.
 */
export function loadJapaneseVowels(dir: string = defaultDataDir()): { train: Split; test: Split } {
  return checkSplits(readSplit(dir, "JapaneseVowels_TRAIN.ts"), readSplit(dir, "JapaneseVowels_TEST.ts"));
}
