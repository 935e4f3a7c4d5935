// Every ```js and ```ts block of README.md and docs/*.md (a block and the `continued` blocks after it as one
// module: CONTRIBUTING.md, "Code blocks in the docs"), against the packed package installed into a fresh
// project: each runs as written (types stripped by esbuild), each in its own empty folder; docTypes.test.ts
// type-checks them. The blocks of docs/interop.md are run by test/export/interopWorkflow.test.ts, in the folder
// layout that doc describes (the main job's report/ first).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { chainsOf, codeAtDocumentLines, documentedFences } from "../helpers/docBlocks.js";
import { installedPackage, repoRoot } from "../helpers/packedInstall.js";
import { benchmarksDoc, headlineTable } from "../../bench/report/markdown.mjs";

const { chains } = chainsOf(documentedFences(repoRoot));
const runElsewhere = new Set(["docs/interop.md"]);
let dir: string;

beforeAll(() => {
  dir = join(installedPackage().dir, "blocks");
  mkdirSync(dir);
});

describe("documentation code blocks", () => {
  it("README has the blocks a reader needs, and stays short", () => {
    expect(chains.filter((c) => c.fences[0].file === "README.md").length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(join(repoRoot, "README.md")).length).toBeLessThan(8 * 1024);
  });

  it("the benchmark figures in README.md and docs/benchmarks.md are the ones in docs/bench/results.json", () => {
    const results = JSON.parse(readFileSync(join(repoRoot, "docs/bench/results.json"), "utf8"));
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain(headlineTable(results));
    expect(readFileSync(join(repoRoot, "docs/benchmarks.md"), "utf8")).toBe(benchmarksDoc(results));
  });

  for (const c of chains.filter((c) => !runElsewhere.has(c.fences[0].file))) {
    it(`${c.fences[0].file} block at line ${c.fences.map((f) => f.line).join(" + ")} runs as written`, () => {
      const cwd = join(dir, `run-${c.name}`);
      mkdirSync(cwd);
      // with a source map onto the document's own lines, so a stack trace names docs/….md:<line>
      const js = transformSync(codeAtDocumentLines(c), { loader: c.kind, format: "esm", target: "es2022", sourcemap: "inline", sourcefile: c.fences[0].file }).code;
      writeFileSync(join(cwd, "block.mjs"), js);
      execFileSync(process.execPath, ["--enable-source-maps", "block.mjs"], { cwd, encoding: "utf8", stdio: "pipe" });
    }, 60_000);
  }
});
