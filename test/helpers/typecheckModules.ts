// Compiles a set of generated modules (doc blocks, JSDoc examples) under strict TypeScript, in a folder where
// "attention-layers" resolves as in a user's project, and names each error by the document line it comes from.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** A module written from some document: its code and where each of its lines comes from. */
export interface DocModule {
  /** file name in the folder, .ts or .js (js compiles with checkJs) */
  fileName: string;
  code: string;
  /** the document and 1-based line of the module's 0-based line `line`, or undefined for a generated line */
  origin: (line: number) => { file: string; line: number } | undefined;
  /** what the module is, for messages: "```ts block at docs/api.md:120 (section "Nets")" */
  label: string;
}

/** The compiler options of a strict user project (as `tsc --init` writes them, plus checkJs for JavaScript). */
export const strictUserOptions = (typeRoots: string[]): ts.CompilerOptions => ({
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"], types: ["node"], typeRoots, allowJs: true, checkJs: true,
  // as `tsc --init` sets it; with false, dist/kernels/wasm/loader.d.ts fails without the DOM lib (WebAssembly types)
  skipLibCheck: true,
});

/**
 * Writes the modules into `dir` (which must resolve "attention-layers", e.g. a project with the package
 * installed) and compiles them together; returns one message per error, as
 * `docs/api.md:123:7: TS2322: <message>` then the block it is in and the offending line.
 */
export function typecheckModules(dir: string, modules: DocModule[], options: ts.CompilerOptions): string[] {
  const byPath = new Map<string, DocModule>();
  for (const m of modules) {
    const path = join(dir, m.fileName);
    writeFileSync(path, m.code);
    byPath.set(ts.sys.resolvePath(path), m);
  }
  const program = ts.createProgram([...byPath.keys()], options);
  // in the modules' order, then by position: a document's errors read top to bottom
  const rank = (d: ts.Diagnostic) => (d.file ? [...byPath.keys()].indexOf(ts.sys.resolvePath(d.file.fileName)) : -1);
  const diagnostics = [...ts.getPreEmitDiagnostics(program)].sort((a, b) => rank(a) - rank(b) || (a.start ?? 0) - (b.start ?? 0));
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n    ");
    const m = d.file && byPath.get(ts.sys.resolvePath(d.file.fileName));
    if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    if (!m) return `${d.file.fileName}:${line + 1}:${character + 1}: TS${d.code}: ${text}`;
    const at = m.origin(line);
    const where = at ? `${at.file}:${at.line}:${character + 1}` : `${m.fileName}:${line + 1}:${character + 1} (generated line)`;
    return `${where}: TS${d.code}: ${text}\n  in ${m.label}\n  > ${m.code.split("\n")[line]}`;
  });
}
