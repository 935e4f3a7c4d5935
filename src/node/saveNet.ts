// saveNet / loadNet (Node only): serializeNet's bytes in one .safetensors file (readable by PyTorch and
// Hugging Face tools). The write is atomic (temp file, then rename) and removes temp files that killed
// earlier saves of the same target left behind; every error names the function and the path.
// loadNet reads only what the file declares: it refuses anything but a regular file (fstat), then reads
// the 8-byte prefix, the header, and the data bytes the header's tensors tile, in chunks of at most 16 MB.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { dirname } from "node:path";
import type { Layer } from "../layers/layer.js";
import type { ByteSource } from "../nets/safetensors.js";
import { decodeNet, encodeNet } from "../nets/serializeNet.js";
import { writeFileAtomicSync } from "./atomicWrite.js";

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
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)); // a FIFO must not block the open
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw cannotRead(code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw cannotRead("it is a directory");
    if (!stat.isFile()) throw cannotRead("it is not a regular file (a device, pipe or socket has no size to check)");
    return decodeNet(fileSource(fd, stat.size, cannotRead), `loadNet ${path}: `) as T;
  } finally {
    closeSync(fd);
  }
}

/** Largest single read (a tensor of any size is read in pieces of this many bytes). */
const READ_CHUNK = 16 * 1024 * 1024;

/** An open regular file as a ByteSource; a file that shrinks while being read is a clear error. */
function fileSource(fd: number, size: number, cannotRead: (reason: string) => Error): ByteSource {
  return {
    size,
    read(offset, target) {
      for (let done = 0; done < target.length;) {
        const length = Math.min(READ_CHUNK, target.length - done);
        let got: number;
        try {
          got = readSync(fd, target, done, length, offset + done);
        } catch (e) {
          throw cannotRead((e as Error).message);
        }
        if (got === 0) throw cannotRead(`it ended at byte ${offset + done} while being read (it was ${size} bytes; changed by another process?)`);
        done += got;
      }
    },
  };
}
