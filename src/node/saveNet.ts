// saveNet / loadNet (Node only): serializeNet's bytes in one .safetensors file (readable by PyTorch and
// Hugging Face tools). The write is atomic (temp file, then rename) and removes temp files that killed
// earlier saves of the same target left behind; every error names the function and the path (printable: a file
// name may hold terminal controls, and the system's own messages repeat it raw).
// loadNet reads only what the file declares: it refuses anything but a regular file (regularFile.ts), then
// reads the 8-byte prefix, the header, and the data bytes the header's tensors tile, in chunks of at most 16 MB.
import { closeSync } from "node:fs";
import { dirname } from "node:path";
import type { Layer } from "../layers/layer.js";
import type { ByteSource } from "../nets/safetensors.js";
import { decodeNet, encodeNet } from "../nets/serializeNet.js";
import { writeFileAtomicSync } from "./atomicWrite.js";
import { openRegularFile, readExactly } from "./regularFile.js";
import { printable } from "../util/text.js";

function checkPath(path: unknown, where: string): asserts path is string {
  if (typeof path !== "string" || path === "") throw new Error(`${where}: path must be a non-empty string, got ${path === null ? "null" : typeof path === "string" ? '""' : typeof path}`);
}

/**
 * Writes serializeNet(net) to a .safetensors file atomically (Node only).
 * @example saveNet(net, "net.safetensors")
 */
export function saveNet(net: Layer, path: string): void {
  checkPath(path, "saveNet");
  const shown = printable(path);
  const bytes = encodeNet(net, `saveNet ${shown}`);
  try {
    writeFileAtomicSync(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? `the directory ${printable(dirname(path))} does not exist`
      : code === "EACCES" || code === "EPERM" ? `permission denied in ${printable(dirname(path))}`
      : code === "ENOTDIR" ? `a part of the path is not a directory`
      : code !== undefined ? printable((e as Error).message) // the system's message repeats the path raw
      : (e as Error).message; // writeFileAtomicSync's own, printable already
    throw new Error(`saveNet ${shown}: cannot write the file: ${reason}`);
  }
}

/**
 * Reads a file written by saveNet and rebuilds the net, checking everything first (Node only).
 * @example const net = loadNet<NetChain>("net.safetensors")
 */
export function loadNet<T extends Layer = Layer>(path: string): T {
  checkPath(path, "loadNet");
  const shown = printable(path);
  const cannotRead = (reason: string) => new Error(`loadNet ${shown}: cannot read the file: ${reason}`);
  const { fd, size } = openRegularFile(path, cannotRead);
  try {
    const source: ByteSource = { size, read: (offset, target) => readExactly(fd, offset, target, size, cannotRead) };
    return decodeNet(source, `loadNet ${shown}: `) as T;
  } finally {
    closeSync(fd);
  }
}
