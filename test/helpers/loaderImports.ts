export * from "../../src/index.js";
export type { NamedArray as NamedArrayLike } from "../../src/nets/safetensors.js";
