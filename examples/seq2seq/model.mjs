// Bahdanau et al. (2015) in miniature: a generated date-normalisation task ("March 5, 2021", "5 Mar 2021",
// "05/03/2021", "2021.3.5", … → "2021-03-05") and the attention model that learns it, as one netGraph with two
// inputs. Shared by examples/seq2seq/main.mjs, the bench (bench/training/seq2seq.mjs) and the tests.
//
//   source ids → embeddingLayer(Vs, 32) → bidirectional gruLayer(64) = annotations h_j        [Ts, 128]
//   previous ids (target shifted right behind "^") → embeddingLayer(Vt, 32) → gruLayer(64) = s′_i   [Tt, 64]
//   e_ij = wᵀ tanh(W₁ h_j + W₂ s′_i)   α_ij = softmax_j(e_ij)   c_i = Σ_j α_ij h_j     (sequenceAttentionLayer)
//   [s′_i; c_i] → gruLayer(64) → fullyConnectedLayer(Vt) = logits of target character i
//
// This is the conditional GRU of Nematus (Sennrich et al. 2017), the arrangement of Bahdanau's decoder that a
// net of sequence layers can express: the query of step i is s′_i, the state after reading the previous output
// y_{i−1}, where Bahdanau's decoder queries with s_{i−1} (its state before that read) and feeds [y_{i−1}; c_i]
// into one GRU. The GRUs use PyTorch's bias form (resetGateMode "recurrent-bias-after-multiplication"), so
// bench/python/seq2seq_step.py mirrors the model exactly with nn.GRU.
import {
  additionLayer, characterEncoder, concatenationLayer, embeddingLayer, fullyConnectedLayer, gruLayer, netGraph, Random,
  sequenceAttentionLayer, tanhLayer,
} from "attention-layers";

/** The model's sizes (the bench and the PyTorch peer read them from here). */
export const SIZES = { embedding: 32, hidden: 64, attention: 64 };

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const START = "^", END = "$";

/** Source characters: digits, the months' letters, separators; target: digits, "-", the end mark, the start mark. */
export const sourceCodes = characterEncoder({ characters: [...new Set(`0123456789 ,./-${MONTHS.join("")}stndrh`)].join("") });
export const targetCodes = characterEncoder({ characters: `0123456789-${END}${START}` });
export const START_ID = targetCodes.encode(START)[0];
export const END_ID = targetCodes.encode(END)[0];

const pad2 = (n) => String(n).padStart(2, "0");
const ordinal = (d) => `${d}${d % 10 === 1 && d !== 11 ? "st" : d % 10 === 2 && d !== 12 ? "nd" : d % 10 === 3 && d !== 13 ? "rd" : "th"}`;

/** The surface forms of a date (y, m 1-based, d). */
export const FORMS = [
  (y, m, d) => `${MONTHS[m - 1]} ${d}, ${y}`,
  (y, m, d) => `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`,
  (y, m, d) => `${pad2(d)}/${pad2(m)}/${y}`,
  (y, m, d) => `${y}.${m}.${d}`,
  (y, m, d) => `${MONTHS[m - 1].slice(0, 3)} ${d} ${y}`,
  (y, m, d) => `${ordinal(d)} ${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${pad2(d)}.${pad2(m)}.${y}`,
  (y, m, d) => `${y}${pad2(m)}${pad2(d)}`,
];

/** The normal form "YYYY-MM-DD". */
export const isoDate = (y, m, d) => `${y}-${pad2(m)}-${pad2(d)}`;
/** A well-formed date in the normal form (a real calendar day). */
export function isWellFormedDate(s) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return false;
  const [y, m, d] = match.slice(1).map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Seeded pairs { source, target, form } (form: the index in FORMS) of random days 1950–2049 in random forms: train and test drawn from one stream. */
export function makeData({ train = 10000, test = 1000, seed = 1 } = {}) {
  const random = new Random(seed);
  const pick = (n) => Math.min(n - 1, Math.floor(random.uniform() * n));
  const pair = () => {
    const y = 1950 + pick(100), m = 1 + pick(12), d = 1 + pick(daysIn(y, m)), form = pick(FORMS.length);
    return { source: FORMS[form](y, m, d), target: isoDate(y, m, d), form };
  };
  const pairs = Array.from({ length: train + test }, pair);
  return { train: pairs.slice(0, train), test: pairs.slice(train) };
}

/** A pair as the net's ports and targets: source ids, previous ids ["^", y₁ … y_n], target ids [y₁ … y_n, "$"]. */
export function encode({ source, target }) {
  const y = [...targetCodes.encode(target), END_ID];
  return { x: { source: sourceCodes.encode(source), previous: [START_ID, ...y.slice(0, -1)] }, y };
}

/** Target ids back to text, up to the end mark. */
export function decode(ids) {
  const end = ids.indexOf(END_ID);
  return targetCodes.decode(end < 0 ? ids : ids.slice(0, end));
}

/** Additive (Bahdanau) scoring e = wᵀ tanh(W₁·input + W₂·query), hidden size n, no biases. */
export function additiveScoring(n = SIZES.attention) {
  return netGraph({
    inputs: ["input", "query"],
    nodes: {
      keys: fullyConnectedLayer(n, { hasBias: false }), queries: fullyConnectedLayer(n, { hasBias: false }),
      sum: additionLayer(2), squash: tanhLayer(), score: fullyConnectedLayer(1, { hasBias: false }),
    },
    edges: [["input", "keys"], ["query", "queries"], ["keys", "sum/in1"], ["queries", "sum/in2"], ["sum", "squash"], ["squash", "score"]],
  });
}

/** The model (see the top of this file), initialized with `seed`. */
export function buildModel({ seed = 1 } = {}) {
  const { embedding: e, hidden: h } = SIZES;
  const gru = { resetGateMode: "recurrent-bias-after-multiplication" };
  return netGraph({
    inputs: ["source", "previous"],
    nodes: {
      sourceEmbedding: embeddingLayer(e, sourceCodes.size),
      encoder: gruLayer(h, { ...gru, bidirectional: true }),
      previousEmbedding: embeddingLayer(e, targetCodes.size),
      decoder: gruLayer(h, gru),
      attention: sequenceAttentionLayer(additiveScoring()),
      join: concatenationLayer(1, 2),
      output: gruLayer(h, gru),
      logits: fullyConnectedLayer(targetCodes.size),
    },
    edges: [
      ["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "previousEmbedding"], ["previousEmbedding", "decoder"],
      ["encoder", "attention/input"], ["decoder", "attention/query"], ["decoder", "join/in1"], ["attention", "join/in2"],
      ["join", "output"], ["output", "logits"],
    ],
  }).initialize({ seed });
}
