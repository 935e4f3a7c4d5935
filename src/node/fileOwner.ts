// Who left a file (a temp file of an atomic write, a lock), and whether that writer is provably gone.
// A pid names a process only within one pid namespace on one host: two containers sharing a volume both
// run as pid 1. So every owner carries an origin (a hash of the host name and the pid namespace), and a
// file is abandoned only when its origin is ours and its pid names no live process here. A file of another
// origin, or of this very process (another thread may be writing it), is never called abandoned.
import { createHash } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { threadId } from "node:worker_threads";

export interface FileOwner {
  /** 8 hex digits: the host and pid namespace of the writer */
  origin: string;
  pid: number;
  /** worker_threads thread id (0 on the main thread) */
  thread: number;
}

function pidNamespace(): string {
  try {
    return readlinkSync("/proc/self/ns/pid"); // Linux: "pid:[4026531836]"; elsewhere pids are host-wide
  } catch {
    return "";
  }
}

/** This thread of this process. */
export const self: FileOwner = {
  origin: createHash("sha256").update(`${hostname()}\0${pidNamespace()}`).digest("hex").slice(0, 8),
  pid: process.pid,
  thread: threadId,
};

/** True only when the owner's process is certainly gone: same origin, another pid, and no process with that pid. */
export function isAbandoned(owner: Pick<FileOwner, "origin" | "pid">): boolean {
  if (owner.origin !== self.origin || owner.pid === self.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false; // alive
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH"; // EPERM: alive, owned by someone else
  }
}
