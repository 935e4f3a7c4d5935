/** y[b] = Σ_t m[b,t] x[b,t] / Σ_t m[b,t] with the mask, else the mean over time: [B, T, C] → [B, C]. */
export declare const globalAveragePoolingToOnnx: import("../translator.js").OnnxTranslator;
/** y[t] = weights[t]: Slice the table to T rows and Expand to [B, T, outputSize]. */
export declare const positionEmbeddingToOnnx: import("../translator.js").OnnxTranslator;
/** y[b, t] = weights[index[b, t]] for [B, T, 1] indices (padded steps read row 0, as in the layer). */
export declare const embeddingToOnnx: import("../translator.js").OnnxTranslator;
/**
 * lstmLayer → ONNX LSTM (time-major; onnxruntime runs layout 0 only). ONNX orders the gates i, o, f, c
 * where MATLAB (and the layer) order i, f, g, o; sequence_lens from the mask makes Y_h each row's last
 * valid step, which is outputMode "last".
 */
export declare const lstmToOnnx: import("../translator.js").OnnxTranslator;
