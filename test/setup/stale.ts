// Whether a build output is older than its sources (by modification time), for the global setups.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** Every file under the given repository path (the path itself if it is a file). */
function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, encoding: "utf8" }).map((f) => join(full, f)).filter((f) => statSync(f).isFile());
}

/** True when a target (absolute path) is missing or older than the newest file of the sources (repository paths). */
export function stale(targets: string[], sources: string[]): boolean {
  const newest = Math.max(...sources.flatMap(filesUnder).map((f) => statSync(f).mtimeMs));
  return targets.some((t) => !existsSync(t) || statSync(t).mtimeMs < newest);
}
