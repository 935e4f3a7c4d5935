// The generate loop: prefill the prompt in one decoder call, then feed back one chosen token per call.
//   token_{n+1} = choose(net output at the last position)     (sampling.ts: greedy at temperature 0, else a seeded draw)
// The net's output row is logits, or probabilities when the net's output node is a softmaxLayer. Several prompts
// decode as one batch (rows of the decoder); a row that stops or reaches maxNewTokens leaves the batch
// (decoder.select), so the others run on. A seq2seq net's source comes as fixed inputs (startDecoding's `inputs`).
import { PositionEmbeddingLayer } from "../layers/embeddingLayers.js";
import { NetGraph } from "../nets/netGraph.js";
import { Random } from "../tensor/random.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import type { CharacterEncoder } from "../text/characterEncoder.js";
import { checkInteger, checkOptionNames, checkSeed, describe } from "../util/validate.js";
import { quote } from "../util/text.js";
import { SAMPLING_OPTIONS, checkSampling, drawToken } from "./sampling.js";
import { feedsEmbedding, type Decoder } from "./decoder.js";
import { checkEncoderFits } from "./encoderFits.js";

/** generate's options: length, sampling, seed, stop sequences, streaming, the text encoder for string prompts, and fixed inputs. */
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
  /** called with each token as it is chosen (its text, with an encoder; the prompt's index, for several prompts); returning "stop" ends that prompt's generation */
  onToken?: (token: number, text: string | undefined, row: number) => void | "stop";
  /** a text encoder: the prompt and stop strings are encoded by it, and a string prompt gives a string result (default: net.textEncoder; this option wins over it) */
  encoder?: CharacterEncoder;
  /** fixed inputs of a multi-input net by port (a seq2seq net's source ids), as startDecoding takes them: one row per prompt */
  inputs?: Readonly<Record<string, TensorLike | readonly TensorLike[]>>;
}

const OPTIONS = ["maxNewTokens", ...SAMPLING_OPTIONS.filter((o) => o !== "input"), "seed", "stop", "onToken", "encoder", "inputs"];
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
 * with a textEncoder) and returns the generated tokens only (ids, or a string for a string prompt), without a
 * stop sequence that ended them. A list of prompts decodes as one batch and gives a list of results (each row's
 * draws come from the one seeded generator, row by row at each step; greedy results equal those of each prompt
 * alone). A seq2seq net takes its source as `inputs` (one row per prompt) and its start token as the prompt.
 * @example generate(net, [3, 1, 4], { maxNewTokens: 20, temperature: 0 })
 * @example generate(seq2seq, sources.map(() => [START]), { inputs: { source: sources }, maxNewTokens: 12, stop: END, temperature: 0 })
 */
export function generate(net: NetGraph, prompt: string, options: GenerateOptions): string;
export function generate(net: NetGraph, prompt: readonly number[], options: GenerateOptions): number[];
export function generate(net: NetGraph, prompts: readonly string[], options: GenerateOptions): string[];
export function generate(net: NetGraph, prompts: readonly (readonly number[])[], options: GenerateOptions): number[][];
export function generate(net: NetGraph, prompt: readonly number[] | string | readonly (readonly number[] | string)[], options: GenerateOptions): number[] | string | (number[] | string)[] {
  const several = Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === "string" || Array.isArray(p));
  const prompts = (several ? prompt : [prompt]) as readonly (readonly number[] | string)[];
  const run = startRun(net, prompts, several, options, "generate", OPTIONS, (token, text, b) => options.onToken?.(token, text, b) === "stop");
  const rows = run.tokens;
  let step = rows.next();
  while (!step.done) step = rows.next();
  const results = step.value.map((g, b) => (typeof prompts[b] === "string" ? run.encoder!.decode(g) : g));
  return several ? results : results[0];
}

/**
 * generate as an async iterator (one prompt): yields `{ token, text }` for each token generate would return (the
 * same tokens for the same options), letting the event loop run (messages, timers, rendering) before each token.
 * Tokens that could begin a stop sequence are held back until they cannot. Breaking out of `for await`, or an
 * aborted `signal`, ends it before the next token (the tokens held back so far are yielded on abort). Arguments
 * are checked at the call; nothing runs until the first token is asked for.
 * @example for await (const { text } of generateStream(net, "And God", { maxNewTokens: 50 })) out.textContent += text;
 */
export function generateStream(net: NetGraph, prompt: readonly number[] | string, options: GenerateStreamOptions): AsyncGenerator<GeneratedToken, void, undefined> {
  const run = startRun(net, [prompt], false, options, "generateStream", STREAM_OPTIONS, () => false);
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
      generated.push(next.value.token);
      yield* send(generated.length - (endingStop(generated, run.stops) || partialStop(generated, run.stops)));
    }
  } finally {
    run.tokens.return([]);
  }
}

