// The floors of the code import one way: the library (src/) never reaches into the application (app/), the
// chart primitives (charts/) or the bench; the bench never imports the application.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/packedInstall.js";

function files(dir: string, ending: RegExp): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ending.test(e.name))
    .map((e) => relative(repoRoot, join(e.parentPath, e.name)));
}

/** Every relative import of a file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => relative(repoRoot, resolve(repoRoot, file, "..", m[1])));
}

describe("import directions", () => {
  it("src/ imports only from src/", () => {
    const outside = files("src", /\.ts$/).flatMap((f) => importsOf(f).filter((i) => !i.startsWith("src/")).map((i) => `${f} → ${i}`));
    expect(outside).toEqual([]);
  });

  it("the bench imports nothing from the application", () => {
    const app = files("bench", /\.mjs$/).flatMap((f) => importsOf(f).filter((i) => /^(dist\/)?app\//.test(i)).map((i) => `${f} → ${i}`));
    expect(app).toEqual([]);
  });

  it("the scan sees imports (a file known to import from app/ is found)", () => {
    expect(importsOf("test/unit/cliArgs.test.ts")).toContain("app/cli/args.js");
  });
});
