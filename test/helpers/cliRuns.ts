// The CLI as a user runs it (dist/app/cli/main.js), and a tiny data folder that makes a run take well under a second.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const cliMain = fileURLToPath(new URL("../../dist/app/cli/main.js", import.meta.url));

/** A 1-channel, 2-class data folder `<dir>/data` in the UEA .ts format under the Japanese Vowels file names. */
export function tinyData(dir: string): string {
  const text = "@problemName X\n@timeStamps false\n@univariate true\n@dimensions 1\n@equalLength false\n@classLabel true a b\n@data\n1,2,3:a\n3,2,1:b\n1,2,2,3:a\n3,3,1:b\n";
  mkdirSync(join(dir, "data"));
  for (const split of ["TRAIN", "TEST"]) writeFileSync(join(dir, "data", `JapaneseVowels_${split}.ts`), text);
  return join(dir, "data");
}
