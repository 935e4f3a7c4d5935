// npm run bench: attention and GEMM against the peers (GFLOP/s, medians of repeats, interleaved per
// workload), the long-sequence memory check, and training against PyTorch and TF.js. Prints tables, and
// writes results.json and SVG charts (docs/bench/ by default). Ratios are only ever taken within one run.
// Thread counts above 1 run in child processes (onnxruntime-web fixes its thread count per process).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ENGINE_NAMES, loadEngines } from "./engines/index.mjs";
import { attentionImplementation, ready, useThreads } from "./engines/ours.mjs";
import { HELP, parseOptions } from "./options.mjs";
import { charts } from "./report/charts.mjs";
import { benchmarksDoc, withHeadline } from "./report/markdown.mjs";
import { decodingTable, kernelTable, memoryText, notesText, trainingTable } from "./report/tables.mjs";
import { runKernels } from "./runKernels.mjs";
import { runLargeValues } from "./largeValues.mjs";
import { runMemory } from "./runMemory.mjs";
import { benchDecoding } from "./training/decoding.mjs";
import { benchEncoder } from "./training/encoder.mjs";
import { benchSeq2seq } from "./training/seq2seq.mjs";
import { benchGpt } from "./training/gpt.mjs";
import { benchVowels } from "./training/vowels.mjs";
import { packageVersion } from "./versions.mjs";
import { SIZES, attentionWorkloads, decodeWorkloads, describe, gemmWorkloads } from "./workloads.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOCS_BENCH = join(REPO, "docs", "bench");
const README = join(REPO, "README.md");
const log = (line) => process.stderr.write(`${line}\n`);

async function kernelPass(o, threads) {
  const sizes = SIZES[o.quick ? "quick" : "full"];
  const workloads = [
    ...(o.only.includes("attention") ? [...attentionWorkloads(sizes.attention), ...decodeWorkloads(sizes.decode)] : []),
    ...(o.only.includes("gemm") ? gemmWorkloads(sizes.gemm) : []),
  ];
  if (workloads.length === 0) return { engines: [], kernels: [] };
  const loaded = await loadEngines(o.engines, { threads });
  const engines = loaded.map((e) => ({ name: e.name, threads, label: e.label, ...(e.error ? { unavailable: e.error } : {}) }));
  for (const e of engines) log(e.unavailable ? `${e.name} (${threads} threads): unavailable: ${e.unavailable}` : `${e.label}, ${threads} thread${threads > 1 ? "s" : ""}`);
  const kernels = await runKernels({ workloads, engines: loaded.filter((e) => !e.error), threads, timing: timing(o), maxRunSeconds: o.maxRunSeconds, log });
  return { engines, kernels };
}

const timing = (o) => (o.quick ? { warmup: 1, minRuns: 3, maxRuns: 10, minSeconds: 0.1 } : { warmup: 1, minRuns: 5, maxRuns: 50, minSeconds: 1 });

/**
 * Waits until this process is idle (under 10 % of a core over 200 ms, at most 10 s; returns the seconds): after the first pass its
 * peers' heaps (jax-js at T = 4096 allocates gigabytes) keep V8's background garbage collection busy for a while,
 * and a child pass started at once measured its first workload with one core taken (ours at T = 128 on 2 threads:
 * 20.9 GFLOP/s in the full run, 37 when the same child pass ran alone).
 */
async function settle() {
  const start = performance.now(), deadline = start + 10_000;
  for (;;) {
    const before = process.cpuUsage(), t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const used = process.cpuUsage(before), busy = (used.user + used.system) / 1000 / (performance.now() - t0);
    if (busy < 0.1 || performance.now() > deadline) return (performance.now() - start) / 1000;
  }
}

