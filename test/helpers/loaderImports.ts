export * from "../../src/node/index.js";
export type { NamedArray as NamedArrayLike } from "../../src/nets/safetensors.js";
