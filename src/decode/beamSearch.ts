// Beam search: the beamWidth most probable continuations, kept as rows of one batched decoder. At each step every
// live beam b (log-probability L_b) proposes every token v, with L_b + log p(v | beam b); the candidates are ranked
// by that sum (ties: lower beam, then lower token), those ending in the stop token among the first beamWidth
// become finished hypotheses, and the first beamWidth others are the next beams (decoder.select reorders the
// rows so: row i continues its parent's row). Finished hypotheses rank by
//   score = L / lp(n),  lp(n) = ((5 + n) / 6)^α      (GNMT's length penalty, Wu et al. 2016; α = 0: score = L)
// with n the generated tokens, stop token included. The search ends when no beam is live, after maxNewTokens
// tokens (live beams then join the results, unfinished), or when beamWidth finished hypotheses all score at
// least what any live beam could reach (log-probabilities only fall as beams grow, so L_b / lp(maxNewTokens)
// bounds beam b's future scores): with beamWidth ≥ every hypothesis, the results are exactly the best ones.
import type { NetGraph } from "../nets/netGraph.js";
import { asTensor, Tensor, type TensorLike } from "../tensor/tensor.js";
import { checkInteger, checkNumber, checkOptionNames, describe, isRecord } from "../util/validate.js";
import { idsWithoutColumn, isSequenceList } from "../layers/applyInput.js";
import { checkIds, checkRoom, checkStopIds, outputKind, tokenDecoder, type GenerateOptions } from "./generate.js";

/** beamSearch's options: the start token (or prompt), the beam width, the length, the stop token, the length penalty and fixed inputs. */
export interface BeamSearchOptions {
  /** the token the output starts after (a seq2seq start token), or prompt ids */
  start: number | readonly number[];
  /** beams kept at each step (≥ 1; 1 is greedy decoding) */
  beamWidth: number;
  /** the most tokens to generate */
  maxNewTokens: number;
  /** the end token: a hypothesis that generates it is finished (it is left out of `tokens`) */
  stop?: number;
  /** GNMT's α ≥ 0: finished hypotheses rank by L / ((5 + n) / 6)^α; default 0 (no penalty: by log-probability) */
  lengthPenalty?: number;
  /** fixed inputs of a multi-input net by port, one example (a seq2seq net's source ids) */
  inputs?: GenerateOptions["inputs"];
}

/** One result of beamSearch. */
export interface Hypothesis {
  /** the generated tokens (without the stop token) */
  tokens: number[];
  /** log p of the generated tokens, stop token included, given the start (natural log) */
  logProbability: number;
  /** what the results are ranked by: logProbability / lp(n) */
  score: number;
  /** true when it ended with the stop token; false when maxNewTokens cut it */
  finished: boolean;
}

const OPTIONS = ["start", "beamWidth", "maxNewTokens", "stop", "lengthPenalty", "inputs"];

interface Beam { tokens: number[]; logp: number }

/**
 * The beamWidth best hypotheses after `start` (best first) by beam search over a net ending in logits or softmax
 * probabilities (see the file comment for the ranking and when it stops).
 * @example beamSearch(seq2seq, { inputs: { source: ids }, start: START, stop: END, beamWidth: 4, maxNewTokens: 20 })[0].tokens
 */
