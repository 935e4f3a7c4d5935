// The CLI itself (dist/app/cli/main.js): every flag and every output is checked before any training, a refused
// run creates nothing, and a run's log and report describe its data.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliMain, tinyData } from "../helpers/cliRuns.js";
import { tempDir } from "../helpers/tempDir.js";

interface Run { status: number | null; stdout: string; stderr: string }
const cli = (args: string[], options: { uid?: number; gid?: number; cwd?: string } = {}): Run => {
  const r = spawnSync(process.execPath, [cliMain, ...args], { encoding: "utf8", timeout: 120_000, ...options });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const refused = (r: Run, message: string) => {
  expect(r.stderr).toContain(`error: ${message}`);
  expect(r.status).toBe(1);
  expect(r.stdout).not.toMatch(/training:/); // refused before training
};

describe("the CLI checks first and coerces nothing", () => {
  it("flags are refused by their own name, not by trainNet's option names", () => {
    refused(cli(["--drop-factor", "5"]), '--drop-factor must be at most 1, got "5"');
    refused(cli(["--learn-rate", "0x10"]), '--learn-rate needs a decimal number, got "0x10"');
    refused(cli(["--learn-rate", "0"]), '--learn-rate must be greater than 0, got "0"');
    refused(cli(["--seed", "1e300"]), '--seed must be at most 4294967295, got "1e300"');
    refused(cli(["--seed", "4294967296"]), '--seed must be at most 4294967295, got "4294967296"');
    refused(cli(["--seed="]), "--seed needs a value");
    refused(cli(["--quiet=0"]), '--quiet takes no value (or =true / =false), got "0"');
  });

  it("every output is checked before training, and a refused run creates nothing", () => {
    const dir = tempDir("cli");
    const data = tinyData(dir);
    writeFileSync(join(dir, "a-file"), "");
    refused(cli(["--data", data, "--out", join(dir, "a-file")]), `--out ${join(dir, "a-file")} is a file, not a folder`);
    refused(cli(["--data", data, "--out", join(dir, "o"), "--onnx", "/nonexistent/x.onnx"]), "--onnx /nonexistent/x.onnx: the folder /nonexistent does not exist");
    refused(cli(["--data", data, "--out", join(dir, "o", "deeper"), "--onnx", dir]), `--onnx ${dir} is a folder; give a file name`);
    mkdirSync(join(dir, "empty"));
    refused(cli(["--data", data, "--out", join("empty", "new", "deeper"), "--onnx", "/nonexistent/x.onnx"], { cwd: dir }), "--onnx /nonexistent/x.onnx: the folder /nonexistent does not exist");
    expect(readdirSync(join(dir, "empty"))).toEqual([]); // the folders it made are gone, the one that was there stays
    mkdirSync(join(dir, "taken", "index.html"), { recursive: true });
    refused(cli(["--data", data, "--out", join(dir, "taken")]), `--out ${join(dir, "taken", "index.html")} is a folder; give a file name`);
    expect(readdirSync(dir).sort()).toEqual(["a-file", "data", "empty", "taken"]); // no "o", no temp or lock file
    expect(readdirSync(join(dir, "taken"))).toEqual(["index.html"]);
  });

  it("a folder it may not write is refused before training, naming the flag (run as an unprivileged user)", () => {
    const dir = tempDir("cli-ro");
    const data = tinyData(dir);
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    chmodSync(dir, 0o755);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}; // root may write anywhere
    refused(cli(["--data", data, "--out", join(readOnly, "o")], asUser), `--out ${join(readOnly, "o")}: cannot create the folder: permission denied`);
    refused(cli(["--data", data, "--out", readOnly], asUser), `--out ${readOnly}: cannot write in the folder: permission denied`);
    const writable = tempDir("cli-rw");
    chmodSync(writable, 0o777);
    refused(cli(["--data", data, "--out", join(writable, "o"), "--onnx", join(readOnly, "x.onnx")], asUser), `--onnx ${join(readOnly, "x.onnx")}: cannot write in ${readOnly}: permission denied`);
    expect(readdirSync(readOnly)).toEqual([]);
    expect(readdirSync(writable)).toEqual([]);
  });

  it("a run's log and report describe the data's channels and classes (1-channel data: ONNX input [batch, time, 1])", () => {
    const dir = tempDir("cli-1ch");
    const r = cli(["--data", tinyData(dir), "--out", join(dir, "o"), "--epochs", "1", "--quiet=false"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(ONNX: inputs "input" [batch, time, 1] and "mask" [batch, time])');
    expect(r.stderr).toMatch(/^epoch 1\/1 /m); // --quiet=false shows progress (it meant quiet before)
    expect(cli(["--data", join(dir, "data"), "--out", join(dir, "o"), "--epochs", "1", "--quiet=true"]).stderr).toBe("");
    expect(readFileSync(join(dir, "o", "index.html"), "utf8")).toContain("sequenceInput(1, zscore) → selfAttention(4 heads, 12 key channels) → layerNorm → mean pool → fc(2) → softmax");
    expect(readdirSync(join(dir, "o")).filter((f) => f.startsWith("."))).toEqual([]); // the lock is gone
  });
});
