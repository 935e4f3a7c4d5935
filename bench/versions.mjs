// Installed versions of the peers, from their package.json in node_modules.
import { readFileSync } from "node:fs";

export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  } catch {
    return "?";
  }
}
