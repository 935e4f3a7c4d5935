// Global setup of the integration tier: packs the built package and installs it into one temporary project
// for the whole run (the package, docs and browser-demo tests share it, each writing in its own subfolder);
// the folder is removed when the run ends.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type { PackedInstall } from "../helpers/packedInstall.js";
import { root, stale } from "./stale.js";

const quiet = { stdio: "pipe" as const, encoding: "utf8" as const };

/**
 * Packs the repository and installs the tarball into a new project (its one dependency, protobufjs, comes from
 * the npm cache when it is there, else the registry).
 */
function packAndInstall(): PackedInstall {
  const dir = mkdtempSync(join(tmpdir(), "attention-layers-consumer-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { ...quiet, cwd: root })) as { filename: string; files: { path: string }[] }[];
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, packed.filename)], { ...quiet, cwd: dir });
  return { dir, files: packed.files.map((f) => f.path) };
}

export default function setup(project: TestProject): () => void {
  if (stale(["dist/index.js", "dist/node/index.js", "dist/app/cli/main.js"].map((f) => join(root, f)), ["src", "app", "charts"])) {
    throw new Error("the integration tests need the package built from the current sources: run `npm run build` first (`npm test` does)");
  }
  const installed = packAndInstall();
  project.provide("packedInstall", installed);
  return () => rmSync(installed.dir, { recursive: true, force: true });
}
