// What the packed package's README links to is in the package: `npm pack --dry-run` lists the files, and every
// relative link and image of README.md (and the images of the docs it ships) must name one of them or a folder
// holding some. Before, the README linked examples/browser, examples/seq2seq and CONTRIBUTING.md, and
// docs/benchmarks.md showed docs/bench/*.svg, none of which was packed. (No repository URL is known, so links
// into the repository's other files cannot be made absolute; package.json has no "repository" field.)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const packed = (JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
const folders = new Set(packed.flatMap((p) => p.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))));

/** The relative targets of a markdown file's links (`[text](target)`) or only its images (`![alt](target)`). */
function targets(file: string, imagesOnly: boolean): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const links = [...text.matchAll(imagesOnly ? /!\[[^\]]*\]\(([^)\s]+)\)/g : /\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return links.filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith("#")).map((l) => normalize(join(dirname(file), l.split("#")[0])).replaceAll("\\", "/"));
}

describe("the packed package holds what its README and docs show", () => {
  it("README.md's relative links", () => {
    const missing = targets("README.md", false).filter((t) => !packed.includes(t) && !folders.has(t));
    expect(missing).toEqual([]);
  });

  it("the images of every packed markdown file", () => {
    const missing = packed.filter((f) => f.endsWith(".md")).flatMap((f) => targets(f, true).filter((t) => !packed.includes(t)).map((t) => `${f} → ${t}`));
    expect(missing).toEqual([]);
  });
});
