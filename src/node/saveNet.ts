// saveNet / loadNet (Node only): serializeNet's bytes in one .safetensors file (readable by PyTorch and
// Hugging Face tools). The write is atomic (temp file, then rename) and removes temp files that killed
// earlier saves of the same target left behind; every error names the function and the path.
// loadNet reads only what the file declares: it refuses anything but a regular file (regularFile.ts), then
// reads the 8-byte prefix, the header, and the data bytes the header's tensors tile, in chunks of at most 16 MB.
import { closeSync } from "node:fs";
import { dirname } from "node:path";
import type { Layer } from "../layers/layer.js";
import type { ByteSource } from "../nets/safetensors.js";
import { decodeNet, encodeNet } from "../nets/serializeNet.js";
import { writeFileAtomicSync } from "./atomicWrite.js";
import { openRegularFile, readExactly } from "./regularFile.js";

function checkPath(path: unknown, where: string): asserts path is string {
  if (typeof path !== "string" || path === "") throw new Error(`${where}: path must be a non-empty string, got ${path === null ? "null" : typeof path === "string" ? '""' : typeof path}`);
}

/**
 * Writes serializeNet(net) to a .safetensors file atomically (Node only).
 * @example saveNet(net, "net.safetensors")
 */
export function saveNet(net: Layer, path: string): void {
  checkPath(path, "saveNet");
  const bytes = encodeNet(net, `saveNet ${path}`);
  try {
    writeFileAtomicSync(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? `the directory ${dirname(path)} does not exist`
      : code === "EACCES" || code === "EPERM" ? `permission denied in ${dirname(path)}`
      : code === "ENOTDIR" ? `a part of the path is not a directory` : (e as Error).message;
    throw new Error(`saveNet ${path}: cannot write the file: ${reason}`);
  }
}

/**
 * Reads a file written by saveNet and rebuilds the net, checking everything first (Node only).
 * @example const net = loadNet<NetChain>("net.safetensors")
 */
export function loadNet<T extends Layer = Layer>(path: string): T {
  checkPath(path, "loadNet");
  const cannotRead = (reason: string) => new Error(`loadNet ${path}: cannot read the file: ${reason}`);
  const { fd, size } = openRegularFile(path, cannotRead);
  try {
    const source: ByteSource = { size, read: (offset, target) => readExactly(fd, offset, target, size, cannotRead) };
    return decodeNet(source, `loadNet ${path}: `) as T;
  } finally {
    closeSync(fd);
  }
}
