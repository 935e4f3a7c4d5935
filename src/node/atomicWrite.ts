// Atomic writes (Node only): write a temp file `.<name>.<origin>-<pid>-<thread>.<random>.tmp` in the
// target's directory, fsync it, rename it over the target (atomic on POSIX within one filesystem), then
// best-effort fsync the directory. On any failure the temp file is removed and the target is left
// untouched. Every writer (process, thread, call) has its own temp name, so writers side by side never
// touch each other's files. A process killed mid-write leaves its temp file behind; a later write of the
// same target removes it once its owner is provably gone (fileOwner.ts).
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { isAbandoned, self, type FileOwner } from "./fileOwner.js";
import { printable } from "../util/text.js";

/** The temp file a writer uses for `path` (random part included: each call gets its own). */
export function tempPathFor(path: string, owner: FileOwner = self): string {
  return join(dirname(path), `.${basename(path)}.${owner.origin}-${owner.pid}-${owner.thread}.${randomBytes(6).toString("hex")}.tmp`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Removes temp files of `path` whose writers are provably gone (see isAbandoned). Best-effort: errors are ignored. */
export function removeStaleTempFiles(path: string): void {
  const dir = dirname(path);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.([0-9a-f]{8})-(\\d+)-\\d+\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || !isAbandoned({ origin: match[1], pid: Number(match[2]) })) continue;
    try { fs.rmSync(join(dir, name), { force: true }); } catch { /* best effort */ }
  }
}

/** Throws a clear error when `path` cannot be a file target (a directory, or a name ending in "/"). */
function checkTarget(path: string): void {
  if (typeof path !== "string" || path === "") throw new Error(`expected a file path, got ${JSON.stringify(path)}`);
  if (/[\\/]$/.test(path)) throw new Error(`${printable(path)} ends with a path separator; give a file name`);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(path);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new Error(`${printable(path)} is a directory; give a file name inside it`);
}

/** Atomically replace `path` with `bytes` (strings are written as UTF-8). */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  checkTarget(path);
  removeStaleTempFiles(path);
  const tmp = tempPathFor(path);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, "wx", await existingMode(path));
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

/** Synchronous variant of {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, bytes: Uint8Array | string): void {
  checkTarget(path);
  removeStaleTempFiles(path);
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", existingModeSync(path));
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
    }
    try { fs.rmSync(tmp, { force: true }); } catch { /* already failing */ }
    throw err;
  }
  fsyncDirSync(dirname(path));
}

/** Keep the permission bits of a file being replaced; new files get 0o666 & ~umask. */
async function existingMode(path: string): Promise<number> {
  try {
    return (await fsp.stat(path)).mode & 0o7777;
  } catch {
    return 0o666;
  }
}

function existingModeSync(path: string): number {
  try {
    return fs.statSync(path).mode & 0o7777;
  } catch {
    return 0o666;
  }
}

/** Persist the rename itself; not possible on every platform (e.g. Windows), so best-effort. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await fsp.open(dir, "r");
    try { await h.sync(); } finally { await h.close(); }
  } catch { /* unsupported here */ }
}

function fsyncDirSync(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch { /* unsupported here */ }
}
