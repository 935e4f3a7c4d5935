// Every documented call compiles under strict TypeScript against the published declarations, imported by the
// package name as a user imports it (the packed package, installed): each ```ts / ```js block of README.md and
// docs/*.md (js with checkJs), chained by the convention of CONTRIBUTING.md ("Code blocks in the docs"), and
// each JSDoc @example of src/ over the prelude below. An error names the document, line and column, the block,
// and the offending line. (docs.test.ts runs the same blocks.)
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chainsOf, documentedFences, fencesOf, jsdocExamples, type Chain } from "../helpers/docBlocks.js";
import { installedPackage, repoRoot } from "../helpers/packedInstall.js";
import { strictUserOptions, typecheckModules, type DocModule } from "../helpers/typecheckModules.js";

const options = strictUserOptions([join(repoRoot, "node_modules", "@types")]);
const { chains, problems } = chainsOf(documentedFences(repoRoot));
let project: string;
beforeAll(() => {
  project = installedPackage().dir;
  // docs/interop.md imports onnxruntime, as its reader installs it: from this repository's dev dependencies
  for (const p of ["onnxruntime-node", "onnxruntime-web"]) {
    const link = join(project, "node_modules", p);
    if (!existsSync(link)) symlinkSync(join(repoRoot, "node_modules", p), link, "dir");
  }
});

/** A folder of its own in the installed project, for one compilation. */
function folder(name: string): string {
  const dir = join(project, name);
  mkdirSync(dir);
  return dir;
}

function chainModule(c: Chain): DocModule {
  const first = c.fences[0];
  const more = c.fences.length > 1 ? ` continued at line${c.fences.length > 2 ? "s" : ""} ${c.fences.slice(1).map((f) => f.line).join(", ")}` : "";
  return {
    fileName: `${c.name}.${c.kind}`, code: c.code,
    origin: (line) => ({ file: first.file, line: c.sourceLines[line] }),
    label: `the \`\`\`${first.lang} block at ${first.file}:${first.line}${more} (section "${first.section}")`,
  };
}

// The names a one-line @example may use without defining them (besides every export of the Node entry).
const EXAMPLE_PRELUDE = [
  `import { writeFileSync } from "node:fs";`,
  `declare const x: Tensor, q: Tensor, k: Tensor, v: Tensor, key: Tensor, value: Tensor, query: Tensor;`,
  `declare const net: NetGraph, seq2seq: NetGraph;`, // seq2seq: a net with a fixed "source" input and a stepped one
  `declare const ids: number[], sources: number[][], START: number, END: number;`, // token ids, start and end tokens
  `declare const out: { textContent: string };`, // a page element the example writes to
];

describe("documented code compiles under strict TypeScript against the published package", () => {
  it("every code block names its language, and every continued block follows one", () => {
    expect(chains.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it("README.md and docs/*.md: every ts/js block", () => {
    const errors = typecheckModules(folder("doc-types"), chains.map(chainModule), options);
    if (errors.length) expect.fail(`${errors.length} type error(s) in the docs' code blocks:\n\n${errors.join("\n\n")}`);
  }, 120_000);

  it("src/: every JSDoc @example, over the package's exports and the prelude's names", async () => {
    const examples = jsdocExamples(repoRoot);
    expect(examples.length).toBeGreaterThan(10);
    const exports = Object.keys(await import(join(project, "node_modules", "attention-layers", "dist", "node", "index.js")));
    const prelude = [`import { ${exports.join(", ")} } from "attention-layers";`, ...EXAMPLE_PRELUDE];
    const modules = examples.map((e, i): DocModule => ({
      fileName: `example${i}.ts`, code: [...prelude, "{", e.code, "}", "export {};"].join("\n"),
      origin: (line) => (line > prelude.length ? { file: e.file, line: e.line + line - prelude.length - 1 } : undefined),
      label: `the @example at ${e.file}:${e.line}`,
    }));
    const errors = typecheckModules(folder("example-types"), modules, options);
    if (errors.length) expect.fail(`${errors.length} type error(s) in the JSDoc examples (an example may use the package's exports and the names of EXAMPLE_PRELUDE in test/integration/docTypes.test.ts; define others in the example, or add them there and to CONTRIBUTING.md):\n\n${errors.join("\n\n")}`);
  }, 120_000);

  it("the check itself: a wrong call is reported at its document line, a continued block (after a hidden one too) sees the one before, js is checked", () => {
    const doc = [
      "# A", "```ts", 'import { tensor } from "attention-layers";', "const t = tensor([[1, 2]]);", "```", "text",
      "```ts continued", "const n: string = t.shape;", "```", "```js", 'import { tensor } from "attention-layers";', "tensor([[1]]).nope();", "```",
      "```ts signature", "f(x?): Tensor", "```", "```", "output", "```",
      "# B", "<!--", "```ts", "const hidden = 1;", "```", "-->", "```ts continued", "const shown: number = hidden;", "```",
    ].join("\n");
    const fences = fencesOf("doc.md", doc);
    const checked = chainsOf(fences);
    expect(checked.problems).toEqual(["doc.md:17: a code block without a language; mark it: ```ts or ```js (compiled), ```ts signature (a signature, not compiled), ```text (output), ```sh (shell)"]);
    expect(checked.chains.map((c) => [c.kind, c.fences.map((f) => f.line)])).toEqual([["ts", [2, 7]], ["js", [10]], ["ts", [22, 26]]]);
    const errors = typecheckModules(folder("self-check"), checked.chains.map(chainModule), options);
    expect(errors.map((e) => e.split("\n")[0].replace(/: TS(\d+):.*/, ": TS$1"))).toEqual(["doc.md:8:7: TS2322", "doc.md:12:15: TS2339"]);
    expect(errors.find((e) => e.includes("TS2322"))).toContain('in the ```ts block at doc.md:2 continued at line 7 (section "A")\n  > const n: string = t.shape;');
    expect(chainsOf(fencesOf("d.md", "# A\n```ts\nx\n```\n# B\n```ts continued\ny\n```\n```ts nocheck\n```")).problems).toEqual([
      'd.md:6: a ```ts continued block needs a ts/js block before it in the same section ("B")',
      'd.md:9: unknown attribute "nocheck" after ```ts; known: signature, excerpt, continued',
    ]);
  }, 120_000);
});
