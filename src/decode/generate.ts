// The generate loop: prefill the prompt in one decoder call, then feed back one chosen token per call.
//   token_{n+1} = choose(net output at the last position)     (sampling.ts: greedy at temperature 0, else a seeded draw)
// The net's output row is logits, or probabilities when the net's output node is a softmaxLayer.
import { PositionEmbeddingLayer } from "../layers/embeddingLayers.js";
import type { NetGraph } from "../nets/netGraph.js";
import { Random } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { CharacterEncoder } from "../text/characterEncoder.js";
import { checkInteger, checkOptionNames, checkSeed, describe } from "../util/validate.js";
import { SAMPLING_OPTIONS, checkSampling, drawToken } from "./sampling.js";
import { startsWithEmbedding } from "./decoder.js";

/** generate's options: length, sampling, seed, stop sequences, streaming, and the text encoder for string prompts. */
export interface GenerateOptions {
  /** the most tokens to generate (≥ 1) */
  maxNewTokens: number;
  /** 0 is greedy (argmax); default 1 */
  temperature?: number;
  topK?: number;
  topP?: number;
  /** seed of the draws (default 0): the same seed gives the same output */
  seed?: number;
  /** stop when the generated tokens end with one of these: a token id, a list of ids, or a string (with an encoder) */
  stop?: number | string | readonly (number | string | readonly number[])[];
  /** called with each token as it is chosen (and its text, with an encoder); returning "stop" ends generation */
  onToken?: (token: number, text: string | undefined) => void | "stop";
  /** a text encoder: the prompt and stop strings are encoded by it, and a string prompt gives a string result (default: net.textEncoder; this option wins over it) */
  encoder?: CharacterEncoder;
}

const OPTIONS = ["maxNewTokens", ...SAMPLING_OPTIONS.filter((o) => o !== "input"), "seed", "stop", "onToken", "encoder"];
const STREAM_OPTIONS = [...OPTIONS.filter((o) => o !== "onToken"), "signal"];

/** generateStream's options: generate's without onToken (the stream is the callback), and an abort signal. */
export interface GenerateStreamOptions extends Omit<GenerateOptions, "onToken"> {
  /** an AbortSignal (or anything with a boolean `aborted`): once aborted, the stream ends before the next token */
  signal?: { readonly aborted: boolean };
}

/** One token of generateStream: its id, and its text when there is an encoder. */
export interface GeneratedToken {
  token: number;
  text: string | undefined;
}

/**
 * Generates up to maxNewTokens tokens after `prompt` (token ids, or a string with the `encoder` option or a net
 * with a textEncoder) and
 * returns the generated tokens only (ids, or a string for a string prompt), without a stop sequence that ended them.
 * @example generate(net, [3, 1, 4], { maxNewTokens: 20, temperature: 0 })
 */
export function generate(net: NetGraph, prompt: string, options: GenerateOptions): string;
export function generate(net: NetGraph, prompt: readonly number[], options: GenerateOptions): number[];
export function generate(net: NetGraph, prompt: readonly number[] | string, options: GenerateOptions): number[] | string {
  const run = startRun(net, prompt, options, "generate", OPTIONS);
  const generated: number[] = [];
  for (const token of run.tokens) {
    generated.push(token);
    if (options.onToken?.(token, run.encoder?.decode([token])) === "stop") break;
  }
  generated.length -= endingStop(generated, run.stops);
  return typeof prompt === "string" ? run.encoder!.decode(generated) : generated;
}

/**
 * generate as an async iterator: yields `{ token, text }` for each token generate would return (the same tokens
 * for the same options), letting the event loop run (messages, timers, rendering) before each token. Tokens that
 * could begin a stop sequence are held back until they cannot. Breaking out of `for await`, or an aborted
 * `signal`, ends it before the next token (the tokens held back so far are yielded on abort). Arguments are
 * checked at the call; nothing runs until the first token is asked for.
 * @example for await (const { text } of generateStream(net, "And God", { maxNewTokens: 50 })) out.textContent += text;
 */
