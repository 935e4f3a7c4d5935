import { type OnnxTranslator } from "../translator.js";
/** y = (x − mean) / standardDeviation with "zscore", else x. */
export declare const sequenceInputToOnnx: OnnxTranslator;
export declare const fullyConnectedToOnnx: OnnxTranslator;
/** ONNX LayerNormalization (opset 17) over the last axis: the same (x − μ)/√(σ² + ε)·scale + offset. */
export declare const layerNormalizationToOnnx: OnnxTranslator;
export declare const activationToOnnx: OnnxTranslator;
export declare const dropoutToOnnx: OnnxTranslator;
/** out = in1 + … + inN; the padding is that of in1, as in the layer. */
export declare const additionToOnnx: OnnxTranslator;
