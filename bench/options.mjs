// Command-line options of `npm run bench`. Not built on app/cli/args.ts: the two share only the argv loop;
// the bench's comma lists checked against suite and engine names would grow args.ts for the bench alone.
import { ENGINE_NAMES } from "./engines/index.mjs";

export const SUITES = ["attention", "gemm", "memory", "training", "seq2seq", "decoding"];

export const HELP = `npm run bench -- [options]
  --quick                 small sizes and few repeats (a smoke run, under a minute); writes nothing unless --out is given
  --only LIST             suites to run, comma-separated: ${SUITES.join(",")} (default: all)
  --engines LIST          kernel engines: ${ENGINE_NAMES.join(",")} (default: all)
  --threads LIST          thread counts for attention and GEMM (default: 1,2 when the library exports setNumThreads, else 1)
  --max-run-seconds S     skip a size whose predicted time per run exceeds S (default 15)
  --out DIR               where results.json and the SVG charts go (default docs/bench; none with --quick)
  --from FILE             measure nothing: print the tables of a results.json and redraw its charts beside it
  --help`;

export function parseOptions(argv) {
  const o = { quick: false, only: SUITES, engines: ENGINE_NAMES, threads: undefined, maxRunSeconds: 15, out: undefined, childPass: undefined, from: undefined };
  const list = (v, allowed, flag) => {
    const xs = v.split(",").map((s) => s.trim()).filter(Boolean);
    for (const x of xs) if (!allowed.includes(x)) throw new Error(`bench: ${flag} ${x} is unknown (expected ${allowed.join(", ")})`);
    return xs;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`bench: ${a} needs a value`);
      return argv[++i];
    };
    if (a === "--help" || a === "-h") o.help = true;
    else if (a === "--quick") o.quick = true;
    else if (a === "--only") o.only = list(value(), SUITES, "--only");
    else if (a === "--engines") o.engines = list(value(), ENGINE_NAMES, "--engines");
    else if (a === "--threads") o.threads = value().split(",").map(positiveInteger("--threads"));
    else if (a === "--max-run-seconds") o.maxRunSeconds = positiveNumber("--max-run-seconds")(value());
    else if (a === "--out") o.out = value();
    else if (a === "--from") o.from = value();
    else if (a === "--child-pass") o.childPass = positiveInteger("--child-pass")(value()); // internal: one thread count, JSON on stdout
    else throw new Error(`bench: unknown option ${a} (see --help)`);
  }
  return o;
}

const positiveNumber = (flag) => (s) => {
  const x = Number(s);
  if (!(x > 0)) throw new Error(`bench: ${flag} must be a positive number, got ${JSON.stringify(s)}`);
  return x;
};
const positiveInteger = (flag) => (s) => {
  const x = positiveNumber(flag)(s);
  if (!Number.isInteger(x)) throw new Error(`bench: ${flag} must be a positive integer, got ${JSON.stringify(s)}`);
  return x;
};
