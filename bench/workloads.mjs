// What `npm run bench` measures, and the flop counts behind its GFLOP/s figures.
//   attention: 4·B·H·Tq·Tk·D per forward (two products of 2·Tq·Tk·D each), halved under a causal mask;
//              forward+backward counted as 3.5× forward (the convention of FlashAttention-2's paper)
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

export const gemmWorkloads = (ns) => ns.map((n) => ({ suite: "gemm", n }));

export function flops(w) {
  if (w.suite === "gemm") return 2 * w.n ** 3;
  const forward = 4 * w.bh * w.t * w.t * w.d * (w.causal ? 0.5 : 1);
  return w.pass === "forward" ? forward : 3.5 * forward;
}

export function describe(w) {
  if (w.suite === "gemm") return `gemm ${w.n}³`;
  return `${w.pass === "forward" ? "fwd" : "fwd+bwd"} T=${w.t}${w.causal ? " causal" : ""}`;
}

/** Sizes for a full run and for --quick (a smoke run of well under a minute). */
export const SIZES = {
  full: { attention: [128, 512, 1024, 4096], gemm: [256, 512, 1024], largeValuesT: 4096, memoryT: 16384, vowelsEpochs: 60, vowelsRepeats: 3, encoderT: 256 },
  quick: { attention: [64, 256], gemm: [256], largeValuesT: 512, memoryT: 1024, vowelsEpochs: 2, vowelsRepeats: 1, encoderT: 64 },
};
