// A small command-line parser: --name value, --name=value and --flag, checked against a declared list.
// Nothing is coerced: numbers are plain decimals (no hex, no empty value), ranges are checked by flag name,
// booleans are bare flags or explicitly =true / =false, and a flag given twice is an error. Arguments are shown
// printable in messages (a shell glob can pass a file name holding terminal controls).
import { printable } from "attention-layers";

export interface FlagSpec {
  name: string;
  kind: "number" | "string" | "boolean";
  description: string;
  default?: number | string | boolean;
  choices?: readonly string[];
  /** numbers: the allowed range ([min, max], or (min, max] with minExclusive), and whether it must be a whole number */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  integer?: boolean;
}

/** A decimal number: optional sign, digits with an optional fraction, optional exponent ("0.01", "-3", "1e-3"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [key, inline] = arg.startsWith("--") ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    const spec = specs.find((s) => s.name === key);
    if (!spec) {
      // a flag cut short or run on (--epoch, --epochss) is named
      const close = key ? specs.find((s) => s.name.startsWith(key) || key.startsWith(s.name)) : undefined;
      throw new Error(`unknown argument "${printable(arg)}"${close ? ` (did you mean --${close.name}?)` : ""} (try --help)`);
    }
    if (given.has(spec.name)) throw new Error(`--${spec.name} is given twice`);
    given.add(spec.name);
    if (spec.kind === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") throw new Error(`--${spec.name} takes no value (or =true / =false), got "${printable(inline)}"`);
      out[spec.name] = inline !== "false";
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new Error(`--${spec.name} needs a value`);
    if (inline === undefined && value.startsWith("--")) throw new Error(`--${spec.name} needs a value, got the flag "${printable(value)}" (write --${spec.name}=${printable(value)} if you mean it)`);
    out[spec.name] = spec.kind === "number" ? parseNumber(value, spec) : parseString(value, spec);
  }
  for (const s of specs) if (s.default !== undefined && !given.has(s.name)) out[s.name] = s.default;
  return out;
}

function parseNumber(value: string, spec: FlagSpec): number {
  const flag = `--${spec.name}`;
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n)) throw new Error(`${flag} needs a decimal number, got "${printable(value)}"`);
  if (spec.integer && !Number.isInteger(n)) throw new Error(`${flag} needs a whole number, got "${printable(value)}"`);
  const { min, max = spec.integer ? Number.MAX_SAFE_INTEGER : undefined } = spec;
  if (min !== undefined && (spec.minExclusive ? !(n > min) : !(n >= min))) throw new Error(`${flag} must be ${spec.minExclusive ? "greater than" : "at least"} ${min}, got "${printable(value)}"`);
  if (max !== undefined && !(n <= max)) throw new Error(`${flag} must be at most ${max}, got "${printable(value)}"`);
  return n;
}

function parseString(value: string, spec: FlagSpec): string {
  if (spec.choices && !spec.choices.includes(value)) throw new Error(`--${spec.name} must be one of ${spec.choices.join(", ")}, got "${printable(value)}"`);
  return value;
}

export function usage(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const lines = specs.map((s) => {
    const value = s.kind === "boolean" ? "" : s.choices ? ` <${s.choices.join("|")}>` : ` <${s.kind}>`;
    const dflt = s.default !== undefined && s.kind !== "boolean" ? ` (default ${s.default})` : "";
    return `  --${s.name}${value}`.padEnd(34) + `${s.description}${dflt}`;
  });
  return `${summary}\n\nUsage: ${command} [options]\n\n${lines.join("\n")}\n`;
}
