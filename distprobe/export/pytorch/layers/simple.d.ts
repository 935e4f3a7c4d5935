import { type TorchTranslator } from "../translator.js";
export declare const sequenceInputToTorch: TorchTranslator;
export declare const fullyConnectedToTorch: TorchTranslator;
export declare const layerNormalizationToTorch: TorchTranslator;
export declare const activationToTorch: TorchTranslator;
/** Dropout in training (PyTorch scales kept values by 1/(1 − p), as the layer does), identity in eval(). */
export declare const dropoutToTorch: TorchTranslator;
export declare const additionToTorch: TorchTranslator;
