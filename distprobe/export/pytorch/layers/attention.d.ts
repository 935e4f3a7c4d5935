export declare const attentionToTorch: import("../translator.js").TorchTranslator;
