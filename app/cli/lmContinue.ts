// Continuing a text past the net's context (shared by the lm job and the browser demo's lm page; no Node
// imports). The net sees at most `context` positions, so the text is made in pieces: whenever the window is
// full, decoding restarts from the last half of the text so far, each piece drawing with the next seed of a
// Random seeded by `seed`.
import { Random } from "attention-layers";

/** One generate call of a continuation: continue `window` by `maxNewTokens` characters with seed `seed`. */
export interface ContinuationPiece { window: string; maxNewTokens: number; seed: number }

/**
 * The pieces of a continuation of `prompt` by `maxNewTokens` characters: yields each piece to generate and takes
 * back its text (next(text)); returns the new characters only. A prompt of `context` characters or more is cut to
 * its last context/2.
 */
export function* continuation(context: number, prompt: string, maxNewTokens: number, seed: number): Generator<ContinuationPiece, string, string> {
  const keep = Math.max(1, Math.floor(context / 2));
  const seeds = new Random(seed);
  let text = [...prompt], added = 0;
  if (text.length >= context) text = text.slice(-keep);
  let window = text.join("");
  while (added < maxNewTokens) {
    const n = Math.min(maxNewTokens - added, context + 1 - [...window].length); // generate feeds back all but the last new token
    const more = yield { window, maxNewTokens: n, seed: Math.floor(seeds.uniform() * 2 ** 32) };
    text = [...text, ...more];
    added += n;
    window = text.slice(-keep).join("");
  }
  return text.slice(text.length - added).join("");
}
