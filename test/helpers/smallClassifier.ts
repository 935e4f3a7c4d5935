// A small attention classifier and data for it, for the trainNet tests of data checks and divergence.
import { fullyConnectedLayer, globalAveragePooling1dLayer, netChain, type Random, selfAttentionLayer, sequenceInputLayer, softmaxLayer } from "../../src/index.js";
import { randomTensor } from "./numeric.js";

/** sequence [T, 3] → self-attention → average over time → 2 class probabilities */
export const smallClassifier = () => netChain([sequenceInputLayer(3), selfAttentionLayer(1, 4), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer()]);

/** 12 sequences of 2–4 steps and 3 channels; class 1 where the first value is positive. */
export function classificationData(random: Random) {
  const x = Array.from({ length: 12 }, (_, i) => randomTensor([2 + (i % 3), 3], random, 3));
  return { x, y: x.map((s) => (s.data[0] > 0 ? 1 : 0)) };
}
