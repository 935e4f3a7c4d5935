// The packed package, installed into a fresh project: require() and import work, the CLI runs through npx,
// LICENSE ships, no source map points at a missing file, and the main entry bundles for the browser with
// esbuild (platform browser, no shims) without any Node built-in.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { installedPackage, type PackedInstall } from "../helpers/packedInstall.js";

let installed: PackedInstall;
const run = (args: string[]) => execFileSync(args[0], args.slice(1), { cwd: installed.dir, encoding: "utf8", stdio: "pipe" });
const bundle = (contents: string) => build({
  stdin: { contents, resolveDir: installed.dir, loader: "js" }, bundle: true, platform: "browser", format: "esm",
  write: false, metafile: true, minify: true, logLevel: "silent",
});

beforeAll(() => { installed = installedPackage(); });

describe("the packed package", () => {
  it("works from require() (Node ≥ 20.19 loads the ES module) and gets the Node entry", () => {
    const out = run([process.execPath, "-e", `
      const al = require("attention-layers");
      const y = al.dotProductAttention(al.tensor([[[[1, 0]]]]), al.tensor([[[[1, 0], [0, 1]]]]), al.tensor([[[[1], [3]]]]));
      console.log(typeof al.saveNet, typeof al.loadJapaneseVowels, JSON.stringify(y.shape), y.data[0].toFixed(4));`]);
    // softmax([1, 0]/√2) · [1, 3] = 1 + 2·σ(−1/√2)
    expect(out.trim()).toBe(`function function [1,1,1,1] ${(1 + 2 / (1 + Math.exp(1 / Math.SQRT2))).toFixed(4)}`);
  });

  it("works from import, and ships the Japanese Vowels data its loader reads", () => {
    const out = run([process.execPath, "--input-type=module", "-e", `
      import { loadJapaneseVowels, serializeNet } from "attention-layers";
      const { train, test } = loadJapaneseVowels();
      console.log(train.x.length, test.x.length, train.channels, train.classNames.length, typeof serializeNet);`]);
    expect(out.trim()).toBe("270 370 12 9 function");
  });

  it("runs the CLI as npx attention-layers --help", () => {
    expect(run(["npx", "--no-install", "attention-layers", "--help"])).toMatch(/Usage: attention-layers .*\n[\s\S]*--model <attention\|lstm>/);
  });

  it("runs npx attention-layers lm on the King James corpus it ships", () => {
    const tiny = ["--size", "4", "--heads", "1", "--blocks", "1", "--context", "8", "--feed-forward", "4", "--windows", "8", "--epochs", "1", "--max-new-tokens", "5", "--quiet"];
    const out = run(["npx", "--no-install", "attention-layers", "lm", ...tiny, "--out", "lm-out"]);
    const corpus = [...readFileSync(new URL("../../data/kjv/kjv-genesis-proverbs-ecclesiastes.txt", import.meta.url), "utf8")];
    expect(out).toContain(`corpus: ${join(installed.dir, "node_modules", "attention-layers", "data", "kjv", "kjv-genesis-proverbs-ecclesiastes.txt")} (${corpus.length} characters`);
    expect(existsSync(join(installed.dir, "lm-out", "kjv-char-gpt.safetensors"))).toBe(true);
  });

  it("ships LICENSE, and no source map or map reference to a missing file", () => {
    const root = join(installed.dir, "node_modules", "attention-layers");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License[\s\S]*attention-layers contributors/);
    expect(installed.files.filter((f) => f.endsWith(".map"))).toEqual([]);
    const js = installed.files.filter((f) => f.endsWith(".js"));
    expect(js.length).toBeGreaterThan(20);
    for (const f of js) {
      const ref = /\/\/# sourceMappingURL=(\S+)/.exec(readFileSync(join(root, f), "utf8"));
      if (ref) expect(existsSync(join(root, f, "..", ref[1])), `${f} → ${ref[1]}`).toBe(true);
    }
  });

  it("bundles for the browser with esbuild: no Node built-in, and sideEffects lets unused code go", async () => {
    const all = await bundle(`export * from "attention-layers";`);
    const inputs = Object.keys(all.metafile.inputs);
    expect(inputs.filter((p) => p.startsWith("node:") || /\/dist\/(node|cli)\//.test(p))).toEqual([]);
    expect(inputs.some((p) => p.endsWith("dist/index.js"))).toBe(true);
    // with "sideEffects": false a bundle of one function leaves out the layers, nets, trainer and exporters
    const one = await bundle(`import { dotProductAttention } from "attention-layers"; console.log(dotProductAttention);`);
    const [output] = Object.values(one.metafile.outputs);
    const oneInputs = Object.entries(output.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([p]) => p); // what made it into the bundle
    expect(oneInputs.some((p) => p.endsWith("dist/functional/dotProductAttention.js"))).toBe(true);
    expect(oneInputs.filter((p) => /\/dist\/(layers|nets|train|export|data)\/|protobufjs/.test(p))).toEqual([]);
    expect(inputs.some((p) => p.includes("protobufjs"))).toBe(true);
    expect(one.outputFiles[0].contents.length).toBeLessThan(all.outputFiles[0].contents.length / 2);
  });
});
