// trainNet option combinations around early stopping
import { netChain, sequenceInputLayer, selfAttentionLayer, globalAveragePooling1dLayer, fullyConnectedLayer, softmaxLayer, trainNet, Tensor } from "../../dist/index.js";
import { randArr } from "./lib.mjs";
const xs = [3, 5, 2, 8].map((T) => new Tensor(randArr(T * 4), [T, 4])), y = [0, 1, 0, 1];
const make = () => netChain([sequenceInputLayer(4), selfAttentionLayer(1, 4), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer()]);
for (const opts of [
  { outputNetwork: "best-validation" },
  { validationPatience: 2 },
  { validationData: { x: xs, y }, validationPatience: 0 },
  { validationData: { x: xs, y }, validationPatience: Infinity, outputNetwork: "best-validation", maxEpochs: 3 },
  { validationData: { x: [], y: [] }, maxEpochs: 2 },
  { onProgress: () => "stop", maxEpochs: 5, validationData: { x: xs, y }, outputNetwork: "best-validation" },
]) {
  try { const { history: h } = trainNet(make(), { x: xs, y }, { maxEpochs: 4, verbose: false, ...opts }); console.log(JSON.stringify(Object.keys(opts)), "→", h.stoppedBy, "epochs", h.epoch.length, "outputEpoch", h.outputEpoch); }
  catch (e) { console.log(JSON.stringify(Object.keys(opts)), "→ error:", e.message); }
}
