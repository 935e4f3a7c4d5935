// The main job: train the documented self-attention network (or the LSTM baseline) on the Japanese
// Vowels speaker data, report test accuracy beside the published reference points, save the net, and
// write the report folder. Every output is checked and the --out folder locked before training starts.
import {
  SelfAttentionLayer, SequenceInputLayer, Tensor, argmaxRows, exportOnnx, loadJapaneseVowels, ops, printable, saveNet, trainNet, writeFileAtomicSync,
  type NetChain, type Split, type TrainingHistory,
} from "attention-layers";
import { attentionModel, lstmModel } from "./models.js";
import { claimOutputs } from "./outputs.js";
import { writeReport, type AttentionExample } from "./writeReport.js";

export interface JobOptions {
  model: "attention" | "lstm";
  epochs: number;
  seed: number;
  out: string;
  batchSize: number;
  learnRate: number;
  l2Regularization: number;
  /** epochs between learning-rate drops; 0 = constant learning rate */
  learnRateDropPeriod: number;
  learnRateDropFactor: number;
  dataDir?: string;
  /** where to write the ONNX model (default: beside the .safetensors) */
  onnxPath?: string;
  verbose: boolean;
  log: (line: string) => void;
}

export interface JobResult {
  accuracy: number;
  seconds: number;
  history: TrainingHistory;
  netPath: string;
  onnxPath: string;
  reportPath: string;
}

const REFERENCES: [string, string][] = [
  ["1-NN DTW (UEA archive, Bagnall et al. 2018)", "≈ 0.95"],
  ["MathWorks LSTM example (same data)", "≈ 0.94–0.95"],
];

const sequences = (s: Split) => s.sequences.map((d, i) => new Tensor(d, [s.lengths[i], s.channels]));

export function runJapaneseVowels(o: JobOptions): JobResult {
  const { train, test } = loadJapaneseVowels(o.dataDir);
  const outputs = claimOutputs({ out: o.out, model: o.model, onnxPath: o.onnxPath });
  try {
    return trainAndWrite(o, train, test, outputs);
  } finally {
    outputs.release();
  }
}

function trainAndWrite(o: JobOptions, train: Split, test: Split, { netPath, onnxPath }: { netPath: string; onnxPath: string }): JobResult {
  o.log(`Japanese Vowels: ${train.sequences.length} training and ${test.sequences.length} test utterances, ${train.channels} channels, ${train.classNames.length} speakers`);
  const build = o.model === "attention" ? attentionModel : lstmModel;
  const net = build(train.channels, train.classNames.length);
  o.log("the test split is watched each epoch (shown as validation) but never used to choose anything");
  o.log(`model: ${o.model} (${Object.values(net.nodes).map((l) => l.kind).join(" → ")})`);
  o.log(`training: ${describeTraining(o)}`);
  const t0 = performance.now();
  const testX = sequences(test);
  const schedule = o.learnRateDropPeriod > 0
    ? { learnRateSchedule: "piecewise" as const, learnRateDropPeriod: o.learnRateDropPeriod, learnRateDropFactor: o.learnRateDropFactor }
    : {};
  const { history } = trainNet(net, { x: sequences(train), y: train.labels }, {
    maxEpochs: o.epochs, miniBatchSize: o.batchSize, learnRate: o.learnRate, seed: o.seed, l2Regularization: o.l2Regularization, ...schedule,
    validationData: { x: testX, y: test.labels }, verbose: o.verbose,
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const outputs = net.predict(testX) as Tensor[];
  const predicted = outputs.map((p) => argmaxRows(p)[0]);
  const accuracy = predicted.filter((p, i) => p === test.labels[i]).length / predicted.length;
  const k = test.classNames.length;
  const counts = new Array(k * k).fill(0);
  predicted.forEach((p, i) => counts[test.labels[i] * k + p]++);
  const seconds = (performance.now() - t0) / 1000;
  const summary: [string, string][] = [
    ["model", describeModel(o.model, train)],
    ["test accuracy", `${accuracy.toFixed(4)} (${predicted.filter((p, i) => p === test.labels[i]).length} of ${predicted.length})`],
    ...REFERENCES,
    ["training", `${describeTraining(o)}: ${trainSeconds.toFixed(1)} s`],
    ["data", "Japanese Vowels (Kudo, Toyama, Shimbo 1999; UCI, CC BY 4.0), UEA train/test split"],
  ];
  saveNet(net, netPath);
  writeFileAtomicSync(onnxPath, exportOnnx(net, { docString: `Japanese Vowels speaker classifier (${o.model}); test accuracy ${accuracy.toFixed(4)}` }));
  const reportPath = writeReport({
    dir: o.out, title: `Japanese Vowels speaker classification (${o.model})`, summary, history,
    confusion: { counts, classNames: test.classNames }, attention: attentionExamples(net, testX, test, predicted),
  });
  o.log(`test accuracy ${accuracy.toFixed(4)}   (published: 1-NN DTW ≈ 0.95, MathWorks LSTM ≈ 0.94–0.95)`);
  o.log(`saved the net to ${printable(netPath)} and ${printable(onnxPath)} (ONNX: inputs "input" [batch, time, ${train.channels}] and "mask" [batch, time]); report: ${printable(reportPath)}`);
  return { accuracy, seconds, history, netPath, onnxPath, reportPath };
}

function describeModel(model: JobOptions["model"], data: Split): string {
  const input = `sequenceInput(${data.channels}, zscore)`, output = `fc(${data.classNames.length}) → softmax`;
  return model === "attention" ? `${input} → selfAttention(4 heads, 12 key channels) → layerNorm → mean pool → ${output}` : `${input} → lstm(100, last) → ${output}`;
}

function describeTraining(o: JobOptions): string {
  const drop = o.learnRateDropPeriod > 0 ? `, ×${o.learnRateDropFactor} every ${o.learnRateDropPeriod} epochs` : "";
  return `${o.epochs} epochs, mini-batch ${o.batchSize}, Adam lr ${o.learnRate}${drop}, L2 ${o.l2Regularization}, seed ${o.seed}`;
}

/** Head-averaged self-attention weights of four test utterances (one per speaker 1–4), when the net has attention. */
function attentionExamples(net: NetChain, testX: Tensor[], test: Split, predicted: number[]): AttentionExample[] {
  const input = Object.values(net.nodes).find((l): l is SequenceInputLayer => l instanceof SequenceInputLayer);
  const attention = Object.values(net.nodes).find((l): l is SelfAttentionLayer => l instanceof SelfAttentionLayer);
  if (!input || !attention) return [];
  const picks = [0, 1, 2, 3].map((c) => test.labels.indexOf(c)).filter((i) => i >= 0);
  return picks.map((i) => {
    const x = input.apply(ops.reshape(testX[i], [1, ...testX[i].shape])) as Tensor;
    const { scores } = attention.forwardBatch({ x }, { returnScores: true });
    const T = testX[i].shape[0], H = attention.numHeads;
    const mean = ops.mean(ops.reshape(scores!, [H, T, T]), 0);
    return { index: i, label: test.classNames[test.labels[i]], predicted: test.classNames[predicted[i]], length: T, weights: mean.data, heads: H };
  });
}