export function beamSearch(net: NetGraph, options: BeamSearchOptions): Hypothesis[] {
  const where = "beamSearch";
  checkOptionNames(options, OPTIONS, where);
  const K = checkInteger(options.beamWidth, where, "beamWidth");
  const maxNewTokens = checkInteger(options.maxNewTokens, where, "maxNewTokens");
  const alpha = options.lengthPenalty === undefined ? 0 : checkNumber(options.lengthPenalty, where, "lengthPenalty", { min: 0 });
  if (options.stop !== undefined && !(Number.isInteger(options.stop) && options.stop >= 0)) throw new Error(`${where}: stop must be a token id (a non-negative integer), got ${describe(options.stop)}`);
  const start = typeof options.start === "number" ? [options.start] : options.start;
  const prompt = checkIds(start, `${where}: start`);
  if (prompt.length === 0) throw new Error(`${where}: start is empty; give a start token or prompt ids`);
  checkRoom(net, prompt.length, maxNewTokens, where, options.inputs);
  const kind = outputKind(net);
  const score = (logp: number, n: number) => (alpha === 0 ? logp : logp / ((5 + n) / 6) ** alpha);
  // one example: ids [T] or the column [T, 1] (a rank-2 array is otherwise a batch [B, T] to the decoder)
  const inputs = options.inputs && isRecord(options.inputs) && !(options.inputs instanceof Tensor)
    ? Object.fromEntries(Object.entries(options.inputs).map(([p, v]) => [p, net.isIdInput(p) && !isSequenceList(v) ? idsWithoutColumn(asTensor(v as TensorLike, `${where}: inputs.${p}`)) : v]))
    : options.inputs;
  let decoder = tokenDecoder(net, 1, prompt.length + maxNewTokens, inputs, where,
    (batch) => `inputs must be one example (the decoder got ${batch} rows); search each source on its own`);
  const first = decoder.next(new Tensor(Float32Array.from(prompt), [prompt.length])) as Tensor; // [T, V]
  if (options.stop !== undefined) checkStopIds([[options.stop]], first.shape[1], where);
  let rows = [logProbabilities(first.data.subarray((prompt.length - 1) * first.shape[1]), kind)];
  let beams: Beam[] = [{ tokens: [], logp: 0 }];
  const results: Hypothesis[] = [];
  for (let step = 1; ; step++) {
    const candidates = beams.flatMap((beam, b) => Array.from(rows[b], (lp, token) => ({ b, token, logp: beam.logp + lp }))).filter((c) => c.logp > -Infinity);
    candidates.sort((x, y) => y.logp - x.logp || x.b - y.b || x.token - y.token);
    const next: { b: number; token: number; logp: number }[] = [];
    for (let rank = 0; rank < candidates.length && next.length < K; rank++) {
      const c = candidates[rank];
      if (c.token !== options.stop) next.push(c);
      else if (rank < K) results.push({ tokens: beams[c.b].tokens.slice(), logProbability: c.logp, score: score(c.logp, step), finished: true });
    }
    beams = next.map((c) => ({ tokens: [...beams[c.b].tokens, c.token], logp: c.logp }));
    if (step === maxNewTokens) {
      for (const beam of beams) results.push({ tokens: beam.tokens, logProbability: beam.logp, score: score(beam.logp, step), finished: false });
      break;
    }
    results.sort((x, y) => y.score - x.score);
    const reachable = beams.length === 0 ? -Infinity : score(beams[0].logp, maxNewTokens); // the best any live beam can still score
    if (beams.length === 0 || (results.length >= K && results[K - 1].score >= reachable)) break;
    decoder = decoder.select(next.map((c) => c.b));
    const y = decoder.next(new Tensor(Float32Array.from(next, (c) => c.token), [next.length, 1])) as Tensor; // [B, 1, V]
    const V = y.shape[2];
    rows = next.map((_, i) => logProbabilities(y.data.subarray(i * V, (i + 1) * V), kind));
  }
  return results.sort((x, y) => y.score - x.score).slice(0, K);
}

/** log p of every token from a row of logits (log-softmax, in float64) or of probabilities. */
function logProbabilities(row: Float32Array, kind: "logits" | "probabilities"): Float64Array {
  if (kind === "probabilities") return Float64Array.from(row, Math.log);
  let max = -Infinity;
  for (const z of row) max = Math.max(max, z);
  let total = 0;
  for (const z of row) total += Math.exp(z - max);
  const logTotal = max + Math.log(total);
  return Float64Array.from(row, (z) => z - logTotal);
}
