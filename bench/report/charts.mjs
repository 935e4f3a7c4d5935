// The SVG charts of docs/bench/: attention and GEMM (GFLOP/s per workload and engine) and training
// (speed relative to ours).
import { describe } from "../workloads.mjs";
import { barChartSvg } from "./barChart.mjs";
import { seconds } from "./tables.mjs";

const seriesName = (r) => (r.threads > 1 ? `${r.engine}, ${r.threads} threads` : r.engine);

function kernelChart(rows, title, note) {
  const ok = rows.filter((r) => r.status === "ok");
  if (ok.length === 0) return undefined;
  const series = [...new Set(ok.map(seriesName))];
  const labels = [...new Set(rows.map(describe))];
  const groups = labels.map((label) => ({
    label,
    values: Object.fromEntries(ok.filter((r) => describe(r) === label).map((r) => [seriesName(r), r.gflops])),
  }));
  return barChartSvg({ title, groups, series, unit: "GFLOP/s (higher is better)", note });
}

export function charts(results, note) {
  const out = {};
  const attention = kernelChart(results.kernels.filter((r) => r.suite === "attention"), "Attention, B·H = 8, D = 64 (fp32, CPU)", note);
  if (attention) out["attention.svg"] = attention;
  const gemm = kernelChart(results.kernels.filter((r) => r.suite === "gemm"), "Matrix product n×n·n×n (fp32, CPU)", note);
  if (gemm) out["gemm.svg"] = gemm;
  const training = results.training.filter((r) => r.status === "ok");
  if (training.length > 0) {
    const label = (r) => (r.task === "encoder-step" ? `encoder step T=${r.t}` : `vowels ${r.epochs} epochs`);
    const groups = [...new Set(training.map(label))].map((l) => {
      const rows = training.filter((r) => label(r) === l);
      const ours = rows.find((r) => r.engine === "ours");
      return { label: l, values: Object.fromEntries(rows.filter(() => ours).map((r) => [r.engine, seconds(ours) / seconds(r)])) };
    });
    out["training.svg"] = barChartSvg({ title: "Training speed relative to ours (1 thread)", groups, series: [...new Set(training.map((r) => r.engine))], unit: "our time ÷ its time (higher is faster; ours = 1)", note });
  }
  return out;
}
