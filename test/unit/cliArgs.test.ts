// The CLI's flag parser refuses values out of a flag's range by name, before any work starts, and coerces
// nothing (test/integration/cliChecks.test.ts runs the CLI itself).
import { describe, expect, it } from "vitest";
import { parseArgs, type FlagSpec } from "../../app/cli/args.js";

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
  it("refuses an unknown flag, suggesting the flag it cuts short or runs on", () => {
    expect(() => parseArgs(["--epoch", "3"], specs)).toThrow('unknown argument "--epoch" (did you mean --epochs?) (try --help)');
    expect(() => parseArgs(["--seeds=1"], specs)).toThrow('unknown argument "--seeds=1" (did you mean --seed?) (try --help)');
    expect(() => parseArgs(["--batch", "3"], specs)).toThrow(/^unknown argument "--batch" \(try --help\)$/);
    expect(() => parseArgs(["epochs"], specs)).toThrow(/^unknown argument "epochs" \(try --help\)$/);
  });
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
