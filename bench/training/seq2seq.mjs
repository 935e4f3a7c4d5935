// The sequence-to-sequence rows (issue 17): the model of examples/seq2seq/model.mjs (bidirectional GRU encoder,
// additive attention, conditional-GRU decoder) against its exact PyTorch mirror, bench/python/seq2seq_step.py,
// on the same generated dates, one thread each:
//   seq2seq-step:   one training step of batch 64 (forward, backward, global-norm clipping at 1, Adam), ours through
//                   trainNet for one mini-batch;
//   seq2seq-greedy: greedy decoding of `inputs` test dates in batches of 100 (the encoder once per batch, then one
//                   step per output character), ours through the decoding step API (examples/seq2seq/decode.mjs).
// Each engine is measured `rounds` times, alternating, and the row keeps the median of the rounds' medians.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trainNet } from "../../dist/node/index.js";
import { SIZES, START_ID, buildModel, encode, makeData, sourceCodes, targetCodes } from "../../examples/seq2seq/model.mjs";
import { greedyDecode, STEPS } from "../../examples/seq2seq/decode.mjs";
import { measure, median } from "../measure.mjs";
import { firstLine, round } from "../runKernels.mjs";
import { runPythonJson, torchAvailable } from "./python.mjs";

export const TORCH_SCRIPT = fileURLToPath(new URL("../python/seq2seq_step.py", import.meta.url));
const TRAINING = { loss: "crossentropy-logits", solver: "adam", learnRate: 1e-3, l2Regularization: 0, gradientThreshold: 1, gradientThresholdMethod: "global-l2norm" };
export const SEQ2SEQ = { batch: 64, decodeBatch: 100 };

/**
 * What the PyTorch peer reads (--data): the sizes, `batch` training pairs and `inputs` decoding sources (seed 7),
 * ids already encoded, and `weights` (our parameters by name, for --task logits) when given.
 */
export function peerData({ batch, inputs, weights }) {
  const data = makeData({ train: batch, test: inputs, seed: 7 });
  const step = data.train.map(encode);
  return {
    pairs: data,
    json: {
      sizes: SIZES, sourceVocabulary: sourceCodes.size, targetVocabulary: targetCodes.size, startId: START_ID, steps: STEPS,
      learnRate: TRAINING.learnRate, gradientThreshold: TRAINING.gradientThreshold, decodeBatch: SEQ2SEQ.decodeBatch,
      step: { source: step.map((e) => e.x.source.flat()), previous: step.map((e) => e.x.previous.flat()), target: step.map((e) => e.y) },
      decode: { source: data.test.map((p) => sourceCodes.encode(p.source)) },
      ...(weights ? { weights: Object.fromEntries(Object.entries(weights).map(([name, t]) => [name, Array.from(t.data)])) } : {}),
    },
  };
}

export async function benchSeq2seq({ inputs, rounds, timing, log }) {
  const { batch, decodeBatch } = SEQ2SEQ;
  const { pairs: data, json } = peerData({ batch, inputs });
  const step = data.train.map(encode);
  const dir = mkdtempSync(join(tmpdir(), "seq2seq-bench-"));
  const file = join(dir, "data.json");
  writeFileSync(file, JSON.stringify(json));
  const tasks = [
    { task: "seq2seq-step", workload: { batch }, ours: () => oursStep(step), torch: "step" },
    { task: "seq2seq-greedy", workload: { inputs, batch: decodeBatch }, ours: () => oursGreedy(data.test.map((p) => p.source)), torch: "decode" },
  ];
  const rows = [];
  try {
    for (const t of tasks) rows.push(...(await measureTask(t, { file, rounds, timing, log })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Both engines on one task, alternating for `rounds` rounds; a failing engine gives an "unavailable" row. */
async function measureTask({ task, workload, ours, torch }, { file, rounds, timing, log }) {
  const engines = {
    ours: { make: ours, run: async (run) => measure(run, timing) },
    pytorch: {
      make: () => torchAvailable(),
      run: async () => {
        const [r] = runPythonJson(TORCH_SCRIPT, ["--data", file, "--task", torch, "--min-runs", String(timing.minRuns), "--min-seconds", String(timing.minSeconds)]);
        return { medianMs: r.median_ms, runs: r.runs };
      },
    },
  };
  const state = {};
  for (const [engine, e] of Object.entries(engines)) {
    try {
      state[engine] = { arg: e.make(), medians: [], runs: 0 };
    } catch (err) {
      state[engine] = { error: firstLine(err) };
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const [engine, e] of Object.entries(engines)) {
      const s = state[engine];
      if (s.error) continue;
      try {
        const m = await e.run(s.arg);
        s.medians.push(m.medianMs);
        s.runs += m.runs;
      } catch (err) {
        s.error = firstLine(err.stderr || err);
      }
    }
  }
  return Object.entries(state).map(([engine, s]) => {
    const base = { suite: "training", task, ...workload, engine, ...(engine === "pytorch" && !s.error ? { version: s.arg } : {}) };
    if (s.error) return { ...base, status: "unavailable", reason: s.error };
    const ms = median(s.medians);
    log(`  ${task.padEnd(15)} ${engine.padEnd(8)} ${ms.toFixed(1)} ms (median of ${rounds} rounds, ${s.runs} runs)`);
    return { ...base, status: "ok", medianMs: round(ms, 2), runs: s.runs };
  });
}

/** One trainNet step on the batch: a fresh model each time it is made, trained one mini-batch per run. */
function oursStep(examples) {
  const net = buildModel({ seed: 1 });
  const options = { ...TRAINING, maxEpochs: 1, miniBatchSize: examples.length, shuffle: "never", verbose: false };
  const x = examples.map((e) => e.x), y = examples.map((e) => e.y);
  return () => trainNet(net, { x, y }, options);
}

/** Greedy decoding of every source in batches through the step API; throws (an "unavailable" row) without it. */
function oursGreedy(sources) {
  const net = buildModel({ seed: 1 });
  return () => greedyDecode(net, sources, { batch: SEQ2SEQ.decodeBatch });
}