/** Other thread counts in a child process each; its JSON comes back on stdout. */
function childPass(o, threads) {
  const args = [fileURLToPath(import.meta.url), "--child-pass", String(threads), "--only", o.only.join(","), "--engines", o.engines.join(","),
    "--max-run-seconds", String(o.maxRunSeconds), ...(o.quick ? ["--quick"] : [])];
  try {
    return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 }));
  } catch (err) {
    log(`the ${threads}-thread pass failed: ${err.message}`);
    return { engines: [{ name: "all", threads, unavailable: `child process failed: ${err.message.split("\n")[0]}` }], kernels: [] };
  }
}

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? "?", cores: cpus.length, memoryGB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()} ${os.arch()}`, load: os.loadavg().map((x) => Number(x.toFixed(2))) };
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  if (o.from) return report(JSON.parse(readFileSync(o.from, "utf8")), { ...o, out: o.out ?? dirname(o.from), maxRunSeconds: undefined });
  if (o.childPass) {
    const pass = await kernelPass(o, o.childPass);
    process.stdout.write(JSON.stringify(pass));
    process.exit(0); // onnxruntime-web's worker threads would keep the process alive
  }
  await ready();
  const implementation = attentionImplementation();
  const threads = o.threads ?? [1, 2];
  const sizes = SIZES[o.quick ? "quick" : "full"];
  const results = {
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
    date: new Date().toISOString(),
    machine: machine(),
    node: process.version,
    ours: { attentionImplementation: implementation, setNumThreads: true },
    versions: Object.fromEntries(["onnxruntime-web", "onnxruntime-node", "@jax-js/jax", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm"].map((p) => [p, packageVersion(p)])),
    flops: "attention 4·B·H·T²·D per forward (halved when causal), forward+backward 3.5× forward; gemm 2·n³",
    engines: [], kernels: [], largeValues: undefined, memory: undefined, training: [], decoding: undefined,
  };
  log(`attention-layers bench${o.quick ? " (quick)" : ""}: attention implementation "${implementation}", threads ${threads.join(", ")}; ${results.machine.cores} cores, load ${results.machine.load.join(" ")}`);
  const kernelSuites = o.only.includes("attention") || o.only.includes("gemm");
  for (const t of kernelSuites ? threads : []) {
    if (t !== threads[0]) log(`(this process idle after ${(await settle()).toFixed(1)} s)`);
    const pass = t === threads[0] ? await kernelPass(o, t) : childPass(o, t);
    results.engines.push(...pass.engines);
    results.kernels.push(...pass.kernels);
  }
  if (o.only.includes("attention")) {
    useThreads(threads[0]);
    results.largeValues = await runLargeValues({ t: sizes.largeValuesT, timing: timing(o), log });
  }
  if (o.only.includes("memory")) {
    log("memory check (child process):");
    results.memory = runMemory({ t: sizes.memoryT, implementation, log });
  }
  if (o.only.includes("training")) {
    log("training (one thread, but the GPT step at each thread count):");
    useThreads(1);
    results.training.push(...benchVowels({ epochs: sizes.vowelsEpochs, repeats: sizes.vowelsRepeats, log }));
    results.training.push(...(await benchEncoder({ t: sizes.encoderT, timing: { ...timing(o), minRuns: o.quick ? 1 : 3 }, log })));
    log("training: the character GPT step at each thread count:");
    results.training.push(...(await benchGpt({ threads, timing: { ...timing(o), minRuns: o.quick ? 1 : 5 }, log })));
  }
  if (o.only.includes("seq2seq")) {
    log("sequence to sequence, examples/seq2seq (one thread everywhere):");
    useThreads(1);
    results.training.push(...(await benchSeq2seq({ inputs: sizes.seq2seqInputs, rounds: sizes.seq2seqRounds, timing: { ...timing(o), minRuns: o.quick ? 1 : 3 }, log })));
  }
  if (o.only.includes("decoding")) {
    log("decoding (ours: 1 and 2 threads in this process, interleaved; PyTorch: a child process per thread count):");
    results.decoding = await benchDecoding({ ...sizes.decoding, log });
  }
  report(results, o);
  process.exit(0);
}

function report(results, o) {
  const print = (s) => s && console.log(`${s}\n`);
  console.log("");
  for (const t of [...new Set(results.kernels.map((r) => r.threads))]) print(kernelTable(results.kernels, t));
  const notes = notesText(results);
  print(notes);
  const lv = results.largeValues;
  if (lv) print(`large values: causal forward+backward T=${lv.t}, one head, D=${lv.d}: ordinary inputs ${lv.normalMs} ms, one query element of 1e36 ${lv.largeMs} ms (${lv.ratio}×)`);
  const memoryLine = memoryText(results.memory);
  print(memoryLine);
  print(trainingTable(results.training));
  print(decodingTable(results.decoding));
  const out = o.out ?? (o.quick ? undefined : DOCS_BENCH);
  if (!out) return console.log("(--quick: nothing written; add --out DIR to keep the figures)");
  mkdirSync(out, { recursive: true });
  if (!o.from) writeFileSync(join(out, "results.json"), `${JSON.stringify(results, null, 1)}\n`); // --from reprints: its file stays as it is
  const footer = [results.command, `${results.date.slice(0, 16).replace("T", " ")} UTC · ${results.machine.cores} × ${results.machine.cpu} · Node ${results.node}`,
    "medians of repeats, ratios within this run; provisional: measured on a shared, noisy machine"];
  const svgs = charts(results, footer);
  for (const [file, svg] of Object.entries(svgs)) writeFileSync(join(out, file), svg);
  // the written docs: docs/benchmarks.md and the README's headline when the figures go to docs/bench, else beside them
  const docs = resolve(out) === resolve(DOCS_BENCH);
  const doc = docs ? join(out, "..", "benchmarks.md") : join(out, "benchmarks.md");
  writeFileSync(doc, benchmarksDoc(results));
  if (docs) writeFileSync(README, withHeadline(readFileSync(README, "utf8"), results));
  console.log(`wrote ${o.from ? "" : `${join(out, "results.json")}, `}${Object.keys(svgs).join(", ")}, ${doc}${docs ? " and the README's headline table" : ""}`);
}

main().catch((err) => {
  console.error(err instanceof Error && err.message.startsWith("bench:") ? err.message : err);
  process.exit(1);
});
