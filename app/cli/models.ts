// The two networks of the main job, as MATLAB builds them.
import {
  fullyConnectedLayer, globalAveragePooling1dLayer, layerNormalizationLayer, lstmLayer, netChain, selfAttentionLayer, sequenceInputLayer,
  softmaxLayer, type NetChain,
} from "attention-layers";

/**
 * MATLAB's selfAttentionLayer example network, [sequenceInputLayer(12) selfAttentionLayer(4,12)
 * layerNormalizationLayer fullyConnectedLayer(9) softmaxLayer], with the mean over valid time steps
 * that a sequence-to-label task needs, and z-scored inputs.
 */
export function attentionModel(channels: number, classes: number): NetChain {
  return netChain([
    sequenceInputLayer(channels, { normalization: "zscore", name: "sequenceInput" }),
    selfAttentionLayer(4, 12, { name: "attention" }),
    layerNormalizationLayer({ name: "norm" }),
    globalAveragePooling1dLayer({ name: "pool" }),
    fullyConnectedLayer(classes, { name: "fc" }),
    softmaxLayer({ name: "softmax" }),
  ]);
}

/** MathWorks' LSTM baseline for the same data: lstmLayer(100, OutputMode "last"), fullyConnectedLayer(9), softmax. */
export function lstmModel(channels: number, classes: number): NetChain {
  return netChain([
    sequenceInputLayer(channels, { normalization: "zscore", name: "sequenceInput" }),
    lstmLayer(100, { outputMode: "last", name: "lstm" }),
    fullyConnectedLayer(classes, { name: "fc" }),
    softmaxLayer({ name: "softmax" }),
  ]);
}
