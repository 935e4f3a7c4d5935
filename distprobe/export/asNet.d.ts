import { Layer } from "../layers/layer.js";
import { NetGraph } from "../nets/netGraph.js";
export declare function asNet(layer: Layer, exporter: string): NetGraph;
/** The channel count a sequence net declares for graph input `port` (its sequenceInputLayer's inputSize). */
export declare function declaredInputSize(net: NetGraph, port: string): number | undefined;
/** True when the net takes padded sequences with lengths (one input feeding a sequenceInputLayer). */
export declare function takesSequences(net: NetGraph): boolean;
/** True when graph input `port` feeds only selfAttentionLayer "mask" ports (so its data are [B, T]). */
export declare function feedsOnlyPaddingMasks(net: NetGraph, port: string): boolean;
