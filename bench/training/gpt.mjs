// One training step (forward, backward, Adam update) of the 2-block causal character GPT of issue 16:
//   x = tokenEmbedding(ids) + positionEmbedding(t)   (vocabulary 96, model size 128, context 128)
//   2 blocks of  h = x + CausalAttention(LayerNorm(x));  x' = h + W₂·gelu(W₁·LayerNorm(h))   (4 heads, feed-forward 512, exact GELU)
//   logits = W_V·LayerNorm(x), crossentropy on the logits, batch 16, Adam.
// Ours through the public API (netGraph + trainNet, loss "crossentropy-logits") at 1 and 2 threads, each in a
// process of its own (this script's CLI below); PyTorch in bench/python/gpt_step.py with torch.set_num_threads(1) and (2).
//
// Alone, one measurement per process (for interleaved comparisons, e.g. with another build's dist/):
//   node bench/training/gpt.mjs --threads 2 --steps 5 [--dist DIR/dist/node/index.js]
// prints {"threads", "medianMs", "steps"}: the median of `steps` steps after one warm-up step.
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { median } from "../measure.mjs";
import { addPreNormBlocks } from "./blocks.mjs";
import { firstLine, round } from "../runKernels.mjs";
import { runPythonJson, torchAvailable } from "./python.mjs";

const cli = import.meta.url === pathToFileURL(process.argv[1] ?? "").href ? parseArgs({ options: { threads: { type: "string", default: "1" }, steps: { type: "string", default: "5" }, dist: { type: "string" } } }).values : null;
const lib = await import(cli?.dist ? pathToFileURL(cli.dist).href : "../../dist/node/index.js");
const { additionLayer, embeddingLayer, fullyConnectedLayer, layerNormalizationLayer, netGraph, positionEmbeddingLayer, setNumThreads, Tensor, trainNet } = lib;

export const GPT = { blocks: 2, vocabulary: 96, modelSize: 128, heads: 4, ffn: 512, context: 128, batch: 16 };
const TORCH_SCRIPT = fileURLToPath(new URL("../python/gpt_step.py", import.meta.url));
const THIS_SCRIPT = fileURLToPath(import.meta.url);

/** Rows { task: "gpt-step", threads, engine, medianMs } for ours and PyTorch at each thread count. */
export async function benchGpt({ threads, timing, log }) {
  const workload = { suite: "training", task: "gpt-step", ...GPT };
  const rows = [];
  for (const n of threads) {
    try {
      // in a process of its own, as PyTorch's: in the bench's process, after the other suites (whose peers' heaps
      // it still holds: jax-js's run to gigabytes), 2 threads ÷ 1 measured 1.37-1.42× in three runs, and 1.55-1.60× alone
      const steps = timing.minRuns + 2;
      const m = JSON.parse(execFileSync(process.execPath, [THIS_SCRIPT, "--threads", String(n), "--steps", String(steps)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
      rows.push({ ...workload, threads: n, engine: "ours", status: "ok", medianMs: round(m.medianMs, 2), runs: m.steps });
      log(`  gpt step ${n}t  ours     ${m.medianMs.toFixed(1)} ms (median of ${m.steps}, own process)`);
    } catch (err) {
      rows.push({ ...workload, threads: n, engine: "ours", status: "unavailable", reason: firstLine(err) });
    }
    try {
      const version = torchAvailable();
      const [r] = runPythonJson(TORCH_SCRIPT, ["--threads", String(n), "--min-runs", String(timing.minRuns), "--min-seconds", String(timing.minSeconds)]);
      rows.push({ ...workload, threads: n, engine: "pytorch", version, status: "ok", medianMs: round(r.median_ms, 2), runs: r.runs });
      log(`  gpt step ${n}t  pytorch  ${r.median_ms.toFixed(1)} ms (median of ${r.runs})`);
    } catch (err) {
      rows.push({ ...workload, threads: n, engine: "pytorch", status: "unavailable", reason: firstLine(err.stderr || err) });
    }
  }
  return rows;
}

/** The net as app/cli/lmModel.ts builds it (but with 128 key channels, as PyTorch's MultiheadAttention(128, 4)). */
export function gptNet() {
  const { blocks, vocabulary, modelSize: c, heads, ffn, context } = GPT;
  const nodes = { tokens: embeddingLayer(c, vocabulary), positions: positionEmbeddingLayer(c, context), embedded: additionLayer(2) };
  const edges = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"]];
  const x = addPreNormBlocks(lib, nodes, edges, "embedded", { blocks, c, heads, ffn, attention: { attentionMask: "causal" } });
  Object.assign(nodes, { norm: layerNormalizationLayer(), logits: fullyConnectedLayer(vocabulary) });
  edges.push([x, "norm"], ["norm", "logits"]);
  const net = netGraph({ nodes, edges });
  net.initialize({ seed: 1, inputSize: 1 });
  return net;
}

/** One step: a batch of 16 random windows of 129 character ids (input the first 128, target the next 128). */
export function gptStep() {
  const { vocabulary, context: t, batch } = GPT;
  const net = gptNet();
  let s = 7;
  const id = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % vocabulary);
  const windows = Array.from({ length: batch }, () => Array.from({ length: t + 1 }, id));
  const x = windows.map((w) => new Tensor(Float32Array.from(w.slice(0, t)), [t, 1]));
  const y = windows.map((w) => w.slice(1));
  const options = { loss: "crossentropy-logits", solver: "adam", learnRate: 1e-3, l2Regularization: 0, maxEpochs: 1, miniBatchSize: batch, shuffle: "never", verbose: false };
  return () => trainNet(net, { x, y }, options);
}

if (cli) {
  const step = gptStep(), threads = Number(cli.threads), times = [];
  setNumThreads(threads);
  step();
  for (let i = 0; i < Number(cli.steps); i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ threads, medianMs: round(median(times), 1), steps: times.length }));
}
