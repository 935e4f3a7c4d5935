// The published declarations (dist/**/*.d.ts, what `npm run build` emits) compile in a strict TypeScript project
// that has no @types/node (issue 15, point 11): they name no NodeJS namespace, Buffer or node: module, so a
// browser project, or one that leaves Node's types out, can use the package. tsc runs with "types": [] and
// skipLibCheck off on a small consumer of both entries (the Node entry re-exports the main one).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const dist = resolve("dist");
const dir = mkdtempSync(join(tmpdir(), "attention-layers-types-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the published types", () => {
  it("compile under --strict with no @types/node", () => {
    writeFileSync(join(dir, "consumer.ts"), `
      import { TerminalProgress, trainNet, netChain, sequenceInputLayer, fullyConnectedLayer, softmaxLayer, type ProgressStream } from ${JSON.stringify(join(dist, "node", "index.js"))};
      import { dotProductAttention, tensor } from ${JSON.stringify(join(dist, "index.js"))};
      const lines: string[] = [];
      const stream: ProgressStream = { write: (text: string) => lines.push(text) };
      const net = netChain([sequenceInputLayer(2), fullyConnectedLayer(2), softmaxLayer()]);
      export const result = trainNet(net, { x: [tensor([[1, 2]])], y: [[0]] }, { maxEpochs: 1, progressSink: new TerminalProgress(stream) });
      export const y = dotProductAttention(tensor([[[[1, 0]]]]), tensor([[[[1, 0]]]]), tensor([[[[1]]]]));
    `);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, types: [], skipLibCheck: false, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext" },
      files: ["consumer.ts"],
    }));
    let output = "";
    try {
      output = execFileSync(process.execPath, [tsc, "-p", dir, "--listFiles"], { encoding: "utf8" });
    } catch (e) {
      expect.fail(`tsc failed:\n${(e as { stdout?: string }).stdout ?? e}`);
    }
    const files = output.split("\n").filter(Boolean);
    expect(files.some((f) => f.endsWith("dist/node/terminalProgress.d.ts"))).toBe(true); // the declarations were read
    expect(files.filter((f) => f.includes("@types/node"))).toEqual([]); // and nothing pulled Node's types in
  }, 120_000);
});
