// A lock on an output folder, so two runs writing the same folder never mix their files: the lock file
// `.attention-layers.lock` is created with O_EXCL (only one creator can succeed) and holds who has it
// (origin, pid, host, start time, a random token). A lock whose holder is provably gone (fileOwner.ts:
// killed, same host and pid namespace) is taken over; any other held lock is refused, naming its holder.
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import { isAbandoned, self } from "./fileOwner.js";
import { readTextFile } from "./regularFile.js";
import { printable } from "../util/text.js";

/** A lock file is a few hundred bytes; anything longer is not one of ours. */
const MAX_LOCK_BYTES = 4096;

export const LOCK_FILE = ".attention-layers.lock";

interface Holder {
  origin: string;
  pid: number;
  host: string;
  started: string;
  token: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readTextFile(path, MAX_LOCK_BYTES, "lock")) as Holder; // another run's file: bounded, and printed escaped
    return typeof h.origin === "string" && Number.isInteger(h.pid) && typeof h.host === "string" && typeof h.started === "string" && typeof h.token === "string" ? h : undefined;
  } catch {
    return undefined; // gone, or being written right now
  }
}

/** Thrown when another run holds the folder; the message names the holder (pid, host, start time) and the lock file. */
export class DirectoryLockedError extends Error {}

function lockedError(dir: string, path: string, h: Holder | undefined): DirectoryLockedError {
  const who = h ? `process ${h.pid} on ${printable(h.host)}, since ${printable(h.started)}` : "a run that is starting";
  return new DirectoryLockedError(`${printable(dir)} is in use by another run (${who}; lock file ${printable(path)}). Wait for it to finish, choose another folder, or delete the lock file if that run is gone`);
}

/**
 * Locks folder `dir` (which must exist) for this process; returns the function that releases it.
 * Throws DirectoryLockedError when another live run holds it; other errors (EACCES, EROFS…) pass through.
 */
export function lockDirectory(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const token = randomBytes(8).toString("hex");
  const mine: Holder = { origin: self.origin, pid: self.pid, host: hostname(), started: new Date().toISOString(), token };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(path, JSON.stringify(mine), { flag: "wx" });
      return () => release(path, token);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const held = readHolder(path);
    if (!held || !isAbandoned(held)) throw lockedError(dir, path, held);
    // The holder was killed: move its lock aside under a name of our own, and remove it only if it is
    // still that holder's (another run may have taken it over in between: then put that one back).
    const aside = `${path}.${token}.stale`;
    try {
      fs.renameSync(path, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readHolder(aside);
    if (moved?.token !== held.token) {
      try { fs.linkSync(aside, path); } catch { /* a third run holds it now */ }
      fs.rmSync(aside, { force: true });
      throw lockedError(dir, path, moved);
    }
    fs.rmSync(aside, { force: true });
  }
  throw lockedError(dir, path, readHolder(path));
}

/** Removes the lock if it is still ours. */
function release(path: string, token: string): void {
  if (readHolder(path)?.token === token) fs.rmSync(path, { force: true });
}
