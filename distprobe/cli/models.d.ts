import { type NetChain } from "../nets/netChain.js";
/**
 * MATLAB's selfAttentionLayer example network, [sequenceInputLayer(12) selfAttentionLayer(4,12)
 * layerNormalizationLayer fullyConnectedLayer(9) softmaxLayer], with the mean over valid time steps
 * that a sequence-to-label task needs, and z-scored inputs.
 */
export declare function attentionModel(channels: number, classes: number): NetChain;
/** MathWorks' LSTM baseline for the same data: lstmLayer(100, OutputMode "last"), fullyConnectedLayer(9), softmax. */
export declare function lstmModel(channels: number, classes: number): NetChain;
