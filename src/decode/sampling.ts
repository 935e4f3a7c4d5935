// Choosing the next token from a net's last output row: greedy (argmax), or a draw from
//   p_i ∝ exp(z_i / temperature)            z: logits, or log p for a net that ends in softmax probabilities
// restricted first to the topK largest z (ties with the K-th kept, as PyTorch's and Hugging Face's filters do),
// then to the nucleus: the fewest most-probable tokens whose probability sums to at least topP (always ≥ 1).
// The draw is one uniform number u from the seeded generator: the first token, in vocabulary order, whose
// cumulative kept probability exceeds u · (total kept), so the same seed gives the same tokens everywhere.
import { Random } from "../tensor/random.js";
import { checkInteger, checkNumber, checkOneOf, checkOptionNames, describe } from "../util/validate.js";

/** How sampleToken (and generation) chooses a token: temperature, top-k, top-p, and what the scores are. */
export interface SamplingOptions {
  /** 0 is greedy (argmax; the lowest index among ties); default 1 */
  temperature?: number;
  /** keep only the topK largest scores (default: all) */
  topK?: number;
  /** keep the smallest most-probable set whose probability reaches topP, in (0, 1] (default 1: all) */
  topP?: number;
  /** what the row holds: "logits" (any real scores) or "probabilities" (non-negative, e.g. softmax output) */
  input?: "logits" | "probabilities";
}

/** Checked options with their defaults. */
export interface Sampling {
  temperature: number;
  topK: number;
  topP: number;
  input: "logits" | "probabilities";
}

export const SAMPLING_OPTIONS = ["temperature", "topK", "topP", "input"] as const;

/**
 * Checks the sampling options among `options` (where: the calling function, for messages). Other names are left to
 * the caller, which checks all of its option names at once (`checkOptionNames`).
 */
export function checkSampling(options: Record<string, unknown> = {}, where: string): Sampling {
  const o = options;
  return {
    temperature: o.temperature === undefined ? 1 : checkNumber(o.temperature, where, "temperature", { min: 0 }),
    topK: o.topK === undefined ? Infinity : checkInteger(o.topK, where, "topK"),
    topP: o.topP === undefined ? 1 : checkNumber(o.topP, where, "topP", { min: 0, max: 1, minExclusive: true }),
    input: o.input === undefined ? "logits" : checkOneOf(o.input, ["logits", "probabilities"] as const, where, "input"),
  };
}

/** Index of the largest value (the lowest index among ties; NaN is never chosen unless every value is NaN). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best] || Number.isNaN(row[best])) best = i;
  return best;
}

/**
 * The next token for one row of scores: `sampleToken(logits, { temperature: 0.8, topK: 40 }, new Random(seed))`.
 * The generate loop does the same for every new position.
 */
export function sampleToken(row: ArrayLike<number>, options: SamplingOptions = {}, random: Random = new Random(0)): number {
  checkOptionNames(options, SAMPLING_OPTIONS, "sampleToken");
  if (!isArrayLike(row)) throw new Error(`sampleToken: row must be an array or typed array of scores, got ${describe(row)}`);
  if (!(random instanceof Random)) throw new Error(`sampleToken: random must be a Random (new Random(seed)) or undefined, got ${describe(random)}`);
  return drawToken(row, checkSampling(options as Record<string, unknown>, "sampleToken"), random, "sampleToken");
}

const isArrayLike = (v: unknown): v is ArrayLike<number> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** The next token for one row of checked scores (logits or probabilities, as `s.input` says). */
export function drawToken(row: ArrayLike<number>, s: Sampling, random: Random, where: string): number {
  const n = row.length;
  if (n === 0) throw new Error(`${where}: the net's output row is empty (no token to choose)`);
  const probabilities = s.input === "probabilities";
  for (let i = 0; i < n; i++) {
    const v = row[i];
    if (typeof v !== "number" || Number.isNaN(v) || (probabilities && v < 0) || v === Infinity) {
      throw new Error(`${where}: the net's output has ${describe(v)} at token ${i}; ${probabilities ? "probabilities must be finite and ≥ 0" : "logits must be finite or −Infinity"}`);
    }
  }
  if (s.temperature === 0 && !probabilities) return argmax(row); // greedy on logits: the scores as they are (a decoding step's every token)
  // scores z: logits, or log p (p = 0 → −∞, never drawn)
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = probabilities ? Math.log(row[i]) : row[i];
  if (s.temperature === 0) return argmax(z);
  // top-k: the K-th largest score is the threshold (ties with it are kept)
  let threshold = -Infinity;
  if (s.topK < n) threshold = Float64Array.from(z).sort((a, b) => b - a)[s.topK - 1];
  // softmax of z / temperature over the kept scores, shifted by the maximum
  const max = z[argmax(z)];
  if (max === -Infinity) throw new Error(`${where}: every token has probability 0`);
  const p = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += p[i] = z[i] >= threshold ? Math.exp((z[i] - max) / s.temperature) : 0;
  if (s.topP < 1) total = keepNucleus(p, total, s.topP);
  let u = random.uniform() * total;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] === 0) continue;
    last = i;
    if (u < p[i]) return i;
    u -= p[i];
  }
  return last; // rounding left u just past the last kept token
}

/** Zeroes every token outside the nucleus (the fewest most-probable tokens with mass ≥ topP·total); returns the kept mass. */
function keepNucleus(p: Float64Array, total: number, topP: number): number {
  const order = Array.from(p.keys()).filter((i) => p[i] > 0).sort((a, b) => p[b] - p[a] || a - b);
  let mass = 0, kept = 0;
  while (kept < order.length && (kept === 0 || mass < topP * total)) mass += p[order[kept++]];
  for (let j = kept; j < order.length; j++) p[order[j]] = 0;
  return mass;
}
