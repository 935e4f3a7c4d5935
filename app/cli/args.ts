// A small command-line parser: --name value and --flag, checked against a declared list.

export interface FlagSpec {
  name: string;
  kind: "number" | "string" | "boolean";
  description: string;
  default?: number | string | boolean;
  choices?: readonly string[];
  /** numbers: the smallest allowed value, and whether it must be a whole number */
  min?: number;
  integer?: boolean;
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const s of specs) if (s.default !== undefined) out[s.name] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [key, inline] = arg.startsWith("--") ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    const spec = specs.find((s) => s.name === key);
    if (!spec) throw new Error(`unknown argument "${arg}" (try --help)`);
    if (spec.kind === "boolean") { out[spec.name] = true; continue; }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${spec.name} needs a value`);
    if (spec.kind === "number") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`--${spec.name} needs a number, got "${value}"`);
      if (spec.integer && !Number.isInteger(n)) throw new Error(`--${spec.name} needs a whole number, got "${value}"`);
      if (spec.min !== undefined && n < spec.min) throw new Error(`--${spec.name} must be at least ${spec.min}, got "${value}"`);
      out[spec.name] = n;
    } else {
      if (spec.choices && !spec.choices.includes(value)) throw new Error(`--${spec.name} must be one of ${spec.choices.join(", ")}, got "${value}"`);
      out[spec.name] = value;
    }
  }
  return out;
}

export function usage(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const lines = specs.map((s) => {
    const value = s.kind === "boolean" ? "" : s.choices ? ` <${s.choices.join("|")}>` : ` <${s.kind}>`;
    const dflt = s.default !== undefined && s.kind !== "boolean" ? ` (default ${s.default})` : "";
    return `  --${s.name}${value}`.padEnd(34) + `${s.description}${dflt}`;
  });
  return `${summary}\n\nUsage: ${command} [options]\n\n${lines.join("\n")}\n`;
}
