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

const threadCount = (n) => `${n} thread${n > 1 ? "s" : ""}`;

/** The training tasks, each with its label (also the chart's). */
const TRAINING_TASKS = {
  "japanese-vowels": (r) => `vowels ${r.epochs} epochs`,
  "encoder-step": (r) => `encoder step T=${r.t}`,
  "gpt-step": (r) => `gpt step ${threadCount(r.threads)}`,
  "seq2seq-step": (r) => `seq2seq step batch ${r.batch}`,
  "seq2seq-greedy": (r) => `seq2seq greedy ${r.inputs} inputs`,
};
export const trainingLabel = (r) => TRAINING_TASKS[r.task]?.(r) ?? r.task;

/** The rows a full run measures, in table order: a run (or an older results.json) without one lists it as not measured. */
const EXPECTED_TRAINING = [
  { task: "japanese-vowels" }, { task: "encoder-step" }, { task: "gpt-step", threads: 1 }, { task: "gpt-step", threads: 2 },
  { task: "seq2seq-step" }, { task: "seq2seq-greedy" },
];
const isExpected = (r, e) => r.task === e.task && (e.threads === undefined || r.threads === e.threads);

/** Our time ÷ each peer's, per task; the GPT step at 2 threads also gives ours ÷ ours at 1 thread (< 1: the threads help). */
export function trainingTable(rows) {
  if (rows.length === 0) return "";
  const lines = [["training", "engine", "time", "ours ÷ peer"]];
  const groups = [
    ...EXPECTED_TRAINING.map((e) => ({ name: e.threads ? `${e.task} ${threadCount(e.threads)}` : e.task, rows: rows.filter((r) => isExpected(r, e)) })),
    ...[...new Set(rows.filter((r) => !EXPECTED_TRAINING.some((e) => isExpected(r, e))).map(trainingLabel))].map((name) => ({ name, rows: rows.filter((r) => trainingLabel(r) === name) })),
  ];
  for (const group of groups) {
    if (group.rows.length === 0) {
      lines.push([group.name, "", "not measured in this run", ""]);
      continue;
    }
    for (const label of new Set(group.rows.map(trainingLabel))) {
      const mine = group.rows.filter((r) => trainingLabel(r) === label);
      const ours = mine.find((r) => r.engine === "ours");
      const one = ours?.threads > 1 ? rows.find((r) => r.task === ours.task && r.engine === "ours" && r.threads === 1 && r.status === "ok") : undefined;
      for (const r of mine) {
        const time = r.status !== "ok" ? `unavailable: ${r.reason}` : r.seconds !== undefined ? `${r.seconds.toFixed(2)} s` : `${r.medianMs.toFixed(1)} ms`;
        const ratio = r.engine === "ours" || r.status !== "ok" || ours?.status !== "ok" ? "" : formatRatio(seconds(ours) / seconds(r));
        lines.push([label, r.engine, time, r === ours && one && ours.status === "ok" ? `${formatRatio(seconds(ours) / seconds(one))} of 1 thread` : ratio]);
      }
    }
  }
  return format(lines);
}

/**
 * Decoding tokens/s: ours cached at 1 and 2 threads, ours recomputing the whole prefix per token, PyTorch with its
 * own cache at 1 and 2 threads; ratios (> 1: ours is faster) against recomputation, PyTorch at the same thread
 * count, and our 1 thread. A results.json from before the decoding suite says it was not measured.
 */
export function decodingTable(rows) {
  if (rows === undefined) return "decoding: not measured in this run";
  if (rows.length === 0) return "";
  const w = rows[0];
  const find = (engine, threads, cache = true) => rows.find((r) => r.engine === engine && r.threads === threads && r.cache === cache);
  const ok = (r) => r?.status === "ok";
  const ratio = (a, b) => (ok(a) && ok(b) ? `${formatRatio(a.tokensPerSecond / b.tokensPerSecond)}×` : "");
  const lines = [[`decoding ${w.blocks} blocks, size ${w.modelSize}, ${w.heads} heads, vocabulary ${w.vocabulary}, prompt ${w.prompt}, ${w.newTokens} new tokens`,
    "tokens/s", "÷ recompute", "÷ pytorch", "÷ 1 thread"]];
  for (const r of rows) {
    const label = `${r.engine}${r.cache ? "" : " recomputing"}, ${r.threads} thread${r.threads > 1 ? "s" : ""}`;
    const mine = r.engine === "ours" && r.cache;
    lines.push([label, ok(r) ? r.tokensPerSecond.toFixed(1) : `unavailable: ${r.reason}`, mine ? ratio(r, find("ours", 1, false)) : "",
      mine ? ratio(r, find("pytorch", r.threads)) : "", r.cache && r.threads > 1 ? ratio(r, find(r.engine, 1)) : ""]);
  }
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
