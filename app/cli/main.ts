#!/usr/bin/env node
// `npm start`: the main job (train on Japanese Vowels, report). `--help` lists the flags.
// `attention-layers lm [flags]`: the language-model job (lmMain.ts).
import { parseArgs, usage, type FlagSpec } from "./args.js";
import { runJapaneseVowels } from "./japaneseVowelsJob.js";
import { lmMain } from "./lmMain.js";
import { MAX_SEED, printable } from "attention-layers";

const FLAGS: FlagSpec[] = [
  { name: "model", kind: "string", choices: ["attention", "lstm"], default: "attention", description: "network to train" },
  { name: "epochs", kind: "number", integer: true, min: 1, default: 60, description: "training epochs" },
  { name: "seed", kind: "number", integer: true, min: 0, max: MAX_SEED, default: 0, description: `seed of initialization, shuffling and dropout (0 to ${MAX_SEED})` },
  { name: "out", kind: "string", default: "report", description: "output folder (report and saved net); locked while a run writes it" },
  { name: "batch-size", kind: "number", integer: true, min: 1, default: 27, description: "mini-batch size" },
  { name: "learn-rate", kind: "number", min: 0, minExclusive: true, default: 0.01, description: "Adam learning rate" },
  { name: "l2", kind: "number", min: 0, default: 3e-3, description: "L2 regularization" },
  { name: "drop-period", kind: "number", integer: true, min: 0, default: 40, description: "multiply the learning rate by --drop-factor every this many epochs (0: never)" },
  { name: "drop-factor", kind: "number", min: 0, max: 1, default: 0.1, description: "learning-rate drop factor" },
  { name: "data", kind: "string", description: "folder with JapaneseVowels_TRAIN.ts / _TEST.ts (default: the embedded copy)" },
  { name: "onnx", kind: "string", description: "where to write the trained net as ONNX (default: <out>/japanese-vowels-<model>.onnx)" },
  { name: "quiet", kind: "boolean", description: "no progress output (--quiet=false: progress)" },
  { name: "help", kind: "boolean", description: "show this help" },
];

function main(argv: string[]): void {
  const args = parseArgs(argv, FLAGS);
  if (args.help) {
    process.stdout.write(usage("attention-layers", "Trains MATLAB's self-attention network on the Japanese Vowels speaker data and writes a report.", FLAGS));
    return;
  }
  const result = runJapaneseVowels({
    model: args.model as "attention" | "lstm",
    epochs: args.epochs as number,
    seed: args.seed as number,
    out: args.out as string,
    batchSize: args["batch-size"] as number,
    learnRate: args["learn-rate"] as number,
    l2Regularization: args.l2 as number,
    learnRateDropPeriod: args["drop-period"] as number,
    learnRateDropFactor: args["drop-factor"] as number,
    dataDir: args.data as string | undefined,
    onnxPath: args.onnx as string | undefined,
    verbose: !args.quiet,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`done in ${result.seconds.toFixed(1)} s\n`);
}

try {
  const argv = process.argv.slice(2);
  if (argv[0] === "lm") lmMain(argv.slice(1));
  else main(argv);
} catch (e) {
  // our messages show paths printable already; a system error (one with a syscall) repeats its path raw
  const message = (e as NodeJS.ErrnoException).syscall !== undefined ? printable((e as Error).message) : (e as Error).message;
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
