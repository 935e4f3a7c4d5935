// Reading the trained model: teacher-forced predictions, the attention weights (the paper's alignment figure),
// and greedy / beam-search decoding through the library's step API for multi-input nets.
import { beamSearch, predict, Tensor } from "attention-layers";
import { END_ID, START_ID, decode, encode, sourceCodes } from "./model.mjs";

/** Output steps: the 10 characters of "YYYY-MM-DD" and the end mark. */
export const STEPS = 11;

/** Index of the largest entry of each row. */
const argmaxRow = (row) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

/**
 * Teacher-forced predictions: the decoder reads the true previous characters, each step's argmax is taken;
 * `exact` counts the pairs whose every character (end mark included) is right.
 */
export function teacherForced(net, pairs) {
  const encoded = pairs.map(encode);
  const logits = predict(net, encoded.map((e) => e.x));
  const outputs = logits.map((steps) => steps.map(argmaxRow));
  const exact = outputs.filter((ids, i) => ids.every((id, t) => id === encoded[i].y[t])).length;
  return { outputs: outputs.map(decode), exactMatch: exact / pairs.length };
}

/** The attention weights α [target step, source character] of each pair (teacher-forced), as the net's predict returns them. */
export function alignments(net, pairs) {
  return net.predict(pairs.map((pair) => encode(pair).x), { returnWeights: true }).map((r) => r.weights.attention);
}

/**
 * Greedy decoding of `sources` (strings) in batches through the step API: startDecoding runs the encoder once per
 * batch (the source is a fixed input), then each next() reads every row's previous character and gives its logits.
 */
export function greedyDecode(net, sources, { batch = 100 } = {}) {
  const out = [];
  for (let i = 0; i < sources.length; i += batch) {
    const chunk = sources.slice(i, i + batch);
    const decoder = net.startDecoding({ inputs: { source: chunk.map((s) => sourceCodes.encode(s)) } });
    let previous = new Tensor(new Float32Array(chunk.length).fill(START_ID), [chunk.length, 1]);
    const ids = chunk.map(() => []);
    for (let t = 0; t < STEPS; t++) {
      const logits = decoder.next(previous); // [B, 1, Vt]
      const V = logits.shape[2];
      previous = new Tensor(Float32Array.from(chunk, (_, b) => argmaxRow(logits.data.subarray(b * V, (b + 1) * V))), [chunk.length, 1]);
      previous.data.forEach((id, b) => ids[b].push(id));
    }
    out.push(...ids.map(decode));
  }
  return out;
}

/** Beam-search decoding (the library's beamSearch, width `beamWidth`) of each source: the best hypothesis's text. */
export function beamDecode(net, sources, { beamWidth = 4 } = {}) {
  return sources.map((s) => {
    const [best] = beamSearch(net, { inputs: { source: sourceCodes.encode(s) }, start: START_ID, stop: END_ID, beamWidth, maxNewTokens: STEPS });
    return decode(best.tokens);
  });
}
