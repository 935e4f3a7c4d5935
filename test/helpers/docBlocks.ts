// The code blocks of README.md and docs/*.md, by the convention of CONTRIBUTING.md ("Code blocks in the docs"):
// every fenced block names its language; ```ts / ```js blocks compile (and run) as a user's module importing
// "attention-layers"; ```ts signature (or any other language: text, sh, python) is prose, not compiled;
// ```ts continued appends a block to the previous ts/js block of the same section, so the two compile and run
// as one module. A block with no language, or an attribute this file does not know, is an error (never skipped).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One fenced block as written. */
export interface Fence {
  file: string;
  /** 1-based line of the opening fence */
  line: number;
  /** the info string's first word ("" when there is none) and the words after it */
  lang: string;
  attributes: string[];
  /** the block's lines, the fence's indentation removed */
  lines: string[];
  /** the nearest heading above the block */
  section: string;
}

/** A module to compile: one block, or a block and the `continued` blocks after it. */
export interface Chain {
  /** "ts" or "js" */
  kind: "ts" | "js";
  /** a file name for it, unique across the docs */
  name: string;
  /** the blocks, in order (the first one names the chain in messages) */
  fences: Fence[];
  code: string;
  /** for each line of `code` (0-based), the document line it comes from (1-based) */
  sourceLines: number[];
}

const COMPILED: Record<string, "ts" | "js"> = { ts: "ts", typescript: "ts", js: "js", javascript: "js", mjs: "js" };
// signature: a signature or table of calls; excerpt: an excerpt of the repository's own source (both not compiled)
const ATTRIBUTES = ["signature", "excerpt", "continued"];
const NOT_COMPILED = ["signature", "excerpt"];

/** The fenced blocks of a Markdown text (CommonMark fences: ``` or ~~~, up to 3 spaces of indentation). */
export function fencesOf(file: string, text: string): Fence[] {
  const lines = text.split("\n");
  const fences: Fence[] = [];
  let section = "(top)";
  let open: { fence: Fence; marker: string; indent: number } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (open) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1][0] === open.marker[0] && close[1].length >= open.marker.length) open = undefined;
      else open.fence.lines.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
      return;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) section = heading[1].trim();
    const start = /^( {0,3})(`{3,}|~{3,})\s*([^`]*)$/.exec(line);
    if (!start) return;
    const [lang = "", ...attributes] = start[3].trim().split(/\s+/).filter(Boolean);
    const fence: Fence = { file, line: i + 1, lang: lang.toLowerCase(), attributes, lines: [], section };
    fences.push(fence);
    open = { fence, marker: start[2], indent: start[1].length };
  });
  if (open) throw new Error(`${file}:${open.fence.line}: the code block is never closed`);
  return fences;
}

/** Where a fence breaks the convention (a message that names the file, line and fix), or undefined. */
export function fenceProblem(f: Fence): string | undefined {
  const at = `${f.file}:${f.line}`;
  if (f.lang === "") return `${at}: a code block without a language; mark it: \`\`\`ts or \`\`\`js (compiled), \`\`\`ts signature (a signature, not compiled), \`\`\`text (output), \`\`\`sh (shell)`;
  if (!(f.lang in COMPILED)) return undefined;
  const unknown = f.attributes.filter((a) => !ATTRIBUTES.includes(a));
  if (unknown.length) return `${at}: unknown attribute ${unknown.map((a) => JSON.stringify(a)).join(", ")} after \`\`\`${f.lang}; known: ${ATTRIBUTES.join(", ")}`;
  const prose = f.attributes.find((a) => NOT_COMPILED.includes(a));
  if (prose && f.attributes.includes("continued")) return `${at}: a \`\`\`${f.lang} ${prose} block is not compiled, so it cannot be continued`;
  return undefined;
}

/** The blocks that compile, joined into chains by `continued`; problems (bad fences, orphan continuations) listed. */
export function chainsOf(fences: Fence[]): { chains: Chain[]; problems: string[] } {
  const chains: Chain[] = [];
  const problems: string[] = [];
  let last: Chain | undefined;
  for (const f of fences) {
    const problem = fenceProblem(f);
    if (problem) { problems.push(problem); continue; }
    const kind = COMPILED[f.lang];
    if (!kind || f.attributes.some((a) => NOT_COMPILED.includes(a))) continue;
    if (f.attributes.includes("continued")) {
      if (!last || last.fences[0].file !== f.file || last.fences[0].section !== f.section) {
        problems.push(`${f.file}:${f.line}: a \`\`\`${f.lang} continued block needs a ts/js block before it in the same section ("${f.section}")`);
        continue;
      }
      if (last.kind !== kind) {
        problems.push(`${f.file}:${f.line}: a \`\`\`${f.lang} continued block continues a ${last.kind} block (line ${last.fences[0].line}); use the same language`);
        continue;
      }
      last.fences.push(f);
      last.code += "\n" + f.lines.join("\n");
      last.sourceLines.push(...f.lines.map((_, i) => f.line + 1 + i));
      continue;
    }
    last = {
      kind, fences: [f], name: `${f.file.replace(/[^A-Za-z0-9]/g, "_")}_line${f.line}`,
      code: f.lines.join("\n"), sourceLines: f.lines.map((_, i) => f.line + 1 + i),
    };
    chains.push(last);
  }
  return { chains, problems };
}

/** README.md and every docs/*.md of the repository. */
export function documentedFiles(root: string): string[] {
  return ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

/** The fences of every documented file. */
export function documentedFences(root: string): Fence[] {
  return documentedFiles(root).flatMap((file) => fencesOf(file, readFileSync(join(root, file), "utf8")));
}

/** One `@example` of a JSDoc comment in src/. */
export interface JsdocExample { file: string; line: number; code: string }

/** Every `@example` tag of src/**.ts: the tag's text and the comment lines after it, up to the next tag or the end. */
export function jsdocExamples(root: string): JsdocExample[] {
  const examples: JsdocExample[] = [];
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.includes("assembly")).sort();
  for (const f of files) {
    const lines = readFileSync(join(root, "src", f), "utf8").split("\n");
    lines.forEach((line, i) => {
      const tag = /^\s*\*\s*@example\s?(.*)$/.exec(line);
      if (!tag) return;
      const code = [tag[1]];
      for (let j = i + 1; j < lines.length && !/^\s*\*\/|^\s*\*\s*@/.test(lines[j]); j++) code.push(lines[j].replace(/^\s*\* ?/, ""));
      examples.push({ file: `src/${f}`, line: i + 1, code: code.join("\n").trimEnd() });
    });
  }
  return examples;
}

/** The chain's code with each line at its document line (blank lines before and between): stack traces name doc lines. */
export function codeAtDocumentLines(c: Chain): string {
  const out: string[] = [];
  c.code.split("\n").forEach((line, i) => {
    while (out.length < c.sourceLines[i] - 1) out.push("");
    out.push(line);
  });
  return out.join("\n");
}
