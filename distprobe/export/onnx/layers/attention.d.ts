export declare const attentionToOnnx: import("../translator.js").OnnxTranslator;
