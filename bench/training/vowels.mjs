// Training the main job's network on Japanese Vowels through the public API (trainNet), against the
// PyTorch replica in tools/pytorch-baseline/ on the same data and settings: 60 epochs, mini-batch 27,
// Adam lr 0.01 dropped ×0.1 at epoch 40, L2 0.003, one thread, no per-epoch evaluation. Both time the
// training loop only (the replica's "seconds"); figures are medians of the repeats.
import { fileURLToPath } from "node:url";
import { Tensor, globalAveragePooling1dLayer, layerNormalizationLayer, fullyConnectedLayer, loadJapaneseVowels, netChain, selfAttentionLayer,
  sequenceInputLayer, softmaxLayer, trainNet } from "../../dist/node/index.js";
import { median } from "../measure.mjs";
import { firstLine, round } from "../runKernels.mjs";
import { runPythonJson, torchAvailable } from "./python.mjs";

const SETTINGS = { miniBatchSize: 27, learnRate: 0.01, l2Regularization: 0.003, learnRateSchedule: "piecewise", learnRateDropPeriod: 40, learnRateDropFactor: 0.1 };
const REPLICA = fileURLToPath(new URL("../../tools/pytorch-baseline/japanese_vowels.py", import.meta.url));

/** The main job's network (MATLAB's selfAttentionLayer example with mean pooling), as the replica builds it. */
const mainJobNet = (channels, classes) => netChain([sequenceInputLayer(channels, { normalization: "zscore" }), selfAttentionLayer(4, 12),
  layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(classes), softmaxLayer()]);

export function benchVowels({ epochs, repeats, log }) {
  const rows = [];
  const workload = { suite: "training", task: "japanese-vowels", epochs, batch: 27 };
  const { train } = loadJapaneseVowels();
  const x = train.sequences.map((d, i) => new Tensor(d, [train.lengths[i], train.channels]));
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const net = mainJobNet(train.channels, train.classNames.length);
    const t0 = performance.now();
    trainNet(net, { x, y: train.labels }, { ...SETTINGS, maxEpochs: epochs, seed: r, verbose: false });
    times.push((performance.now() - t0) / 1000);
  }
  rows.push({ ...workload, engine: "ours", status: "ok", seconds: round(median(times), 3), runs: repeats });
  log(`  japanese vowels ${epochs} epochs  ours     ${median(times).toFixed(2)} s`);
  try {
    const version = torchAvailable();
    const args = ["--seeds", Array(repeats).fill(0).join(","), "--epochs", String(epochs), "--batch", "27", "--lr", "0.01",
      "--l2", "0.003", "--drop-period", "40", "--drop-factor", "0.1", "--threads", "1"];
    const seconds = runPythonJson(REPLICA, args).filter((l) => "seconds" in l).map((l) => l.seconds);
    rows.push({ ...workload, engine: "pytorch", version, status: "ok", seconds: round(median(seconds), 3), runs: seconds.length });
    log(`  japanese vowels ${epochs} epochs  pytorch  ${median(seconds).toFixed(2)} s`);
  } catch (err) {
    rows.push({ ...workload, engine: "pytorch", status: "unavailable", reason: firstLine(err.stderr || err) });
  }
  return rows;
}
