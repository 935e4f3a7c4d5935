import type { SelfAttentionLayer } from "../../../layers/attention/selfAttentionLayer.js";
/** True when torch.nn.MultiheadAttention computes exactly this layer. */
export declare function usesMultiheadAttention(layer: SelfAttentionLayer): boolean;
export declare const selfAttentionToTorch: import("../translator.js").TorchTranslator;
