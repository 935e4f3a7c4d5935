// The package as a user gets it: `npm pack` of the built repository, installed into a fresh temporary
// project (its one dependency, protobufjs, comes from the npm cache when it is there, else the registry).
// Tests run node, npx, tsc and esbuild there.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface PackedInstall {
  /** the temporary project; node_modules/attention-layers is the installed package */
  dir: string;
  /** paths inside the tarball, relative to the package root */
  files: string[];
}

const quiet = { stdio: "pipe" as const, encoding: "utf8" as const };

/** Packs the repository (dist must be built: npm test builds first) and installs the tarball into a new project. */
export function packAndInstall(): PackedInstall {
  const dir = mkdtempSync(join(tmpdir(), "attention-layers-consumer-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { ...quiet, cwd: repoRoot })) as { filename: string; files: { path: string }[] }[];
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, packed.filename)], { ...quiet, cwd: dir });
  return { dir, files: packed.files.map((f) => f.path) };
}