export function generateStream(net: NetGraph, prompt: readonly number[] | string, options: GenerateStreamOptions): AsyncGenerator<GeneratedToken, void, undefined> {
  const run = startRun(net, prompt, options, "generateStream", STREAM_OPTIONS);
  const signal = options.signal;
  if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof signal.aborted !== "boolean")) {
    throw new Error(`generateStream: signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return stream(run, signal);
}

async function* stream(run: Run, signal: GenerateStreamOptions["signal"]): AsyncGenerator<GeneratedToken, void, undefined> {
  const generated: number[] = [];
  let sent = 0; // generated[sent..] are held back: they may begin a stop sequence
  const send = (end: number): GeneratedToken[] => {
    const out = generated.slice(sent, end).map((token) => ({ token, text: run.encoder?.decode([token]) }));
    sent = Math.max(sent, end);
    return out;
  };
  try {
    for (;;) {
      await nextTurn();
      const next = signal?.aborted ? undefined : run.tokens.next();
      if (!next || next.done) return yield* send(generated.length - endingStop(generated, run.stops));
      generated.push(next.value);
      yield* send(generated.length - (endingStop(generated, run.stops) || partialStop(generated, run.stops)));
    }
  } finally {
    run.tokens.return();
  }
}

/** What generate and generateStream share: the checked arguments and the tokens in the order they are chosen. */
interface Run {
  encoder: CharacterEncoder | undefined;
  stops: number[][];
  /** each chosen token (a stop sequence's included); it ends after maxNewTokens or a stop sequence */
  tokens: Generator<number, void, undefined>;
}

function startRun(net: NetGraph, prompt: readonly number[] | string, options: GenerateOptions | GenerateStreamOptions, where: string, names: string[]): Run {
  checkOptionNames(options, names, where);
  const maxNewTokens = checkInteger(options?.maxNewTokens, where, "maxNewTokens");
  const sampling = { ...checkSampling(options as unknown as Record<string, unknown>, where), input: outputKind(net) };
  const random = new Random(options.seed === undefined ? 0 : checkSeed(options.seed, where));
  const encoder = options.encoder ?? net.textEncoder; // the option wins over the net's own encoder
  if (typeof prompt === "string" && !encoder) throw new Error(`${where}: a string prompt needs the encoder option (a characterEncoder) or a net with a textEncoder; or pass token ids`);
  if (!startsWithEmbedding(net)) throw new Error(`${where}: the net must start with an embeddingLayer (it takes token ids); ${net.label} does not`);
  const ids = typeof prompt === "string" ? encoder!.encode(prompt) : checkIds(prompt, where);
  if (ids.length === 0) throw new Error(`${where}: the prompt is empty; give at least one token`);
  checkRoom(net, ids.length, maxNewTokens, where);
  const stops = stopSequences(options.stop, encoder, where);
  function* tokens(): Generator<number, void, undefined> {
    const decoder = net.startDecoding({ capacity: ids.length + maxNewTokens });
    let out = decoder.next(ids) as Tensor; // [T, vocabulary]
    const generated: number[] = [];
    for (;;) {
      const [T, V] = out.shape;
      const token = drawToken(out.data.subarray((T - 1) * V, T * V), sampling, random, where);
      generated.push(token);
      yield token;
      if (endingStop(generated, stops) > 0 || generated.length === maxNewTokens) return;
      out = decoder.next([token]) as Tensor;
    }
  }
  return { encoder, stops, tokens: tokens() };
}

/** The length of the stop sequence `tokens` end with (0: none). */
function endingStop(tokens: readonly number[], stops: readonly number[][]): number {
  return stops.find((s) => s.length <= tokens.length && s.every((t, i) => tokens[tokens.length - s.length + i] === t))?.length ?? 0;
}

/** The longest k such that the last k tokens are the first k of a stop sequence (the tokens a stream must hold back). */
function partialStop(tokens: readonly number[], stops: readonly number[][]): number {
  let longest = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length - 1, tokens.length); k > longest; k--) {
      if (s.slice(0, k).every((t, i) => tokens[tokens.length - k + i] === t)) longest = k;
    }
  }
  return longest;
}

/** Resolves on a later turn of the event loop (a task, not a microtask), so messages, timers and rendering run first. */
function nextTurn(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel(); // a browser's setTimeout(0) waits ≥ 4 ms once nested
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}

/** "probabilities" when the net's output node is a softmaxLayer, else "logits". */
function outputKind(net: NetGraph): "logits" | "probabilities" {
  const source = Object.values(net.outputSources)[0];
  return source.node !== undefined && net.nodes[source.node].kind === "softmaxLayer" ? "probabilities" : "logits";
}

function checkIds(prompt: unknown, where: string): number[] {
  if (!Array.isArray(prompt) || !prompt.every((t) => Number.isInteger(t) && t >= 0)) throw new Error(`${where}: prompt must be token ids (non-negative integers) or a string, got ${describe(prompt)}`);
  return prompt.slice();
}

/** Refuses up front when prompt and new tokens would pass a position embedding's maxPosition. */
function checkRoom(net: NetGraph, promptLength: number, maxNewTokens: number, where: string): void {
  for (const layer of Object.values(net.nodes)) {
    if (!(layer instanceof PositionEmbeddingLayer) || promptLength + maxNewTokens <= layer.maxPosition) continue;
    const what = promptLength > layer.maxPosition ? `the prompt has ${promptLength} tokens` : `the prompt (${promptLength} tokens) and maxNewTokens (${maxNewTokens}) make ${promptLength + maxNewTokens} positions`;
    throw new Error(`${where}: ${what} but ${layer.label} has maxPosition ${layer.maxPosition}; shorten the prompt or lower maxNewTokens to fit ${layer.maxPosition} positions`);
  }
}

/** The stop option as token sequences (strings encoded; a lone id or string is a list of one). */
function stopSequences(stop: GenerateOptions["stop"], encoder: CharacterEncoder | undefined, where: string): number[][] {
  if (stop === undefined) return [];
  const list = (typeof stop === "number" || typeof stop === "string" ? [stop] : stop) as unknown[];
  if (!Array.isArray(list)) throw new Error(`${where}: stop must be token ids, id lists or strings, got ${describe(stop)}`);
  return list.map((s) => {
    if (typeof s === "string") {
      if (!encoder) throw new Error(`${where}: stop string ${JSON.stringify(s)} needs the encoder option or a net with a textEncoder`);
      if (s === "") throw new Error(`${where}: a stop string must not be empty`);
      return encoder.encode(s);
    }
    const seq = typeof s === "number" ? [s] : s;
    if (!Array.isArray(seq) || seq.length === 0 || !seq.every((t) => Number.isInteger(t) && t >= 0)) throw new Error(`${where}: stop must be token ids, id lists or strings, got ${describe(s)}`);
    return seq as number[];
  });
}
