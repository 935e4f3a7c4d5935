// Every name the package exports (Node entry ⊇ main entry) carries a JSDoc comment (types included).
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../src/node/index.ts", import.meta.url));

describe("JSDoc", () => {
  it("documents every export", () => {
    const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
    const undocumented = exports.filter((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      if (target.flags & ts.SymbolFlags.ValueModule) return false; // the ops namespace: its members are checked below
      return ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === "";
    }).map((s) => s.name);
    const ops = checker.getExportsOfModule(checker.getAliasedSymbol(exports.find((s) => s.name === "ops")!));
    const undocumentedOps = ops.filter((s) => ts.displayPartsToString(checker.getAliasedSymbol(s).getDocumentationComment(checker)).trim() === "" &&
      ts.displayPartsToString(s.getDocumentationComment(checker)).trim() === "").map((s) => `ops.${s.name}`);
    expect(exports.length).toBeGreaterThan(80);
    expect([...undocumented, ...undocumentedOps].sort()).toEqual([]);
  }, 60_000);
});
