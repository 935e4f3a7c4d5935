// tools/pytorch-interop/train_ddp.py: an exported net goes on training with DistributedDataParallel on two
// CPU processes (gloo on 127.0.0.1), and the weights come back with importPyTorchWeights.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { loadJapaneseVowels } from "../../src/node/loadJapaneseVowels.js";
import { encodeSafetensors, exportPyTorch, importPyTorchWeights, Tensor } from "../../src/index.js";
import { seedNetwork } from "./exportNets.js";
import { maxDifference, padded } from "./exportHelpers.js";
import { itWithTorch, PYTHON } from "./torchAvailable.js";

describe("DistributedDataParallel training of an exported net", () => {
  itWithTorch("two gloo processes train the seed network; importPyTorchWeights takes the result", () => {
    const dir = mkdtempSync(join(tmpdir(), "attention-layers-ddp-"));
    const net = seedNetwork();
    const { code, weights } = exportPyTorch(net);
    writeFileSync(join(dir, "net.py"), code);
    writeFileSync(join(dir, "net.safetensors"), weights);
    const { train } = loadJapaneseVowels();
    const pick = Array.from({ length: 64 }, (_, i) => (i * 4) % train.sequences.length);
    const sequences = pick.map((i) => new Tensor(train.sequences[i], [train.lengths[i], train.channels]));
    const { x, mask, B, T, C } = padded(sequences);
    writeFileSync(join(dir, "data.safetensors"), encodeSafetensors({
      x: { dtype: "F32", shape: [B, T, C], data: x }, mask: { dtype: "F32", shape: [B, T], data: mask },
      y: { dtype: "F32", shape: [B], data: Float32Array.from(pick, (i) => train.labels[i]) },
    }));
    const run = spawnSync(PYTHON, [join(import.meta.dirname, "../../tools/pytorch-interop/train_ddp.py"),
      "--module", join(dir, "net.py"), "--weights", join(dir, "net.safetensors"), "--data", join(dir, "data.safetensors"),
      "--out", join(dir, "trained.safetensors"), "--steps", "8", "--batch-size", "32", "--processes", "2"], { encoding: "utf8", timeout: 120_000 });
    expect(run.status, `train_ddp.py failed:\n${run.stderr}`).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const losses = lines.filter((l) => "loss" in l).map((l) => l.loss as number);
    expect(losses).toHaveLength(8);
    expect(lines.at(-1)).toEqual({ saved: join(dir, "trained.safetensors"), processes: 2 });
    expect(losses.slice(-2).reduce((a, b) => a + b) / 2).toBeLessThan(losses[0]); // it learns
    const before = net.predict(sequences) as Tensor[];
    importPyTorchWeights(net, readFileSync(join(dir, "trained.safetensors")));
    const after = net.predict(sequences) as Tensor[];
    expect(maxDifference(Float32Array.from(after.flatMap((t) => [...t.data])), [after.length, 9], before)).toBeGreaterThan(1e-3);
  }, 120_000);
});
