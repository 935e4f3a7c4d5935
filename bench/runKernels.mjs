// Runs attention and GEMM workloads on every loaded engine, interleaved per workload (so a noisy moment
// hits all engines alike), and turns median times into GFLOP/s. An engine whose previous, smaller size
// predicts more than maxRunSeconds per run is skipped at the larger size, with the prediction as reason.
import { measure } from "./measure.mjs";
import { describe, flops } from "./workloads.mjs";

export async function runKernels({ workloads, engines, threads, timing, maxRunSeconds, log }) {
  const results = [];
  const lastRate = new Map(); // engine + workload family → GFLOP/s at the last size measured
  for (const w of workloads) {
    for (const e of engines) {
      const row = { ...w, engine: e.name, threads };
      const family = `${e.name} ${w.suite} ${w.pass} ${w.causal} ${w.tq}`;
      const rate = lastRate.get(family);
      const predicted = rate ? flops(w) / (rate * 1e9) : 0;
      if (predicted > maxRunSeconds) {
        results.push({ ...row, status: "skipped", reason: `predicted ${predicted.toFixed(0)} s per run (cap ${maxRunSeconds} s, --max-run-seconds)` });
        continue;
      }
      try {
        const run = await (w.suite === "gemm" ? e.gemm(w.n) : e.attention(w));
        const m = await measure(run, timing);
        const gflops = flops(w) / (m.medianMs * 1e6);
        lastRate.set(family, gflops);
        results.push({ ...row, status: "ok", medianMs: round(m.medianMs, 3), runs: m.runs, gflops: round(gflops, 2) });
        log(`  ${describe(w).padEnd(24)} ${e.name.padEnd(9)} ${threads}t  ${gflops.toFixed(2).padStart(8)} GFLOP/s  (median of ${m.runs}, ${m.medianMs.toFixed(1)} ms)`);
      } catch (err) {
        results.push({ ...row, status: "unsupported", reason: firstLine(err) });
      }
    }
  }
  return results;
}

export const round = (x, digits) => Number(x.toFixed(digits));
export const firstLine = (err) => String(err?.message ?? err).split("\n")[0];
