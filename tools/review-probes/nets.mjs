// Nets: batched predict vs one sequence at a time; early stopping; serializeNet/deserializeNet round trips
import { netChain, netGraph, sequenceInputLayer, selfAttentionLayer, layerNormalizationLayer, globalAveragePooling1dLayer, fullyConnectedLayer,
  softmaxLayer, lstmLayer, additionLayer, positionEmbeddingLayer, dropoutLayer, trainNet, serializeNet, deserializeNet, tensor, Tensor, predict, classify } from "../../dist/index.js";
import { randArr, compare, bitEqual } from "./lib.mjs";
let fails = 0; const say = (ok, msg) => { if (!ok) fails++; console.log(`${ok ? "ok  " : "FAIL"} ${msg}`); };
const lens = [1, 7, 3, 29, 2, 16, 5];
const xs = lens.map((T) => new Tensor(randArr(T * 6, 2), [T, 6]));
const nets = {
  "self-attention pooled": () => netChain([sequenceInputLayer(6, { normalization: "zscore" }), selfAttentionLayer(2, 8), layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(3), softmaxLayer()]),
  "causal self-attention seq2seq": () => netChain([sequenceInputLayer(6), selfAttentionLayer(2, 8, { attentionMask: "causal" }), fullyConnectedLayer(3), softmaxLayer()]),
  "lstm last": () => netChain([sequenceInputLayer(6), lstmLayer(5, { outputMode: "last" }), fullyConnectedLayer(3), softmaxLayer()]),
  "two blocks + position": () => netChain([sequenceInputLayer(6), selfAttentionLayer(3, 6, { outputSize: 6 }), selfAttentionLayer(1, 4, { outputSize: 6 }), globalAveragePooling1dLayer(), fullyConnectedLayer(3), softmaxLayer()]),
};
for (const [name, make] of Object.entries(nets)) {
  let net;
  try { net = make(); if (name.includes("pooled")) trainNet(net, { x: xs, y: xs.map((_, i) => i % 3) }, { maxEpochs: 1, verbose: false, seed: 3 }); else net.initialize({ seed: 3 }); } catch (e) { say(false, `${name}: build ${e.message}`); continue; }
  try {
    const batched = net.predict(xs);
    let worst = 0;
    xs.forEach((x, i) => { const alone = net.predict([x])[0]; worst = Math.max(worst, compare(batched[i].data, alone.data).err); });
    say(worst < 1e-5, `${name}: batched predict vs alone max err ${worst.toExponential(2)}`);
    const copy = deserializeNet(serializeNet(net));
    const again = copy.predict(xs);
    say(xs.every((_, i) => bitEqual(again[i].data, batched[i].data)), `${name}: serialize round trip predicts bit-identically`);
    say(Buffer.from(serializeNet(copy)).equals(Buffer.from(serializeNet(net))), `${name}: serialize(deserialize(bytes)) === bytes`);
  } catch (e) { say(false, `${name}: ${e.message}`); }
}
// training: batched gradient equals the sum of per-sequence gradients? Compare via one SGD step with batch all vs... use loss values instead:
{
  const y = lens.map((_, i) => i % 3);
  const make = nets["self-attention pooled"];
  const a = make(); const ra = trainNet(a, { x: xs, y }, { maxEpochs: 3, miniBatchSize: 7, shuffle: "never", seed: 1, verbose: false, learnRate: 0.01 });
  const b = make(); const rb = trainNet(b, { x: xs, y }, { maxEpochs: 3, miniBatchSize: 7, shuffle: "never", seed: 1, verbose: false, learnRate: 0.01 });
  say(JSON.stringify(ra.history.loss) === JSON.stringify(rb.history.loss), `training reproducible: ${ra.history.loss.map((l) => l.toFixed(4))}`);
  // early stopping: validation set = training set shifted labels so validation loss rises
  const c = make();
  const yBad = y.map((v) => (v + 1) % 3);
  const seen = [];
  const rc = trainNet(c, { x: xs, y }, { maxEpochs: 40, miniBatchSize: 7, seed: 1, verbose: false, learnRate: 0.05, validationData: { x: xs, y: yBad }, validationPatience: 3, outputNetwork: "best-validation", onProgress: (p) => { seen.push(p.validationLoss); } });
  const h = rc.history;
  const vl = h.validationLoss;
  const bestEpoch = vl.indexOf(Math.min(...vl)) + 1;
  console.log(`     stoppedBy ${h.stoppedBy}, epochs ${h.epoch.length}, outputEpoch ${h.outputEpoch}, best ${bestEpoch}, val ${vl.map((v) => v.toFixed(3))}`);
  say(h.stoppedBy === "validation-patience" && h.epoch.length === bestEpoch + 3, `early stop after patience 3 epochs without improvement`);
  say(h.outputEpoch === bestEpoch, `outputEpoch is the best validation epoch`);
  // the returned net really holds the best epoch's weights: its validation loss equals the recorded best
  const p = c.predict(xs);
  let loss = 0; p.forEach((t, i) => { loss -= Math.log(t.data[yBad[i]]); }); loss /= xs.length;
  say(Math.abs(loss - vl[bestEpoch - 1]) < 1e-4, `restored net's validation loss ${loss.toFixed(5)} = best recorded ${vl[bestEpoch - 1].toFixed(5)}`);
}
console.log(fails ? `${fails} FAILURES` : "all ok");
