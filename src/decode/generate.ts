// The generate loop: prefill the prompt in one decoder call, then feed back one chosen token per call.
//   token_{n+1} = choose(net output at the last position)     (sampling.ts: greedy at temperature 0, else a seeded draw)
// The net's output row is logits, or probabilities when the net's output node is a softmaxLayer. Several prompts
// decode as one batch (rows of the decoder); a row that stops or reaches maxNewTokens leaves the batch
// (decoder.select), so the others run on. A seq2seq net's source comes as fixed inputs (startDecoding's `inputs`).
import { PositionEmbeddingLayer } from "../layers/embeddingLayers.js";
import type { NetGraph } from "../nets/netGraph.js";
import { Random } from "../tensor/random.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import type { CharacterEncoder } from "../text/characterEncoder.js";
import { checkInteger, checkOptionNames, checkSeed, describe } from "../util/validate.js";
import { SAMPLING_OPTIONS, checkSampling, drawToken } from "./sampling.js";
import { feedsEmbedding, type Decoder } from "./decoder.js";

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
  const where = "generate";
  checkOptionNames(options, OPTIONS, where);
  const maxNewTokens = checkInteger(options?.maxNewTokens, where, "maxNewTokens");
  const sampling = { ...checkSampling(options as unknown as Record<string, unknown>, where), input: outputKind(net) };
  const random = new Random(options.seed === undefined ? 0 : checkSeed(options.seed, where));
  const encoder = options.encoder ?? net.textEncoder; // the option wins over the net's own encoder
  const several = Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === "string" || Array.isArray(p));
  const prompts = (several ? prompt : [prompt]) as readonly (readonly number[] | string)[];
  const ids = prompts.map((p, i) => {
    const which = several ? ` (prompt ${i + 1})` : "";
    if (typeof p === "string" && !encoder) throw new Error(`${where}: a string prompt${which} needs the encoder option (a characterEncoder) or a net with a textEncoder; or pass token ids`);
    const row = typeof p === "string" ? encoder!.encode(p) : checkIds(p, `${where}${which}`);
    if (row.length === 0) throw new Error(`${where}: the prompt${which} is empty; give at least one token`);
    return row;
  });
  const longest = Math.max(...ids.map((r) => r.length));
  checkRoom(net, longest, maxNewTokens, where);
  const stops = stopSequences(options.stop, encoder, where);
  const decoder = tokenDecoder(net, ids.length, longest + maxNewTokens, options.inputs, where);
  const generated = decodeRows(decoder, ids, maxNewTokens, (row, b) => {
    const token = drawToken(row, sampling, random, where);
    return { token, cancelled: options.onToken?.(token, encoder?.decode([token]), b) === "stop" };
  }, stops);
  const results = generated.map((g, b) => (typeof prompts[b] === "string" ? encoder!.decode(g) : g));
  return several ? results : results[0];
}

/**
 * The batched loop: every row's prompt in one call, then one chosen token per live row per call; a row leaves the
 * batch when it ends with a stop sequence (removed from its tokens), is cancelled, or has maxNewTokens tokens.
 * `choose`: the token for row b's scores (and whether to cancel it).
 */
function decodeRows(
  decoder: Decoder, prompts: readonly number[][], maxNewTokens: number,
  choose: (scores: Float32Array, row: number) => { token: number; cancelled: boolean }, stops: readonly number[][],
): number[][] {
  const generated = prompts.map((): number[] => []);
  let live = prompts.map((_, b) => b); // the prompt index of each decoder row
  let last = (decoder.next(prompts.map((p) => new Tensor(Float32Array.from(p), [p.length]))) as Tensor[]).map((y) => y.data.subarray((y.shape[0] - 1) * y.shape[1]));
  for (;;) {
    const keep: number[] = []; // decoder rows that go on
    live.forEach((b, row) => {
      const { token, cancelled } = choose(last[row], b);
      const g = generated[b];
      g.push(token);
      const stop = stops.find((s) => s.length <= g.length && s.every((t, i) => g[g.length - s.length + i] === t));
      if (stop) g.length -= stop.length;
      if (!stop && !cancelled && g.length < maxNewTokens) keep.push(row);
    });
    if (keep.length === 0) return generated;
    if (keep.length < live.length) decoder = decoder.select(keep);
    live = keep.map((row) => live[row]);
    const y = decoder.next(new Tensor(Float32Array.from(live, (b) => generated[b].at(-1)!), [live.length, 1])) as Tensor; // [B, 1, V]
    const V = y.shape[2];
    last = live.map((_, row) => y.data.subarray(row * V, (row + 1) * V));
  }
}

/** A decoder of `rows` rows whose one stepped input takes token ids (the others fixed by `inputs`, one row each), checked. */
export function tokenDecoder(net: NetGraph, rows: number, capacity: number, inputs: GenerateOptions["inputs"], where: string): Decoder {
  const decoder = net.startDecoding({ capacity, inputs, ...(inputs ? {} : { batch: rows }) });
  const stepped = decoder.steppedInputs;
  if (stepped.length !== 1) throw new Error(`${where}: the net steps inputs ${stepped.map((p) => `"${p}"`).join(", ")}; give all but the token input as fixed inputs (the inputs option)`);
  if (!feedsEmbedding(net, stepped[0])) throw new Error(`${where}: the net must start with an embeddingLayer (it takes token ids); ${net.label} does not${net.inputNames.length > 1 ? ` at its stepped input "${stepped[0]}"` : ""}`);
  if (decoder.batch !== rows) throw new Error(`${where}: ${rows} prompt${rows === 1 ? "" : "s"} but the fixed inputs have ${decoder.batch} rows; give one prompt per row`);
  return decoder;
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

/** Refuses up front when prompt and new tokens would pass a position embedding's maxPosition. */
export function checkRoom(net: NetGraph, promptLength: number, maxNewTokens: number, where: string): void {
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
