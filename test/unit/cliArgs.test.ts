// The CLI's flag parser refuses values out of a flag's range by name, before any work starts, and coerces
// nothing; the CLI checks every output before it trains.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, type FlagSpec } from "../../app/cli/args.js";
import { cliMain, tinyData } from "../helpers/cliRuns.js";

const specs: FlagSpec[] = [
  { name: "epochs", kind: "number", integer: true, min: 1, default: 60, description: "" },
  { name: "learn-rate", kind: "number", min: 0, default: 0.01, description: "" },
  { name: "model", kind: "string", choices: ["attention", "lstm"], default: "attention", description: "" },
  { name: "seed", kind: "number", integer: true, min: 0, max: 2 ** 32 - 1, default: 0, description: "" },
  { name: "drop-factor", kind: "number", min: 0, max: 1, default: 0.1, description: "" },
  { name: "rate", kind: "number", min: 0, minExclusive: true, default: 0.1, description: "" },
  { name: "out", kind: "string", default: "report", description: "" },
  { name: "quiet", kind: "boolean", description: "" },
];

describe("parseArgs", () => {
  it("reads values and keeps defaults", () => {
    expect(parseArgs(["--epochs", "3", "--learn-rate=0.5"], specs)).toEqual({ epochs: 3, "learn-rate": 0.5, model: "attention", seed: 0, "drop-factor": 0.1, rate: 0.1, out: "report" });
  });
  it("refuses values outside a flag's range, naming the flag and the value", () => {
    expect(() => parseArgs(["--epochs", "-1"], specs)).toThrow('--epochs must be at least 1, got "-1"');
    expect(() => parseArgs(["--epochs", "2.5"], specs)).toThrow('--epochs needs a whole number, got "2.5"');
    expect(() => parseArgs(["--learn-rate", "-0.1"], specs)).toThrow('--learn-rate must be at least 0, got "-0.1"');
    expect(() => parseArgs(["--model", "gru"], specs)).toThrow('--model must be one of attention, lstm, got "gru"');
  });

  it("numbers are plain decimals: no empty value, no hex, binary or octal, no Infinity", () => {
    expect(parseArgs(["--seed=12", "--learn-rate", "1e-3", "--rate", ".5"], specs)).toMatchObject({ seed: 12, "learn-rate": 0.001, rate: 0.5 });
    expect(() => parseArgs(["--seed="], specs)).toThrow("--seed needs a value");
    expect(() => parseArgs(["--seed", ""], specs)).toThrow("--seed needs a value");
    for (const v of ["0x10", "0b1", "0o7", "Infinity", " 3", "3 ", "1_000", "abc", "-"]) {
      expect(() => parseArgs(["--learn-rate", v], specs)).toThrow(`--learn-rate needs a decimal number, got "${v}"`);
    }
  });
  it("ranges are checked by flag name: seeds within [0, 2^32 - 1], an exclusive minimum, a maximum", () => {
    expect(() => parseArgs(["--seed", "1e300"], specs)).toThrow('--seed must be at most 4294967295, got "1e300"');
    expect(() => parseArgs(["--seed", "4294967296"], specs)).toThrow('--seed must be at most 4294967295, got "4294967296"');
    expect(() => parseArgs(["--seed", "0.5"], specs)).toThrow('--seed needs a whole number, got "0.5"');
    expect(parseArgs(["--seed", "4294967295"], specs).seed).toBe(2 ** 32 - 1);
    expect(() => parseArgs(["--drop-factor", "5"], specs)).toThrow('--drop-factor must be at most 1, got "5"');
    expect(() => parseArgs(["--rate", "0"], specs)).toThrow('--rate must be greater than 0, got "0"');
    expect(() => parseArgs(["--epochs", "1e300"], specs)).toThrow(`--epochs must be at most ${Number.MAX_SAFE_INTEGER}, got "1e300"`);
  });
  it("booleans are bare flags or explicitly =true / =false", () => {
    expect(parseArgs([], specs).quiet).toBeUndefined();
    expect(parseArgs(["--quiet"], specs).quiet).toBe(true);
    expect(parseArgs(["--quiet=true"], specs).quiet).toBe(true);
    expect(parseArgs(["--quiet=false"], specs).quiet).toBe(false);
    expect(() => parseArgs(["--quiet=no"], specs)).toThrow('--quiet takes no value (or =true / =false), got "no"');
    expect(() => parseArgs(["--quiet="], specs)).toThrow('--quiet takes no value (or =true / =false), got ""');
  });
  it("a flag given twice, or a flag taken as another's value, is an error", () => {
    expect(() => parseArgs(["--seed", "1", "--seed", "2"], specs)).toThrow("--seed is given twice");
    expect(() => parseArgs(["--out", "--quiet"], specs)).toThrow('--out needs a value, got the flag "--quiet"');
    expect(parseArgs(["--out=--x"], specs).out).toBe("--x");
  });
});

// The CLI itself (dist/app/cli/main.js): every flag and every output is checked before any training.
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
    const dir = mkdtempSync(join(tmpdir(), "attention-cli-"));
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
    const dir = mkdtempSync(join(tmpdir(), "attention-cli-ro-"));
    const data = tinyData(dir);
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    chmodSync(dir, 0o755);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}; // root may write anywhere
    refused(cli(["--data", data, "--out", join(readOnly, "o")], asUser), `--out ${join(readOnly, "o")}: cannot create the folder: permission denied`);
    refused(cli(["--data", data, "--out", readOnly], asUser), `--out ${readOnly}: cannot write in the folder: permission denied`);
    const writable = mkdtempSync(join(tmpdir(), "attention-cli-rw-"));
    chmodSync(writable, 0o777);
    refused(cli(["--data", data, "--out", join(writable, "o"), "--onnx", join(readOnly, "x.onnx")], asUser), `--onnx ${join(readOnly, "x.onnx")}: cannot write in ${readOnly}: permission denied`);
    expect(readdirSync(readOnly)).toEqual([]);
    expect(readdirSync(writable)).toEqual([]);
  });

  it("a run's log and report describe the data's channels and classes (1-channel data: ONNX input [batch, time, 1])", () => {
    const dir = mkdtempSync(join(tmpdir(), "attention-cli-1ch-"));
    const r = cli(["--data", tinyData(dir), "--out", join(dir, "o"), "--epochs", "1", "--quiet=false"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(ONNX: inputs "input" [batch, time, 1] and "mask" [batch, time])');
    expect(r.stderr).toMatch(/^epoch 1\/1 /m); // --quiet=false shows progress (it meant quiet before)
    expect(cli(["--data", join(dir, "data"), "--out", join(dir, "o"), "--epochs", "1", "--quiet=true"]).stderr).toBe("");
    expect(readFileSync(join(dir, "o", "index.html"), "utf8")).toContain("sequenceInput(1, zscore) → selfAttention(4 heads, 12 key channels) → layerNorm → mean pool → fc(2) → softmax");
    expect(readdirSync(join(dir, "o")).filter((f) => f.startsWith("."))).toEqual([]); // the lock is gone
  });
});
