// The SVG charts of docs/bench/: attention and GEMM (GFLOP/s per workload and engine) and training
// (speed relative to ours).
import { describe } from "../workloads.mjs";
import { barChartSvg } from "./barChart.mjs";
import { seconds, trainingLabel } from "./tables.mjs";

/** Legend names: ours carries its attention implementation; other thread counts are their own series. */
const namer = (implementation) => (r) => {
  const name = r.engine === "ours" ? `ours (${implementation})` : r.engine;
  return r.threads > 1 ? `${name}, ${r.threads} threads` : name;
};

/** Bars for measured figures, a "skipped" line for skipped ones, nothing for what an engine cannot do. */
function kernelChart(rows, title, name, notes) {
  const shown = rows.filter((r) => r.status === "ok" || r.status === "skipped");
  if (!shown.some((r) => r.status === "ok")) return undefined;
  const groups = [...new Set(shown.map(describe))].map((label) => ({
    label,
    values: Object.fromEntries(shown.filter((r) => describe(r) === label).map((r) => [name(r), r.status === "ok" ? r.gflops : null])),
  }));
  return barChartSvg({ title, groups, series: [...new Set(shown.map(name))], unit: "GFLOP/s (higher is better)", notes });
}

function trainingChart(rows, name, notes) {
  const ok = rows.filter((r) => r.status === "ok");
  const label = trainingLabel;
  const groups = [...new Set(ok.map(label))].flatMap((l) => {
    const mine = ok.filter((r) => label(r) === l);
    const ours = mine.find((r) => r.engine === "ours");
    return ours ? [{ label: l, values: Object.fromEntries(mine.map((r) => [name(r), seconds(ours) / seconds(r)])) }] : [];
  });
  if (groups.length === 0) return undefined;
  return barChartSvg({ title: "Training speed relative to ours (1 thread)", groups, series: [...new Set(ok.map(name))], unit: "our time ÷ its time (higher is faster; ours = 1)", notes });
}

/** { file name: SVG } for the suites that have figures. */
export function charts(results, notes) {
  const name = namer(results.ours.attentionImplementation);
  const svgs = {
    "attention.svg": kernelChart(results.kernels.filter((r) => r.suite === "attention"), "Attention, B·H = 8, D = 64 (fp32, CPU)", name, notes),
    "gemm.svg": kernelChart(results.kernels.filter((r) => r.suite === "gemm"), "Matrix product n×n · n×n (fp32, CPU)", name, notes),
    "training.svg": trainingChart(results.training, name, notes),
  };
  return Object.fromEntries(Object.entries(svgs).filter(([, svg]) => svg));
}
