#!/usr/bin/env node
// Bahdanau et al. (2015) in miniature: learn to normalise dates ("5 Mar 2021" → "2021-03-05") with a
// bidirectional-GRU encoder, additive attention and a GRU decoder, then decode the test set greedily and with
// beam search and write an HTML/SVG report with the alignment heatmaps. See README.md beside this file.
//   node examples/seq2seq/main.mjs [--help] [--epochs N] [--train N] [--test N] ...
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadNet, saveNet, setNumThreads, trainNet } from "attention-layers";
import { buildModel, encode, isWellFormedDate, makeData } from "./model.mjs";
import { alignments, beamDecode, greedyDecode, teacherForced } from "./decode.mjs";
import { writeReport } from "./report.mjs";

const OPTIONS = {
  epochs: { value: 5, help: "training epochs" },
  train: { value: 10000, help: "training pairs" },
  test: { value: 1000, help: "test pairs" },
  batch: { value: 64, help: "mini-batch size" },
  "learn-rate": { value: 0.01, help: "Adam's learning rate" },
  clip: { value: 1, help: "gradient threshold (global L2 norm)" },
  beam: { value: 4, help: "beam width of beam-search decoding" },
  seed: { value: 1, help: "seed of the data and of the weights" },
  threads: { value: 0, help: "WebAssembly threads (0: the library's default)" },
  out: { value: "seq2seq-report", help: "directory of the report (index.html, its SVG figures, the trained net)" },
};
const FLAGS = { "decode-only": "skip training: evaluate the net a previous run saved in --out (with its --train, --test, --seed)" };
const HELP = `node examples/seq2seq/main.mjs [options]
Trains the date-normalisation model of Bahdanau et al. (2015) in miniature and writes a report.
${Object.entries(OPTIONS).map(([name, o]) => `  --${name.padEnd(12)} ${o.help} (default ${o.value})`).join("\n")}
${Object.entries(FLAGS).map(([name, help]) => `  --${name.padEnd(12)} ${help}`).join("\n")}
  --help`;

function parseArgs(argv) {
  const o = Object.fromEntries(Object.entries(OPTIONS).map(([k, v]) => [k, v.value]));
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--help" || argv[i] === "-h") return { help: true };
    const name = argv[i].replace(/^--/, "");
    if (name in FLAGS) {
      o[name] = true;
      continue;
    }
    if (!argv[i].startsWith("--") || !(name in OPTIONS)) throw new Error(`seq2seq: unknown argument "${argv[i]}" (see --help)`);
    if (i + 1 >= argv.length) throw new Error(`seq2seq: ${argv[i]} needs a value`);
    const raw = argv[++i];
    if (name === "out") o.out = raw;
    else {
      const x = Number(raw);
      const integer = !["learn-rate", "clip"].includes(name);
      if (!Number.isFinite(x) || x < 0 || (integer && !Number.isInteger(x)) || (x === 0 && name !== "threads")) {
        throw new Error(`seq2seq: --${name} must be a ${integer ? "positive integer" : "positive number"}, got "${raw}"`);
      }
      o[name] = x;
    }
  }
  return o;
}

const NET_FILE = "model.safetensors", HISTORY_FILE = "training.json";

