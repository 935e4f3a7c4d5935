import type { Layer } from "../layers/layer.js";
/**
 * Writes serializeNet(net) to a .safetensors file atomically (Node only).
 * @example saveNet(net, "net.safetensors")
 */
export declare function saveNet(net: Layer, path: string): void;
/**
 * Reads a file written by saveNet and rebuilds the net, checking everything first (Node only).
 * @example const net = loadNet<NetChain>("net.safetensors")
 */
export declare function loadNet<T extends Layer = Layer>(path: string): T;
