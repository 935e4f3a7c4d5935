import { Layer } from "../layers/layer.js";
export declare const NET_FORMAT = "attention-layers/net@1";
/** Deepest config nesting accepted (a real net needs about 10 levels per nested netGraph). */
export declare const MAX_CONFIG_DEPTH = 200;
/** The safetensors bytes of an initialized net; `where` names the caller in errors. */
export declare function encodeNet(net: Layer, where: string): Uint8Array;
/** serializeNet(net): the bytes saveNet writes (safetensors with the config and checksums in __metadata__). */
export declare function serializeNet(net: Layer): Uint8Array;
/** Rebuilds a net from serializeNet's bytes (or a saveNet file's contents); throws "deserializeNet: …". */
export declare function deserializeNet<T extends Layer = Layer>(bytes: Uint8Array | ArrayBuffer): T;
/** The decoding behind deserializeNet and loadNet; every message starts with `prefix`. */
export declare function decodeNet(input: Uint8Array | ArrayBuffer, prefix: string): Layer;
