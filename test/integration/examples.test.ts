// The runnable examples run against the built package (npm test builds first) and print what they claim.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const built = existsSync(`${root}dist/index.js`);

describe("examples", () => {
  it("run against the built package (npm test builds it first)", () => expect(built).toBe(true));
  it("examples/tour.mjs applies every layer", () => {
    const out = execFileSync(process.execPath, ["examples/tour.mjs"], { cwd: root, encoding: "utf8" });
    expect(out).toMatch(/attentionLayer\("Dot"\): weights \[\[0\.495,0\.009,0\.495\]/);
    expect(out).toMatch(/causal \+ lengthSqrt weights: \[\[1,0,0\],\[0\.33,0\.67,0\]/);
    expect(out).toMatch(/weight on the padded key: 0\n/);
    expect(out).toMatch(/dotProductAttention \(4 query heads, 2 key\/value heads, causal\): \[1,4,3,2\]/);
  });
  it("the CLI explains its flags", () => {
    const out = execFileSync(process.execPath, ["dist/app/cli/main.js", "--help"], { cwd: root, encoding: "utf8" });
    expect(out).toMatch(/--model <attention\|lstm>/);
    expect(() => execFileSync(process.execPath, ["dist/app/cli/main.js", "--epoch", "3"], { cwd: root, stdio: "pipe" })).toThrow(/unknown argument "--epoch"/);
  });
});
