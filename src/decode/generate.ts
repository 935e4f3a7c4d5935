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

/**
 * Generates up to maxNewTokens tokens after `prompt` (token ids, or a string with the `encoder` option or a net
 * with a textEncoder) and
 * returns the generated tokens only (ids, or a string for a string prompt), without a stop sequence that ended them.
 * @example generate(net, [3, 1, 4], { maxNewTokens: 20, temperature: 0 })
 */
export function generate(net: NetGraph, prompt: string, options: GenerateOptions): string;
export function generate(net: NetGraph, prompt: readonly number[], options: GenerateOptions): number[];
export function generate(net: NetGraph, prompt: readonly number[] | string, options: GenerateOptions): number[] | string {
  const where = "generate";
  checkOptionNames(options, OPTIONS, where);
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
  const decoder = net.startDecoding({ capacity: ids.length + maxNewTokens });
  let out = decoder.next(ids) as Tensor; // [T, vocabulary]
  const generated: number[] = [];
  while (generated.length < maxNewTokens) {
    const [T, V] = out.shape;
    const token = drawToken(out.data.subarray((T - 1) * V, T * V), sampling, random, where);
    generated.push(token);
    const cancelled = options.onToken?.(token, encoder?.decode([token])) === "stop";
    const stop = stops.find((s) => s.length <= generated.length && s.every((t, i) => generated[generated.length - s.length + i] === t));
    if (stop) generated.length -= stop.length;
    if (stop || cancelled || generated.length === maxNewTokens) break;
    out = decoder.next([token]) as Tensor;
  }
  return typeof prompt === "string" ? encoder!.decode(generated) : generated;
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
