// A custom scoring net for the attention layers' tests, built from the library's own layers.
import { additionLayer, fullyConnectedLayer, netGraph, tanhLayer } from "../../src/index.js";

/** Additive (Bahdanau) scoring wᵀ tanh(W₁k + W₂q + b). */
export function additiveScoring(units = 4) {
  return netGraph({
    inputs: ["input", "query"],
    nodes: {
      keyPart: fullyConnectedLayer(units, { hasBias: false }),
      queryPart: fullyConnectedLayer(units),
      sum: additionLayer(2),
      squash: tanhLayer(),
      score: fullyConnectedLayer(1, { hasBias: false }),
    },
    edges: [["input", "keyPart"], ["query", "queryPart"], ["keyPart", "sum/in1"], ["queryPart", "sum/in2"], ["sum", "squash"], ["squash", "score"]],
  });
}
