// `attention-layers lm`: trains a character GPT on the King James corpus, or (--generate-only) continues a prompt
// with a saved one. `lm --help` lists the flags.
import { MAX_SEED } from "attention-layers";
import { parseArgs, usage, type FlagSpec } from "./args.js";
import { KJV_CORPUS, generateFrom, runLm } from "./lmJob.js";

const FLAGS: FlagSpec[] = [
  { name: "size", kind: "number", integer: true, min: 1, default: 64, description: "model width (embedding channels; a multiple of --heads)" },
  { name: "heads", kind: "number", integer: true, min: 1, default: 4, description: "attention heads per block" },
  { name: "blocks", kind: "number", integer: true, min: 1, default: 2, description: "transformer blocks" },
  { name: "context", kind: "number", integer: true, min: 1, default: 64, description: "characters per training window (and the longest sequence the net takes)" },
  { name: "feed-forward", kind: "number", integer: true, min: 1, default: 256, description: "hidden channels of each block's feed-forward" },
  { name: "epochs", kind: "number", integer: true, min: 1, default: 10, description: "training epochs (passes over the random windows)" },
  { name: "windows", kind: "number", integer: true, min: 1, default: 2048, description: "training windows drawn at random from the training split" },
  { name: "batch-size", kind: "number", integer: true, min: 1, default: 16, description: "mini-batch size (windows)" },
  { name: "learn-rate", kind: "number", min: 0, minExclusive: true, default: 3e-3, description: "Adam learning rate" },
  { name: "seed", kind: "number", integer: true, min: 0, max: MAX_SEED, default: 0, description: `seed of initialization, windows, shuffling and sampling (0 to ${MAX_SEED})` },
  { name: "sample-every", kind: "number", integer: true, min: 0, default: 1, description: "print a sample every this many epochs (0: never)" },
  { name: "prompt", kind: "string", default: "And God said", description: "text to continue (samples and the final generation)" },
  { name: "max-new-tokens", kind: "number", integer: true, min: 1, default: 300, description: "characters to generate after training" },
  { name: "temperature", kind: "number", min: 0, default: 0.8, description: "sampling temperature (0: greedy)" },
  { name: "corpus", kind: "string", description: "text file to train on (default: the shipped King James corpus)" },
  { name: "out", kind: "string", default: "lm-report", description: "output folder (saved net and report); locked while a run writes it" },
  { name: "generate-only", kind: "boolean", description: "train nothing: load --net and continue --prompt" },
  { name: "net", kind: "string", description: "with --generate-only: a .safetensors net this job saved" },
  { name: "quiet", kind: "boolean", description: "no progress output (--quiet=false: progress)" },
  { name: "help", kind: "boolean", description: "show this help" },
];

export function lmMain(argv: string[]): void {
  const args = parseArgs(argv, FLAGS);
  const write = (line: string) => process.stdout.write(`${line}\n`);
  if (args.help) {
    process.stdout.write(usage("attention-layers lm", "Trains a character GPT on the King James Bible (Genesis, Proverbs, Ecclesiastes), prints samples as it learns, saves the net and a report, and continues a prompt.", FLAGS));
    return;
  }
  const corpus = (args.corpus as string | undefined) ?? KJV_CORPUS;
  const sampling = { prompt: args.prompt as string, maxNewTokens: args["max-new-tokens"] as number, temperature: args.temperature as number, seed: args.seed as number };
  if (args["generate-only"]) {
    if (args.net === undefined) throw new Error("--generate-only needs --net <file.safetensors>");
    if (args.corpus !== undefined) throw new Error("--corpus is not read with --generate-only (the net holds its text encoder)");
    write(sampling.prompt + generateFrom({ net: args.net as string, ...sampling }));
    return;
  }
  if (args.net !== undefined) throw new Error("--net is only read with --generate-only");
  const result = runLm({
    size: args.size as number, heads: args.heads as number, blocks: args.blocks as number, context: args.context as number,
    feedForward: args["feed-forward"] as number, epochs: args.epochs as number, windows: args.windows as number,
    batchSize: args["batch-size"] as number, learnRate: args["learn-rate"] as number, sampleEvery: args["sample-every"] as number,
    corpus, out: args.out as string, ...sampling, verbose: !args.quiet, log: write,
  });
  write(`done in ${result.seconds.toFixed(1)} s`);
}
