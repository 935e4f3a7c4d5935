// The main job writes its trained net as ONNX beside the .safetensors; onnxruntime-node on the whole
// test split (one padded batch, lengths 7–29) gives what the saved net predicts for each utterance.
import * as ort from "onnxruntime-node";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runJapaneseVowels } from "../../src/cli/japaneseVowelsJob.js";
import { loadJapaneseVowels } from "../../src/node/loadJapaneseVowels.js";
import { loadNet, Tensor, type NetGraph } from "../../src/node/index.js";
import { maxDifference, padded } from "./exportHelpers.js";

describe("the main job's ONNX file", () => {
  it("runs in onnxruntime-node and matches the trained net on the test split", async () => {
    const out = mkdtempSync(join(tmpdir(), "attention-layers-job-"));
    const result = runJapaneseVowels({
      model: "attention", epochs: 2, seed: 0, out, batchSize: 27, learnRate: 0.01, l2Regularization: 3e-3,
      learnRateDropPeriod: 40, learnRateDropFactor: 0.1, verbose: false, log: () => {},
    });
    expect(result.onnxPath).toBe(join(out, "japanese-vowels-attention.onnx"));
    const net = loadNet<NetGraph>(result.netPath);
    const { test } = loadJapaneseVowels();
    const sequences = test.sequences.map((d, i) => new Tensor(d, [test.lengths[i], test.channels]));
    const { x, mask, B, T, C } = padded(sequences);
    expect(new Set(test.lengths).size).toBeGreaterThan(10); // many different lengths in the one batch
    const session = await ort.InferenceSession.create(result.onnxPath);
    const { output } = await session.run({ input: new ort.Tensor("float32", x, [B, T, C]), mask: new ort.Tensor("float32", mask, [B, T]) });
    const difference = maxDifference(output.data as Float32Array, output.dims, net.predict(sequences) as Tensor[]);
    expect(difference).toBeLessThanOrEqual(1e-5);
  });
});
