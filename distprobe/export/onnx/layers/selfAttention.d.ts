export declare const selfAttentionToOnnx: import("../translator.js").OnnxTranslator;
