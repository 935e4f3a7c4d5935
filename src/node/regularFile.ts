// Files named by a user, read as hostile input (Node only). Only a regular file is opened for reading: a device
// such as /dev/zero or a FIFO has no size to check and may never end (the open itself does not block on a FIFO).
// readTextFile reads a whole text file up to a cap the caller gives, checked against fstat's size before reading
// and against what the reads return.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { printable } from "../util/text.js";

/**
 * Opens `path` read-only and checks it is a regular file; returns its descriptor (the caller closes it) and size.
 * Failures are cannotRead(reason): "no such file", "it is a directory", "it is not a regular file (…)", or the system's
 * message made printable (it holds the path as it is). The caller shows `path` printable too.
 */
export function openRegularFile(path: string, cannotRead: (reason: string) => Error): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw cannotRead(code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : printable((e as Error).message)); // the system's message repeats the path raw
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw cannotRead("it is a directory");
    if (!stat.isFile()) throw cannotRead("it is not a regular file (a device, pipe or socket has no size to check)");
    return { fd, size: stat.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Fills `target` from byte `offset` of the open file; a file that ends early is cannotRead(…). */
export function readExactly(fd: number, offset: number, target: Uint8Array, size: number, cannotRead: (reason: string) => Error): void {
  for (let done = 0; done < target.length;) {
    let got: number;
    try {
      got = readSync(fd, target, done, Math.min(READ_CHUNK, target.length - done), offset + done);
    } catch (e) {
      throw cannotRead(printable((e as Error).message));
    }
    if (got === 0) throw cannotRead(`it ended at byte ${offset + done} while being read (it was ${size} bytes; changed by another process?)`);
    done += got;
  }
}

/** Largest single read (a longer target is read in pieces of this many bytes). */
const READ_CHUNK = 16 * 1024 * 1024;

/**
 * The UTF-8 text of the regular file at `path`, of at most `maxBytes` bytes. Any failure is an Error whose message
 * starts with `${what} ${path}: cannot read it: ` (the path made printable) and says why.
 */
export function readTextFile(path: string, maxBytes: number, what: string): string {
  const cannotRead = (reason: string) => new Error(`${what} ${printable(path)}: cannot read it: ${reason}`);
  const { fd, size } = openRegularFile(path, cannotRead);
  try {
    if (size > maxBytes) throw cannotRead(`it is ${size} bytes, more than the ${maxBytes} read here`);
    const bytes = Buffer.alloc(size);
    readExactly(fd, 0, bytes, size, cannotRead);
    return bytes.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
