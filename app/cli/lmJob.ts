// The language-model job (`attention-layers lm`): a character GPT trained on the King James corpus the package
// ships. Windows of `context` characters are drawn at random from the first 90% of the text (the input) with the
// same window moved by one character as the per-step targets (next-character prediction); fixed windows cut from
// the last 10% are the validation split. Losses are crossentropy-logits in nats per character (÷ ln 2: bits).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  characterEncoder, generate, loadNet, printable, readTextFile, saveNet, trainNet, type CharacterEncoder, type NetGraph, type PositionEmbeddingLayer,
  type TrainingHistory,
} from "attention-layers";
import { continuation } from "./lmContinue.js";
import { LM_TRAINING, characterGpt, type GptSize } from "./lmModel.js";
import { lmWindows, validationStart } from "./lmWindows.js";
import { claimFolder } from "./outputs.js";
import { lineChartSvg, reportHtml } from "../report/svg.js";

/** The corpus shipped in the package (data/kjv/), seen from dist/app/cli/. */
export const KJV_CORPUS = fileURLToPath(new URL("../../../data/kjv/kjv-genesis-proverbs-ecclesiastes.txt", import.meta.url));

export interface LmOptions extends Omit<GptSize, "vocabulary"> {
  corpus: string;
  epochs: number;
  /** training windows drawn per run (one epoch is one pass over them) */
  windows: number;
  batchSize: number;
  learnRate: number;
  seed: number;
  out: string;
  prompt: string;
  maxNewTokens: number;
  temperature: number;
  /** epochs between samples printed while training (0: none) */
  sampleEvery: number;
  verbose: boolean;
  log: (line: string) => void;
}

export const LM_FILES = { net: "kjv-char-gpt.safetensors", html: "index.html", loss: "loss.svg" } as const;

const MAX_VALIDATION_WINDOWS = 256;
const SAMPLE_LENGTH = 160;

/** The largest --corpus read (the job holds the text, its ids and its windows in memory). */
export const MAX_CORPUS_BYTES = 64 * 1024 * 1024;

export function readCorpus(path: string): string {
  return readTextFile(path, MAX_CORPUS_BYTES, "--corpus");
}

