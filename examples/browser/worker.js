// The demo's worker: loads the Japanese Vowels data bundled into it, trains the seed network, and answers
// with progress, attention weights of a test utterance, and the trained net as safetensors bytes.
import {
  ready, japaneseVowelsFromText, netChain, sequenceInputLayer, selfAttentionLayer, layerNormalizationLayer, globalAveragePooling1dLayer,
  fullyConnectedLayer, softmaxLayer, trainNet, classify, serializeNet, deserializeNet, ops,
} from "attention-layers";
// bundled as text by esbuild (see build.mjs)
import trainText from "attention-layers/data/japanese-vowels/JapaneseVowels_TRAIN.ts";
import testText from "attention-layers/data/japanese-vowels/JapaneseVowels_TEST.ts";

const { train, test } = japaneseVowelsFromText(trainText, testText);
let net = null;

/** The network of `npm start` (app/cli/models.ts): MATLAB's selfAttentionLayer example with mean pooling. */
function seedNetwork() {
  return netChain([
    sequenceInputLayer(train.channels, { normalization: "zscore", name: "sequenceInput" }),
    selfAttentionLayer(4, 12, { name: "attention" }),
    layerNormalizationLayer({ name: "norm" }),
    globalAveragePooling1dLayer({ name: "pool" }),
    fullyConnectedLayer(train.classNames.length, { name: "fc" }),
    softmaxLayer({ name: "softmax" }),
  ]);
}

/** Head-averaged attention weights [T, T] of test utterance i: a copy of the trained layer that also outputs its scores. */
function attentionOf(i) {
  const x = net.nodes.sequenceInput.apply(test.x[i]);
  const probe = selfAttentionLayer(4, 12, { hasScoresOutput: true });
  for (const [name, value] of Object.entries(net.nodes.attention.parameters)) probe.setParameter(name, value);
  const { scores } = probe.apply(x); // [H, T, T]
  const mean = ops.mean(scores, 0); // [T, T]
  const predicted = classify(net, [test.x[i]])[0];
  return { type: "attention", index: i, length: test.lengths[i], weights: mean.data, speaker: test.classNames[test.labels[i]], predicted: test.classNames[predicted] };
}

function run({ epochs, utterance }) {
  net = seedNetwork();
  const { history } = trainNet(net, { x: train.x, y: train.labels }, {
    maxEpochs: epochs, miniBatchSize: 27, learnRate: 0.01, l2Regularization: 0.003,
    learnRateSchedule: "piecewise", learnRateDropPeriod: Math.max(1, Math.round((epochs * 2) / 3)), learnRateDropFactor: 0.1,
    validationData: { x: test.x, y: test.labels },
    progressSink: { iteration: (info) => postMessage({ type: "iteration", ...info }) },
    onProgress: (info) => { postMessage({ type: "epoch", ...info }); },
  });
  postMessage(attentionOf(utterance));
  // the download: safetensors bytes; reloading them must give the same predictions
  const bytes = serializeNet(net);
  const before = net.predict(test.x), after = deserializeNet(bytes).predict(test.x);
  const identical = before.every((p, i) => p.data.every((v, k) => v === after[i].data[k]));
  postMessage({ type: "done", bytes, identical, predicted: classify(net, test.x), accuracy: history.validationAccuracy.at(-1), seconds: history.seconds.at(-1) }, [bytes.buffer]);
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "train") run(data);
    else if (data.type === "attention" && net) postMessage(attentionOf(data.index));
  } catch (e) {
    postMessage({ type: "error", message: e.message });
  }
};

await ready();
postMessage({ type: "ready", speakers: test.labels.map((c) => test.classNames[c]), lengths: test.lengths, train: train.x.length });