/** Trains with trainNet and keeps the net and its history in `o.out` (for --decode-only). */
function train(net, encoded, o) {
  const losses = [];
  const t0 = performance.now();
  const { history } = trainNet(net, { x: encoded.map((e) => e.x), y: encoded.map((e) => e.y) }, {
    loss: "crossentropy-logits", solver: "adam", learnRate: o["learn-rate"], gradientThreshold: o.clip, gradientThresholdMethod: "global-l2norm",
    l2Regularization: 0, miniBatchSize: o.batch, maxEpochs: o.epochs, seed: o.seed,
    progressSink: {
      iteration: (info) => losses.push(info.loss),
      epoch: (info) => log(`epoch ${info.epoch}/${info.maxEpochs}  loss ${info.loss.toFixed(4)}  character accuracy ${percent(info.accuracy)}  ${info.elapsedSeconds.toFixed(0)} s`),
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  mkdirSync(o.out, { recursive: true });
  saveNet(net, join(o.out, NET_FILE));
  writeFileSync(join(o.out, HISTORY_FILE), JSON.stringify({ history, losses, trainSeconds, data: dataFlags(o) }));
  return { history, losses, trainSeconds };
}

/** The flags that fix the data: the test set is the one the saved net was tested on only with the same ones. */
const dataFlags = (o) => ({ train: o.train, test: o.test, seed: o.seed });

/** The net and history a previous run saved in `o.out`, the net's weights copied into `net`. */
function loadTraining(o, net) {
  const saved = JSON.parse(readFileSync(join(o.out, HISTORY_FILE), "utf8"));
  const differ = Object.entries(dataFlags(o)).filter(([k, v]) => saved.data?.[k] !== v);
  if (differ.length > 0) {
    throw new Error(`seq2seq: --decode-only needs the data flags of the run that trained the net in ${o.out}: ${differ.map(([k]) => `--${k} ${saved.data?.[k]}`).join(", ")} (got ${differ.map(([k, v]) => `--${k} ${v}`).join(", ")})`);
  }
  const trained = loadNet(join(o.out, NET_FILE));
  for (const [name, tensor] of Object.entries(trained.parameters)) net.setParameter(name, tensor);
  return saved;
}

const log = (line) => process.stderr.write(`${line}\n`);
const percent = (x) => `${(100 * x).toFixed(1)}%`;

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  if (o.threads > 0) setNumThreads(o.threads);
  const data = makeData({ train: o.train, test: o.test, seed: o.seed });
  const net = buildModel({ seed: o.seed });
  const encoded = data.train.map(encode);
  log(`seq2seq: ${o.train} training pairs, ${o.test} test pairs, e.g. "${data.test[0].source}" → "${data.test[0].target}"`);

  const { history, losses, trainSeconds } = o["decode-only"] ? loadTraining(o, net) : train(net, encoded, o);
  const iterationsPerEpoch = Math.ceil(o.train / o.batch);

  const forced = teacherForced(net, data.test);
  log(`teacher-forced exact match on the test set: ${percent(forced.exactMatch)}`);
  const sources = data.test.map((p) => p.source);
  const decoded = {};
  const t1 = performance.now();
  decoded.greedy = greedyDecode(net, sources);
  const greedySeconds = (performance.now() - t1) / 1000;
  decoded.beam = beamDecode(net, sources, { beamWidth: o.beam });
  const exact = (outs) => outs.filter((s, i) => s === data.test[i].target).length / outs.length;
  const wellFormed = (outs) => outs.filter(isWellFormedDate).length / outs.length;
  for (const [how, outs] of Object.entries(decoded)) log(`${how} decoding: exact match ${percent(exact(outs))}, well-formed dates ${percent(wellFormed(outs))}`);

  // the alignment figure: one test input of each of the first four surface forms that appear
  const shownAt = [0, 1, 2, 3].map((form) => data.test.findIndex((p) => p.form === form)).filter((i) => i >= 0);
  const shown = shownAt.map((i) => data.test[i]);
  const weights = alignments(net, shown);
  const files = writeReport(o.out, {
    losses, iterationsPerEpoch, epochLosses: history.loss,
    alignments: shown.map((p, i) => ({ source: p.source, output: p.target, weights: weights[i] })),
    summary: [
      ["data", `${o.train} training / ${o.test} test pairs, seed ${o.seed}`],
      ["training", `epochs ${history.epoch.length}, batch ${o.batch}, Adam ${o["learn-rate"]}, clipping ${o.clip}: ${trainSeconds.toFixed(0)} s`],
      ["final training loss", history.loss.at(-1).toFixed(4)],
      ["test exact match, teacher-forced", percent(forced.exactMatch)],
      ["test exact match, greedy", `${percent(exact(decoded.greedy))} (${greedySeconds.toFixed(2)} s for ${o.test} inputs)`],
      [`test exact match, beam ${o.beam}`, percent(exact(decoded.beam))],
      ["well-formed dates (greedy)", percent(wellFormed(decoded.greedy))],
      ...shownAt.map((i) => [`"${data.test[i].source}"`, `greedy "${decoded.greedy[i]}", beam "${decoded.beam[i]}"`]),
    ],
  });
  console.log(JSON.stringify({
    epochs: history.epoch.length, trainSeconds: Number(trainSeconds.toFixed(1)), loss: history.loss,
    teacherForcedExactMatch: forced.exactMatch, greedyExactMatch: exact(decoded.greedy), beamExactMatch: exact(decoded.beam),
    greedyWellFormed: wellFormed(decoded.greedy), greedySeconds: Number(greedySeconds.toFixed(3)),
    samples: shownAt.map((i) => ({ source: data.test[i].source, target: data.test[i].target, greedy: decoded.greedy[i], beam: decoded.beam[i] })),
    report: files.find((f) => f.endsWith("index.html")),
  }));
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error && err.message.startsWith("seq2seq:") ? err.message : err);
  process.exit(1);
}
