// The workflow of docs/interop.md, end to end: the main job writes its trained net as ONNX beside the
// .safetensors; onnxruntime-node on the whole test split (one padded batch, lengths 7–29) gives what the
// saved net predicts; the examples serve it (onnxruntime-node and -web), hand it to PyTorch, where
// tools/pytorch-interop/train_ddp.py trains it with DistributedDataParallel on two CPU processes (gloo on
// 127.0.0.1), and bring the weights back; then the doc's own snippets run. The tests build on each other's
// files, in order.
import * as ort from "onnxruntime-node";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runJapaneseVowels, type JobResult } from "../../../app/cli/japaneseVowelsJob.js";
import { loadJapaneseVowels } from "../../../src/node/loadJapaneseVowels.js";
import { loadNet, Tensor, type NetGraph } from "../../../src/node/index.js";
import { maxDifference, padded } from "./exportHelpers.js";
import { itWithTorch, PYTHON } from "./torchAvailable.js";
import { tempDir } from "../../helpers/tempDir.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
// the layout docs/interop.md uses: report/ (the main job's output) and interop/ (the PyTorch hand-over)
const base = tempDir("interop");
const out = join(base, "report");
let job: JobResult;
const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });

beforeAll(() => {
  job = runJapaneseVowels({
    model: "attention", epochs: 2, seed: 0, out, batchSize: 27, learnRate: 0.01, l2Regularization: 3e-3,
    learnRateDropPeriod: 40, learnRateDropFactor: 0.1, verbose: false, log: () => {},
  });
}, 60_000);

describe("interop workflow (docs/interop.md)", () => {
  it("the main job's .onnx runs in onnxruntime-node and matches the trained net on the test split", async () => {
    expect(job.onnxPath).toBe(join(out, "japanese-vowels-attention.onnx"));
    const net = loadNet<NetGraph>(job.netPath);
    const { test } = loadJapaneseVowels();
    const sequences = test.sequences.map((d, i) => new Tensor(d, [test.lengths[i], test.channels]));
    const { x, mask, B, T, C } = padded(sequences);
    expect(new Set(test.lengths).size).toBeGreaterThan(10); // many different lengths in the one batch
    const session = await ort.InferenceSession.create(job.onnxPath);
    const { output } = await session.run({ input: new ort.Tensor("float32", x, [B, T, C]), mask: new ort.Tensor("float32", mask, [B, T]) });
    expect(maxDifference(output.data as Float32Array, output.dims, net.predict(sequences) as Tensor[])).toBeLessThanOrEqual(1e-5);
  });

  for (const runtime of ["node", "web"]) {
    it(`examples/interop/serve-onnx.mjs serves it with onnxruntime-${runtime}`, () => {
      const printed = node("examples/interop/serve-onnx.mjs", ...(runtime === "web" ? ["--web"] : []), job.onnxPath, job.netPath);
      expect(printed).toMatch(/inputs input, mask; outputs output/);
      const worst = Number(/max \|onnx − predict\| = (\S+)/.exec(printed)?.[1]);
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  }

  itWithTorch("to PyTorch, two DistributedDataParallel processes, and back (examples + tools/pytorch-interop/train_ddp.py)", () => {
    const dir = join(base, "interop");
    expect(node("examples/interop/to-pytorch.mjs", job.netPath, dir)).toMatch(/270 sequences, padded to 26 steps/);
    const run = spawnSync(PYTHON, ["tools/pytorch-interop/train_ddp.py", "--module", join(dir, "net.py"), "--weights", join(dir, "net.safetensors"),
      "--data", join(dir, "data.safetensors"), "--out", join(dir, "trained.safetensors"), "--steps", "8", "--batch-size", "32", "--processes", "2"],
    { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(run.status, `train_ddp.py failed:\n${run.stderr}`).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const losses = lines.filter((l) => "loss" in l).map((l) => l.loss as number);
    expect(losses).toHaveLength(8);
    expect(lines.at(-1)).toEqual({ saved: join(dir, "trained.safetensors"), processes: 2 });
    expect((losses[6] + losses[7]) / 2).toBeLessThan((losses[0] + losses[1]) / 2); // it learns
    const printed = node("examples/interop/from-pytorch.mjs", job.netPath, join(dir, "trained.safetensors"), join(dir, "finetuned.safetensors"));
    const [, before, after] = /test accuracy: (\S+) before, (\S+) after/.exec(printed)!.map(Number);
    expect(after).not.toBe(before);
    expect(existsSync(join(dir, "finetuned.safetensors"))).toBe(true);
    const original = loadNet<NetGraph>(job.netPath).parameters, finetuned = loadNet<NetGraph>(join(dir, "finetuned.safetensors")).parameters;
    expect(Object.keys(finetuned)).toEqual(Object.keys(original));
    expect(Object.keys(original).some((k) => original[k].data.some((v, i) => v !== finetuned[k].data[i]))).toBe(true);
  }, 120_000);

  itWithTorch("the code snippets of docs/interop.md run as written (all but the browser fetch and Python onnxruntime)", () => {
    const doc = readFileSync(join(root, "docs/interop.md"), "utf8");
    const js = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => !code.includes("fetch("));
    const python = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => !code.includes("onnxruntime"));
    expect([js.length, python.length]).toEqual([3, 1]);
    mkdirSync(join(base, "node_modules"), { recursive: true }); // the snippets import the package as a user would
    symlinkSync(root, join(base, "node_modules", "attention-layers"));
    symlinkSync(join(root, "node_modules", "onnxruntime-node"), join(base, "node_modules", "onnxruntime-node"));
    const written = join(base, "interop", "finetuned.safetensors");
    rmSync(written, { force: true }); // the workflow test above wrote it too: only the snippets may bring it back
    for (const code of js) execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: base, stdio: "pipe" });
    for (const code of python) execFileSync(PYTHON, ["-c", code], { cwd: base, stdio: "pipe" });
    expect(existsSync(written)).toBe(true);
  }, 60_000);
});
