// The printed tables: GFLOP/s per workload and engine with ours ÷ peer in brackets (> 1: ours is faster),
// and training times with ours ÷ peer time (< 1: ours is faster). Ratios only within this run.
import { describe } from "../workloads.mjs";

const cell = (r) => (!r ? "" : r.status === "ok" ? r.gflops.toFixed(2) : r.status === "skipped" ? "skipped" : "–");

export function kernelTable(rows, threads) {
  const mine = rows.filter((r) => r.threads === threads);
  if (mine.length === 0) return "";
  const engines = [...new Set(["ours", ...mine.map((r) => r.engine)])].filter((e) => mine.some((r) => r.engine === e));
  const hasOurs = engines.includes("ours");
  // at more than one thread, ours is also compared with its own one-thread figure (the scaling)
  const scaling = threads > 1 && hasOurs;
  const workloads = [...new Set(mine.map(describe))];
  const lines = [[`${threads} thread${threads > 1 ? "s" : ""}: GFLOP/s`, ...engines.map((e) => (e === "ours" || !hasOurs ? e : `${e} (ours÷)`)), ...(scaling ? ["ours ÷ ours 1 thread"] : [])]];
  for (const w of workloads) {
    const byEngine = Object.fromEntries(mine.filter((r) => describe(r) === w).map((r) => [r.engine, r]));
    const ours = byEngine.ours;
    const ratio = (r) => (r?.status === "ok" && ours?.status === "ok" ? ` (${formatRatio(ours.gflops / r.gflops)}×)` : "");
    const line = [w, ...engines.map((e) => cell(byEngine[e]) + (e === "ours" ? "" : ratio(byEngine[e])))];
    if (scaling) line.push(ratio(rows.find((r) => r.threads === 1 && r.engine === "ours" && describe(r) === w)).trim());
    lines.push(line);
  }
  return format(lines);
}

/** A training row's label: its task, size and (the GPT step) thread count. */
export function trainingLabel(r) {
  if (r.task === "encoder-step") return `encoder step T=${r.t}`;
  if (r.task === "gpt-step") return `gpt step ${r.threads} thread${r.threads > 1 ? "s" : ""}`;
  return `vowels ${r.epochs} epochs`;
}

/** Training tasks every full run measures: a file without them (an older run) shows them as not measured. */
const EXPECTED_TRAINING = [{ task: "gpt-step", threads: 1 }, { task: "gpt-step", threads: 2 }];

export function trainingTable(rows) {
  if (rows.length === 0) return "";
  const lines = [["training", "engine", "time", "ours ÷ peer"]];
  for (const label of [...new Set(rows.map(trainingLabel))]) {
    const mine = rows.filter((r) => trainingLabel(r) === label);
    const ours = mine.find((r) => r.engine === "ours");
    // the GPT step at more than one thread: ours ÷ ours at one thread (< 1: the threads help)
    const one = ours?.threads > 1 ? rows.find((r) => r.task === ours.task && r.engine === "ours" && r.threads === 1 && r.status === "ok") : undefined;
    for (const r of mine) {
      const time = r.status !== "ok" ? `unavailable: ${r.reason}` : r.seconds !== undefined ? `${r.seconds.toFixed(2)} s` : `${r.medianMs.toFixed(1)} ms`;
      const ratio = r.engine === "ours" || r.status !== "ok" || ours?.status !== "ok" ? "" : formatRatio(seconds(ours) / seconds(r));
      lines.push([label, r.engine, time, r === ours && one && ours.status === "ok" ? `${formatRatio(seconds(ours) / seconds(one))} of 1 thread` : ratio]);
    }
  }
  for (const e of EXPECTED_TRAINING) if (!rows.some((r) => r.task === e.task && r.threads === e.threads)) lines.push([trainingLabel(e), "ours", "not measured", ""]);
  return format(lines);
}

/** The caveats of a run: unavailable engines, unsupported workloads, sizes skipped by the time cap. */
export function notesText(results) {
  const caveats = [
    ...results.engines.filter((e) => e.unavailable).map((e) => `${e.name} (${e.threads} thread${e.threads > 1 ? "s" : ""}) unavailable: ${e.unavailable}`),
    ...[...new Set(results.kernels.filter((r) => r.status === "unsupported").map((r) => `${r.engine}: ${r.reason}`))],
    ...Object.entries(groupBy(results.kernels.filter((r) => r.status === "skipped"), (r) => r.engine))
      .map(([engine, rows]) => `${engine} skipped (its smaller size predicts a run over the --max-run-seconds cap): ${rows.map((r) => `${describe(r)}${r.threads > 1 ? ` ${r.threads}t` : ""}`).join(", ")}`),
  ];
  return caveats.length ? `notes:\n  ${caveats.join("\n  ")}` : "";
}

/** The long-sequence memory check in one line. */
export function memoryText(m) {
  if (!m) return "";
  return m.status === "ok"
    ? `memory check: causal forward+backward T=${m.t}, one head, D=64 (${m.implementation}${m.threads > 1 ? `, ${m.threads} threads` : ""}): ${m.seconds.toFixed(2)} s, ${m.aboveBaselineMB.toFixed(1)} MB peak RSS above the same process at T=16`
    : `memory check T=${m.t}: ${m.status}: ${m.reason}`;
}

function groupBy(xs, key) {
  const out = {};
  for (const x of xs) (out[key(x)] ??= []).push(x);
  return out;
}

/** Two decimals, or two significant digits below 0.1 (so a small ratio never prints as 0.00). */
const formatRatio = (x) => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

export const seconds = (r) => r.seconds ?? r.medianMs / 1000;

function format(lines) {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => (l[c] ?? "").length)));
  return lines.map((l) => l.map((s, c) => (s ?? "").padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}