/** What generate and generateStream share: the checked arguments and the tokens in the order they are chosen. */
interface Run {
  encoder: CharacterEncoder | undefined;
  stops: number[][];
  /** each chosen token with its prompt's index (a stop sequence's included); returns each prompt's tokens without the stop sequence */
  tokens: Generator<{ row: number; token: number }, number[][], undefined>;
}

/** Checks the arguments (at the call) and returns the token loop (which starts decoding when first asked). */
function startRun(
  net: NetGraph, prompts: readonly (readonly number[] | string)[], several: boolean, options: GenerateOptions | GenerateStreamOptions, where: string, names: string[],
  cancel: (token: number, text: string | undefined, row: number) => boolean,
): Run {
  checkOptionNames(options, names, where);
  const maxNewTokens = checkInteger(options?.maxNewTokens, where, "maxNewTokens");
  const sampling = { ...checkSampling(options as unknown as Record<string, unknown>, where), input: outputKind(net) };
  const random = new Random(options.seed === undefined ? 0 : checkSeed(options.seed, where));
  const encoder = options.encoder ?? net.textEncoder; // the option wins over the net's own encoder
  if (encoder) checkEncoderFits(net, encoder, net.inputNames.filter((p) => !(options.inputs && Object.hasOwn(options.inputs, p))), where);
  const ids = prompts.map((p, i) => {
    const which = several ? ` (prompt ${i + 1})` : "";
    if (typeof p === "string" && !encoder) throw new Error(`${where}: a string prompt${which} needs the encoder option (a characterEncoder) or a net with a textEncoder; or pass token ids`);
    const row = typeof p === "string" ? encodeText(encoder!, p, `${where}: the prompt${which}`) : checkIds(p, `${where}${which}`);
    if (row.length === 0) throw new Error(`${where}: the prompt${which} is empty; give at least one token`);
    return row;
  });
  const longest = Math.max(...ids.map((r) => r.length));
  checkRoom(net, longest, maxNewTokens, where, options.inputs);
  const stops = stopSequences(options.stop, encoder, where);
  function* tokens(): Generator<{ row: number; token: number }, number[][], undefined> {
    const decoder = tokenDecoder(net, ids.length, longest + maxNewTokens, options.inputs, where);
    let vocabulary: number | undefined; // the net's output size, known from its first output row
    return yield* decodeRows(decoder, ids, maxNewTokens, (scores, b) => {
      if (vocabulary === undefined) checkStopIds(stops, (vocabulary = scores.length), where);
      const token = drawToken(scores, sampling, random, where);
      return { token, cancelled: cancel(token, encoder?.decode([token]), b) };
    }, stops);
  }
  return { encoder, stops, tokens: tokens() };
}

/**
 * The batched loop: every row's prompt in one call, then one chosen token per live row per call; a row leaves the
 * batch when it ends with a stop sequence (removed from its tokens), is cancelled, or has maxNewTokens tokens.
 * `choose`: the token for row b's scores (and whether to cancel it). Yields each token as chosen; returns each
 * row's tokens.
 */
function* decodeRows(
  decoder: Decoder, prompts: readonly number[][], maxNewTokens: number,
  choose: (scores: Float32Array, row: number) => { token: number; cancelled: boolean }, stops: readonly number[][],
): Generator<{ row: number; token: number }, number[][], undefined> {
  const generated = prompts.map((): number[] => []);
  let live = prompts.map((_, b) => b); // the prompt index of each decoder row
  let last = (decoder.next(prompts.map((p) => new Tensor(Float32Array.from(p), [p.length]))) as Tensor[]).map((y) => y.data.subarray((y.shape[0] - 1) * y.shape[1]));
  for (;;) {
    const keep: number[] = []; // decoder rows that go on
    for (const [row, b] of live.entries()) {
      const { token, cancelled } = choose(last[row], b);
      const g = generated[b];
      g.push(token);
      yield { row: b, token };
      const stop = endingStop(g, stops);
      g.length -= stop;
      if (!stop && !cancelled && g.length < maxNewTokens) keep.push(row);
    }
    if (keep.length === 0) return generated;
    if (keep.length < live.length) decoder = decoder.select(keep);
    live = keep.map((row) => live[row]);
    const fed = new Float32Array(live.length); // each live row's last token
    for (let row = 0; row < live.length; row++) fed[row] = generated[live[row]][generated[live[row]].length - 1];
    const y = decoder.next(new Tensor(fed, [live.length, 1])) as Tensor; // [B, 1, V]
    const V = y.shape[2];
    last = live.map((_, row) => y.data.subarray(row * V, (row + 1) * V));
  }
}

