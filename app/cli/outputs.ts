// The main job's outputs, claimed before any training: the --out folder (created if missing, and locked so
// that two runs never mix their files) and every file the job will write, each checked to be writable, with
// errors that name the flag. When a check fails nothing is left behind (a folder it created is removed).
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve, sep } from "node:path";
import { DirectoryLockedError, lockDirectory, printable } from "attention-layers";
import { REPORT_FILES } from "./writeReport.js";

export interface Outputs {
  netPath: string;
  onnxPath: string;
  /** unlocks the --out folder */
  release: () => void;
}

const REASONS: Record<string, string> = {
  ENOENT: "a folder on the path does not exist", ENOTDIR: "a part of the path is not a folder", EACCES: "permission denied",
  EPERM: "permission denied", EROFS: "the file system is read-only", ENOSPC: "no space left on the device", EEXIST: "a file is in the way",
};

function reason(e: unknown): string {
  return REASONS[(e as NodeJS.ErrnoException).code ?? ""] ?? printable((e as Error).message); // the system's message repeats the path raw
}

function statOf(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}

/** A file the job will write: not a folder, in a folder that exists. */
function checkFile(path: string, flag: string): void {
  if (path.endsWith("/") || path.endsWith(sep)) throw new Error(`${flag} ${printable(path)} ends with a path separator; give a file name`);
  if (statOf(path)?.isDirectory()) throw new Error(`${flag} ${printable(path)} is a folder; give a file name`);
  const dir = statOf(dirname(path));
  if (!dir) throw new Error(`${flag} ${printable(path)}: the folder ${printable(dirname(path))} does not exist`);
  if (!dir.isDirectory()) throw new Error(`${flag} ${printable(path)}: ${printable(dirname(path))} is not a folder`);
}

/** Creates (and removes) a file beside `path`: the only sure test of writing there (access() says yes to root on a read-only mount). */
function probeWritable(path: string, flag: string): void {
  const probe = join(dirname(path), `.attention-layers-probe-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  try {
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.rmSync(probe, { force: true });
  } catch (e) {
    throw new Error(`${flag} ${printable(path)}: cannot write in ${printable(dirname(path))}: ${reason(e)}`);
  }
}

/** Creates and locks `out`, checks every output path; throws (naming the flag) before anything is trained. */
export function claimOutputs(o: { out: string; model: string; onnxPath?: string }): Outputs {
  const netPath = join(o.out, `japanese-vowels-${o.model}.safetensors`);
  const onnxPath = o.onnxPath ?? join(o.out, `japanese-vowels-${o.model}.onnx`);
  const { release } = claimFolder(o.out, [netPath, ...Object.values(REPORT_FILES).map((f) => join(o.out, f))], () => {
    checkFile(onnxPath, o.onnxPath === undefined ? "--out" : "--onnx");
    if (o.onnxPath !== undefined) probeWritable(onnxPath, "--onnx"); // outside the locked folder, maybe elsewhere
  });
  return { netPath, onnxPath, release };
}

/**
 * Creates and locks the --out folder `out` and checks that each of `files` (paths in it) can be written, then runs
 * `more` (further checks); on any failure unlocks and removes what it created, and throws. Returns the unlock.
 */
export function claimFolder(out: string, files: readonly string[], more: () => void = () => {}): { release: () => void } {
  if (statOf(out)?.isDirectory() === false) throw new Error(`--out ${printable(out)} is a file, not a folder`);
  let created: string | undefined;
  try {
    created = fs.mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new Error(`--out ${printable(out)}: cannot create the folder: ${reason(e)}`);
  }
  const undo = () => {
    // remove the folders mkdir created (from `out` up to the first one created), innermost first, if still empty
    if (created === undefined) return;
    const first = resolve(created);
    for (let d = resolve(out); ; d = dirname(d)) {
      try { fs.rmdirSync(d); } catch { return; }
      if (d === first || dirname(d) === d) return;
    }
  };
  let release: () => void;
  try {
    release = lockDirectory(out);
  } catch (e) {
    undo();
    throw new Error(e instanceof DirectoryLockedError ? `--out ${e.message}` : `--out ${printable(out)}: cannot write in the folder: ${reason(e)}`);
  }
  try {
    for (const f of files) checkFile(f, "--out");
    more();
    return { release };
  } catch (e) {
    release();
    undo();
    throw e;
  }
}
