// Every ```js and ```ts block of README.md and docs/*.md, against the packed package installed into a fresh
// project: each type-checks under strict TypeScript (as a .ts module, Node resolution, so the Node entry's
// types) and runs as written (types stripped by esbuild), each in its own empty folder. The blocks of
// docs/interop.md are type-checked here (onnxruntime from this repository's dev dependencies) but run by
// test/export/interopWorkflow.test.ts, in the folder layout that doc describes (the main job's report/ first).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { installedPackage, repoRoot } from "../helpers/packedInstall.js";
import { benchmarksDoc, headlineTable } from "../../bench/report/markdown.mjs";

interface Block { file: string; line: number; lang: string; code: string; name: string }

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  return [...text.matchAll(/^```(js|ts)\n([\s\S]*?)^```/gm)].map((m, i) => ({
    file, lang: m[1], code: m[2], line: text.slice(0, m.index).split("\n").length,
    name: `${file.replace(/[/.]/g, "_")}_${i + 1}`,
  }));
}

const files = ["README.md", ...readdirSync(join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const blocks = files.flatMap(blocksOf);
const runElsewhere = new Set(["docs/interop.md"]);
const devPackages = ["onnxruntime-node", "onnxruntime-web"];
let dir: string;

beforeAll(() => {
  const project = installedPackage().dir;
  for (const p of devPackages) symlinkSync(join(repoRoot, "node_modules", p), join(project, "node_modules", p), "dir");
  dir = join(project, "blocks");
  mkdirSync(dir);
  for (const b of blocks) writeFileSync(join(dir, `${b.name}.ts`), b.code);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022"],
      types: ["node"], typeRoots: [join(repoRoot, "node_modules", "@types")], noUnusedLocals: false,
      // as `tsc --init` sets it; with false, dist/kernels/wasm/loader.d.ts fails without the DOM lib (WebAssembly types)
      skipLibCheck: true,
    },
    include: ["*.ts"],
  }));
}, 60_000);

describe("documentation code blocks", () => {
  it("README has the blocks a reader needs, and stays short", () => {
    expect(blocks.filter((b) => b.file === "README.md").length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(join(repoRoot, "README.md")).length).toBeLessThan(8 * 1024);
  });

  it("the benchmark figures in README.md and docs/benchmarks.md are the ones in docs/bench/results.json", () => {
    const results = JSON.parse(readFileSync(join(repoRoot, "docs/bench/results.json"), "utf8"));
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain(headlineTable(results));
    expect(readFileSync(join(repoRoot, "docs/benchmarks.md"), "utf8")).toBe(benchmarksDoc(results));
  });

  it("type-check under strict TypeScript from the packed package", () => {
    let report = "";
    try {
      execFileSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      report = (e as { stdout: string }).stdout;
      // name each error by its document and line
      for (const b of blocks) report = report.replaceAll(`${b.name}.ts(`, `${b.file} block at line ${b.line} (`);
    }
    expect(report).toBe("");
  }, 60_000);

  for (const b of blocks.filter((b) => !runElsewhere.has(b.file))) {
    it(`${b.file} block at line ${b.line} runs as written`, () => {
      const cwd = join(dir, `run-${b.name}`);
      mkdirSync(cwd);
      const js = transformSync(b.code, { loader: "ts", format: "esm", target: "es2022" }).code;
      writeFileSync(join(cwd, "block.mjs"), js);
      execFileSync(process.execPath, ["block.mjs"], { cwd, encoding: "utf8", stdio: "pipe" });
    }, 60_000);
  }
});
