// The CLI's flag parser refuses values out of a flag's range by name, before any work starts.
import { describe, expect, it } from "vitest";
import { parseArgs, type FlagSpec } from "../../app/cli/args.js";

const specs: FlagSpec[] = [
  { name: "epochs", kind: "number", integer: true, min: 1, default: 60, description: "" },
  { name: "learn-rate", kind: "number", min: 0, default: 0.01, description: "" },
  { name: "model", kind: "string", choices: ["attention", "lstm"], default: "attention", description: "" },
];

describe("parseArgs", () => {
  it("reads values and keeps defaults", () => {
    expect(parseArgs(["--epochs", "3", "--learn-rate=0.5"], specs)).toEqual({ epochs: 3, "learn-rate": 0.5, model: "attention" });
  });
  it("refuses values outside a flag's range, naming the flag and the value", () => {
    expect(() => parseArgs(["--epochs", "-1"], specs)).toThrow('--epochs must be at least 1, got "-1"');
    expect(() => parseArgs(["--epochs", "2.5"], specs)).toThrow('--epochs needs a whole number, got "2.5"');
    expect(() => parseArgs(["--learn-rate", "-0.1"], specs)).toThrow('--learn-rate must be at least 0, got "-0.1"');
    expect(() => parseArgs(["--model", "gru"], specs)).toThrow('--model must be one of attention, lstm, got "gru"');
  });
});
