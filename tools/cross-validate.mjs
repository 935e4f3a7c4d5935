// Chooses the main job's regularization on the training split alone: k-fold cross-validation of a few
// training settings, each fold trained from scratch. The test split is never read.
// Usage: npm run build && node tools/cross-validate.mjs [folds=5] [seed=0]
import { netChain, sequenceInputLayer, selfAttentionLayer, layerNormalizationLayer, globalAveragePooling1dLayer,
  fullyConnectedLayer, softmaxLayer, trainNet, classify, Tensor, Random } from "attention-layers";
import { loadJapaneseVowels } from "../dist/data/japaneseVowels.js";

const folds = Number(process.argv[2] ?? 5), seed = Number(process.argv[3] ?? 0);
const { train } = loadJapaneseVowels();
const x = train.sequences.map((d, i) => new Tensor(d, [train.lengths[i], train.channels]));
const y = train.labels;
const order = new Random(seed).permutation(x.length);
const settings = {
  "no L2": { l2Regularization: 0 },
  "L2 1e-3": { l2Regularization: 1e-3 },
  "L2 3e-3": { l2Regularization: 3e-3 },
  "L2 3e-3, lr ×0.1 at epoch 40": { l2Regularization: 3e-3, learnRateSchedule: "piecewise", learnRateDropPeriod: 40, learnRateDropFactor: 0.1 },
};
for (const [name, extra] of Object.entries(settings)) {
  const accuracies = [];
  for (let f = 0; f < folds; f++) {
    const held = new Set(order.filter((_, i) => i % folds === f));
    const pick = (keep) => x.map((_, i) => i).filter((i) => held.has(i) !== keep);
    const [tr, va] = [pick(true), pick(false)];
    const net = netChain([sequenceInputLayer(12, { normalization: "zscore" }), selfAttentionLayer(4, 12), layerNormalizationLayer(),
      globalAveragePooling1dLayer(), fullyConnectedLayer(9), softmaxLayer()]);
    trainNet(net, { x: tr.map((i) => x[i]), y: tr.map((i) => y[i]) }, { maxEpochs: 60, miniBatchSize: 27, learnRate: 0.01, seed: f, verbose: false, ...extra });
    const predicted = classify(net, va.map((i) => x[i]));
    accuracies.push(predicted.filter((p, k) => p === y[va[k]]).length / va.length);
  }
  const mean = accuracies.reduce((s, a) => s + a, 0) / folds;
  console.log(`${name.padEnd(32)} ${folds}-fold accuracy ${mean.toFixed(4)}  [${accuracies.map((a) => a.toFixed(3)).join(", ")}]`);
}