export function runLm(o: LmOptions): { history: TrainingHistory; netPath: string; reportPath: string; generated: string; seconds: number } {
  const text = readCorpus(o.corpus);
  const encoder = characterEncoder({ fromText: text }); // the corpus's distinct characters, by code point
  const ids = encoder.encode(text);
  try {
    encoder.encode(o.prompt); // before any training: every prompt character must be one of the corpus's
  } catch (e) {
    throw new Error(`--prompt: ${(e as Error).message}`);
  }
  const cut = validationStart(ids.length);
  const T = o.context;
  if (ids.length - cut < T + 1 || cut < T + 1) throw new Error(`--context ${T} is too long for the corpus ${printable(o.corpus)} (${ids.length} characters; each split needs more than ${T})`);
  const net = characterGpt({ vocabulary: encoder.size, size: o.size, heads: o.heads, blocks: o.blocks, context: T, feedForward: o.feedForward });
  const netPath = join(o.out, LM_FILES.net);
  const { release } = claimFolder(o.out, Object.values(LM_FILES).map((f) => join(o.out, f)));
  try {
    const t0 = performance.now();
    const { train, validation } = lmWindows(ids, T, o.windows, MAX_VALIDATION_WINDOWS, o.seed);
    net.initialize({ seed: o.seed, inputSize: 1 });
    net.textEncoder = encoder; // saved in the net's file, so --generate-only needs nothing else
    const learnables = Object.values(net.parameters).reduce((n, p) => n + p.data.length, 0);
    const model = `${o.blocks} pre-norm blocks, width ${o.size}, ${o.heads} heads, feed-forward ${o.feedForward}, context ${T}, ${encoder.size} characters, ${learnables} learnables`;
    o.log(`corpus: ${printable(o.corpus)} (${ids.length} characters, ${encoder.size} distinct); ${train.x.length} random training windows from the first ${cut}, ${validation.x.length} validation windows from the rest`);
    o.log(`model: character GPT, ${model}`);
    const training = `${o.epochs} epochs of ${o.windows} windows, mini-batch ${o.batchSize}, Adam lr ${o.learnRate}, global gradient norm ≤ 1, seed ${o.seed}`;
    o.log(`training: ${training}`);
    const sample = (n: number, seed: number) => continueText(net, encoder, T, o.prompt, { maxNewTokens: n, temperature: o.temperature, seed });
    const { history } = trainNet(net, train, {
      ...LM_TRAINING, maxEpochs: o.epochs, miniBatchSize: o.batchSize, learnRate: o.learnRate, seed: o.seed, validationData: validation, verbose: o.verbose,
      onProgress: (info) => {
        if (o.sampleEvery > 0 && info.epoch % o.sampleEvery === 0) {
          o.log(`epoch ${info.epoch}: validation loss ${perChar(info.validationLoss!)}; sample: "${printableText(o.prompt + sample(SAMPLE_LENGTH, o.seed))}"`);
        }
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    saveNet(net, netPath);
    const generated = sample(o.maxNewTokens, o.seed);
    const last = history.validationLoss[history.validationLoss.length - 1];
    const reportPath = writeLmReport(o.out, history, [
      ["model", model],
      ["validation loss", perChar(last)],
      ["training", `${training}: ${trainSeconds.toFixed(1)} s`],
      ["data", "King James Version: Genesis, Proverbs, Ecclesiastes (public domain; Debian's bible-kjv-text); the last 10% is the validation split"],
      [`generated from ${JSON.stringify(o.prompt)} (temperature ${o.temperature}, seed ${o.seed})`, o.prompt + generated],
    ]);
    o.log(`validation loss ${perChar(last)}`);
    o.log(`saved the net to ${printable(netPath)}; report: ${printable(reportPath)}`);
    o.log(`generated: ${printableText(o.prompt + generated)}`);
    return { history, netPath, reportPath, generated, seconds: (performance.now() - t0) / 1000 };
  } finally {
    release();
  }
}

/** Loads a net the job saved (with its text encoder) and continues `prompt`. */
export function generateFrom(o: { net: string; prompt: string; maxNewTokens: number; temperature: number; seed: number }): string {
  let net: NetGraph;
  try {
    net = loadNet<NetGraph>(o.net);
  } catch (e) {
    throw new Error(`--net ${printable(o.net)}: ${(e as Error).message}`);
  }
  const context = (net.nodes.positions as PositionEmbeddingLayer | undefined)?.maxPosition;
  if (context === undefined || !net.textEncoder) throw new Error(`--net ${printable(o.net)}: not a net of this job (it needs a "positions" node and a text encoder)`);
  return continueText(net, net.textEncoder, context, o.prompt, o);
}

/** Continues `prompt` by `maxNewTokens` characters with a net that sees at most `context` positions (lmContinue.ts). Returns the new characters only. */
export function continueText(net: NetGraph, encoder: CharacterEncoder, context: number, prompt: string, o: { maxNewTokens: number; temperature: number; seed: number }): string {
  const pieces = continuation(context, prompt, o.maxNewTokens, o.seed);
  for (let piece = pieces.next(); ; ) {
    if (piece.done) return piece.value;
    const { window, maxNewTokens, seed } = piece.value;
    piece = pieces.next(generate(net, window, { maxNewTokens, temperature: o.temperature, seed, encoder }));
  }
}

const perChar = (nats: number) => `${nats.toFixed(3)} nats = ${(nats / Math.LN2).toFixed(3)} bits per character`;

function writeLmReport(dir: string, history: TrainingHistory, summary: [string, string][]): string {
  writeFileSync(join(dir, LM_FILES.loss), lineChartSvg({
    title: "Cross-entropy per character", xLabel: "epoch", yLabel: "loss (nats per character)",
    series: [{ name: "training", x: history.epoch, y: history.loss }, { name: "validation", x: history.epoch, y: history.validationLoss }],
  }));
  const html = join(dir, LM_FILES.html);
  writeFileSync(html, reportHtml({
    title: "Character GPT on the King James Bible", summaryRows: summary,
    figures: [{ title: "Loss", file: LM_FILES.loss, caption: "Training loss is the mean over the epoch's mini-batches; validation loss is measured on the held-out last 10% after each epoch." }],
  }));
  return html;
}

/**
 * Generated text for the terminal: its lines as they are, each made printable (the model learned its characters from
 * --corpus, any file: an escape sequence there must not reach the terminal as one).
 */
export function printableText(text: string): string {
  return text.split("\n").map(printable).join("\n");
}
