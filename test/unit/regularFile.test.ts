// Text files named by a user (a --corpus, the Japanese Vowels splits, another run's lock file) are read as hostile:
// only regular files, at most a cap of bytes, and what they hold is printed escaped. Before, readFileSync read
// /dev/zero until memory ran out, and a lock file's host name reached the terminal as it was.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lockDirectory, loadJapaneseVowels, readTextFile } from "../../src/node/index.js";
import { tempDir } from "../helpers/tempDir.js";

describe("readTextFile", () => {
  it("reads a regular file's UTF-8 text up to the cap, inclusive", () => {
    const path = join(tempDir("text"), "a.txt");
    writeFileSync(path, "In the beginning ✝\n");
    const bytes = Buffer.byteLength("In the beginning ✝\n");
    expect(readTextFile(path, bytes, "--corpus")).toBe("In the beginning ✝\n");
    expect(() => readTextFile(path, bytes - 1, "--corpus")).toThrow(`--corpus ${path}: cannot read it: it is ${bytes} bytes, more than the ${bytes - 1} read here`);
  });

  it("refuses devices, FIFOs, folders and missing files at once, naming the path", () => {
    const dir = tempDir("text");
    expect(() => readTextFile("/dev/zero", 1 << 20, "--corpus")).toThrow("--corpus /dev/zero: cannot read it: it is not a regular file");
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(() => readTextFile(fifo, 1 << 20, "--corpus")).toThrow(`--corpus ${fifo}: cannot read it: it is not a regular file`); // no writer: must not block
    expect(() => readTextFile(dir, 1 << 20, "--corpus")).toThrow(`--corpus ${dir}: cannot read it: it is a directory`);
    expect(() => readTextFile(join(dir, "none"), 1 << 20, "--corpus")).toThrow(`--corpus ${join(dir, "none")}: cannot read it: no such file`);
  });

  it("refuses a huge (sparse) file by its size, before reading it", () => {
    const path = join(tempDir("text"), "huge.txt");
    const fd = openSync(path, "w");
    ftruncateSync(fd, 2 ** 33); // 8 GiB of holes: nothing on disk, everything if read
    closeSync(fd);
    expect(() => readTextFile(path, 64 * 1024 * 1024, "--corpus")).toThrow(`it is ${2 ** 33} bytes, more than the ${64 * 1024 * 1024} read here`);
  });

  it("prints a path with terminal controls escaped", () => {
    expect(() => readTextFile("/nowhere/\u001b[2Jx", 10, "--corpus")).toThrow("--corpus /nowhere/\\u001b[2Jx: cannot read it: no such file");
  });

  it("is what loadJapaneseVowels reads a folder with", () => {
    const dir = tempDir("vowels");
    mkdirSync(join(dir, "JapaneseVowels_TRAIN.ts"));
    expect(() => loadJapaneseVowels(dir)).toThrow(`loadJapaneseVowels ${join(dir, "JapaneseVowels_TRAIN.ts")}: cannot read it: it is a directory`);
  });
});

describe("lockDirectory reads another run's lock file as hostile", () => {
  const lockOf = (dir: string) => join(dir, ".attention-layers.lock");
  const foreign = (host: string) => JSON.stringify({ origin: "ffffffff", pid: 1, host, started: "2026-01-01T00:00:00.000Z", token: "0123456789abcdef" });

  it("prints the holder's host and start time escaped", () => {
    const dir = tempDir("lock");
    writeFileSync(lockOf(dir), foreign("evil\u001b]0;pwned\u0007\u202ehost"));
    expect(() => lockDirectory(dir)).toThrow("(process 1 on evil\\u001b]0;pwned\\u0007\\u202ehost, since 2026-01-01T00:00:00.000Z; lock file");
  });

  it("takes a lock file longer than any it writes for one being written (not read whole)", () => {
    const dir = tempDir("lock");
    writeFileSync(lockOf(dir), foreign("h".repeat(8192)));
    expect(() => lockDirectory(dir)).toThrow(`${dir} is in use by another run (a run that is starting; lock file`);
  });
});
