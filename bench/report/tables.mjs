// The printed tables: GFLOP/s per workload and engine with ours ÷ peer in brackets (> 1: ours is faster),
// and training times with ours ÷ peer time (< 1: ours is faster). Ratios only within this run.
import { describe } from "../workloads.mjs";

const cell = (r) => (!r ? "" : r.status === "ok" ? r.gflops.toFixed(2) : r.status === "skipped" ? "skipped" : "–");

export function kernelTable(rows, threads) {
  const mine = rows.filter((r) => r.threads === threads);
  if (mine.length === 0) return "";
  const engines = [...new Set(["ours", ...mine.map((r) => r.engine)])].filter((e) => mine.some((r) => r.engine === e));
  const workloads = [...new Map(mine.map((r) => [describe(r), r])).keys()];
  const lines = [[`${threads} thread${threads > 1 ? "s" : ""}: GFLOP/s`, ...engines.map((e) => (e === "ours" || !engines.includes("ours") ? e : `${e} (ours÷)`))]];
  for (const w of workloads) {
    const byEngine = Object.fromEntries(mine.filter((r) => describe(r) === w).map((r) => [r.engine, r]));
    const ours = byEngine.ours;
    lines.push([w, ...engines.map((e) => {
      const r = byEngine[e];
      if (e === "ours" || !r || r.status !== "ok" || ours?.status !== "ok") return cell(r);
      return `${cell(r)} (${(ours.gflops / r.gflops).toFixed(2)}×)`;
    })]);
  }
  return format(lines);
}

export function trainingTable(rows) {
  if (rows.length === 0) return "";
  const lines = [["training", "engine", "time", "ours ÷ peer"]];
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    const mine = rows.filter((r) => r.task === task);
    const ours = mine.find((r) => r.engine === "ours");
    const label = task === "encoder-step" ? `encoder step T=${mine[0].t}` : `vowels ${mine[0].epochs} epochs`;
    for (const r of mine) {
      const time = r.status !== "ok" ? `unavailable: ${r.reason}` : r.seconds !== undefined ? `${r.seconds.toFixed(2)} s` : `${r.medianMs.toFixed(1)} ms`;
      const ratio = r.engine === "ours" || r.status !== "ok" || ours?.status !== "ok" ? "" : `${(seconds(ours) / seconds(r)).toFixed(2)}`;
      lines.push([label, r.engine, time, ratio]);
    }
  }
  return format(lines);
}

export const seconds = (r) => r.seconds ?? r.medianMs / 1000;

function format(lines) {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => (l[c] ?? "").length)));
  return lines.map((l) => l.map((s, c) => (s ?? "").padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}