/**
 * A decoder of `rows` rows whose one stepped input takes token ids (the others fixed by `inputs`, one row each), checked;
 * `otherRows`: the refusal when the fixed inputs have another number of rows (the caller's words).
 */
export function tokenDecoder(
  net: NetGraph, rows: number, capacity: number, inputs: GenerateOptions["inputs"], where: string,
  otherRows = (batch: number) => `${rows} prompt${rows === 1 ? "" : "s"} but the fixed inputs have ${batch} rows; give one prompt per row`,
): Decoder {
  const decoder = net.startDecoding({ capacity, inputs, ...(inputs ? {} : { batch: rows }) });
  const stepped = decoder.steppedInputs;
  if (stepped.length !== 1) throw new Error(`${where}: the net steps inputs ${stepped.map((p) => `"${p}"`).join(", ")}; give all but the token input as fixed inputs (the inputs option)`);
  if (!feedsEmbedding(net, stepped[0])) throw new Error(`${where}: the net must start with an embeddingLayer (it takes token ids); ${net.label} does not${net.inputNames.length > 1 ? ` at its stepped input "${stepped[0]}"` : ""}`);
  if (decoder.batch !== rows) throw new Error(`${where}: ${otherRows(decoder.batch)}`);
  return decoder;
}

/** Refuses a stop id the net can never produce (past its `vocabulary` outputs): generation would silently never stop on it. */
export function checkStopIds(stops: readonly number[][], vocabulary: number, where: string): void {
  const bad = stops.flat().find((t) => t >= vocabulary);
  if (bad !== undefined) throw new Error(`${where}: stop token ${bad} is past the net's ${vocabulary} outputs (token ids 0 … ${vocabulary - 1}); it could never be generated`);
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
export function outputKind(net: NetGraph): "logits" | "probabilities" {
  const source = Object.values(net.outputSources)[0];
  return source.node !== undefined && net.nodes[source.node].kind === "softmaxLayer" ? "probabilities" : "logits";
}

export function checkIds(prompt: unknown, where: string): number[] {
  if (!Array.isArray(prompt) || !prompt.every((t) => Number.isInteger(t) && t >= 0)) throw new Error(`${where}: prompt must be token ids (non-negative integers) or a string, got ${describe(prompt)}`);
  return prompt.slice();
}

/**
 * Refuses up front when prompt and new tokens would pass a stepped position embedding's maxPosition (one fed by the
 * fixed inputs `fixed` alone, a seq2seq source's, sees the source instead).
 */
export function checkRoom(net: NetGraph, promptLength: number, maxNewTokens: number, where: string, fixed: GenerateOptions["inputs"]): void {
  const once = net.fixedNodes(Object.keys(fixed ?? {}));
  // the last new token is chosen from the position before it and never fed back: P + N − 1 positions run
  const positions = promptLength + maxNewTokens - 1;
  const check = (graph: NetGraph, path: string) => {
    for (const [node, layer] of Object.entries(graph.nodes)) {
      if (graph === net && once.has(node)) continue;
      const name = path + node;
      if (layer instanceof NetGraph) check(layer, `${name}/`); // a net nested as a node steps its own nodes (a position embedding among them)
      if (!(layer instanceof PositionEmbeddingLayer) || (promptLength <= layer.maxPosition && positions <= layer.maxPosition)) continue;
      const what = promptLength > layer.maxPosition ? `the prompt has ${promptLength} tokens` : `the prompt (${promptLength} tokens) and maxNewTokens (${maxNewTokens}) need ${positions} positions (the last new token is not fed back)`;
      throw new Error(`${where}: ${what} but node ${quote(name)} (${layer.label}) has maxPosition ${layer.maxPosition}; shorten the prompt or lower maxNewTokens to fit ${layer.maxPosition} positions`);
    }
  };
  check(net, "");
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
      return encodeText(encoder, s, `${where}: stop string ${JSON.stringify(s)}`);
    }
    const seq = typeof s === "number" ? [s] : s;
    if (!Array.isArray(seq) || seq.length === 0 || !seq.every((t) => Number.isInteger(t) && t >= 0)) throw new Error(`${where}: stop must be token ids, id lists or strings, got ${describe(s)}`);
    return seq as number[];
  });
}

/** The encoder's codes for text, its refusal (a character outside the vocabulary) prefixed with what the text was. */
function encodeText(encoder: CharacterEncoder, text: string, what: string): number[] {
  try {
    return encoder.encode(text);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
