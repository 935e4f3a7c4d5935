// What `npm run bench` measures, and the flop counts behind its GFLOP/s figures.
//   attention: 4·B·H·Tq·Tk·D per forward (two products of 2·Tq·Tk·D each), halved under a causal mask;
//              forward+backward counted as 3.5× forward (the convention of FlashAttention-2's paper)
//   decode:    attention forward of Tq new queries over Tk cached keys (causal "bottomRight": the queries are
//              the last positions), 4·B·H·Tq·Tk·D (not halved: at Tq = 1 the query sees every key)
//   gemm:      2·n³ for an n×n by n×n product

export const BH = 8;
export const D = 64;

export function attentionWorkloads(ts) {
  const out = [];
  for (const pass of ["forward", "forward+backward"]) {
    for (const causal of [false, true]) {
      for (const t of ts) out.push({ suite: "attention", pass, causal, t, bh: BH, d: D });
    }
  }
  return out;
}

/** Decoding's shape: Tq = 1 query against each of `tks` cached keys. */
export const decodeWorkloads = (tks) => tks.map((t) => ({ suite: "attention", pass: "forward", causal: "bottomRight", tq: 1, t, bh: BH, d: D }));

export const gemmWorkloads = (ns) => ns.map((n) => ({ suite: "gemm", n }));

export function flops(w) {
  if (w.suite === "gemm") return 2 * w.n ** 3;
  const forward = 4 * w.bh * (w.tq ?? w.t) * w.t * w.d * (w.causal === true ? 0.5 : 1);
  return w.pass === "forward" ? forward : 3.5 * forward;
}

export function describe(w) {
  if (w.suite === "gemm") return `gemm ${w.n}³`;
  if (w.tq !== undefined) return `decode Tq=${w.tq} Tk=${w.t}`;
  return `${w.pass === "forward" ? "fwd" : "fwd+bwd"} T=${w.t}${w.causal ? " causal" : ""}`;
}

/** Sizes for a full run and for --quick (a smoke run of well under a minute). */
export const SIZES = {
  full: { attention: [128, 512, 1024, 4096], decode: [1024, 4096], gemm: [256, 512, 1024], largeValuesT: 4096, memoryT: 16384, vowelsEpochs: 60, vowelsRepeats: 3, encoderT: 256, seq2seqInputs: 1000, seq2seqRounds: 3,
    decoding: { prompt: 64, newTokens: 256, repeats: 3 } },
  quick: { attention: [64, 256], decode: [1024], gemm: [256], largeValuesT: 512, memoryT: 1024, vowelsEpochs: 2, vowelsRepeats: 1, encoderT: 64, seq2seqInputs: 100, seq2seqRounds: 1,
    decoding: { prompt: 16, newTokens: 16, repeats: 1 } },
};
