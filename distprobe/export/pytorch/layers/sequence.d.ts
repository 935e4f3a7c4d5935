export declare const globalAveragePoolingToTorch: import("../translator.js").TorchTranslator;
/** y[t] = weights[t], the table kept as an Embedding's weight. */
export declare const positionEmbeddingToTorch: import("../translator.js").TorchTranslator;
/** Indices [B, T, 1] → Embedding; padded steps read row 0, as in the layer. */
export declare const embeddingToTorch: import("../translator.js").TorchTranslator;
/**
 * torch.nn.LSTM orders its gates i, f, g, o like MATLAB, so the weights map one to one; its two biases
 * add up to the layer's one. outputMode "last" picks each row's last valid step.
 */
export declare const lstmToTorch: import("../translator.js").TorchTranslator;
