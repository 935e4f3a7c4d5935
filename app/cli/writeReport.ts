// The report folder of the main job: loss and accuracy curves, attention heatmaps of a few test
// utterances, a confusion matrix, all as SVG with labelled axes, and index.html showing them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TrainingHistory } from "attention-layers";
import { heatmapSvg, lineChartSvg, reportHtml } from "../report/svg.js";

export interface AttentionExample {
  index: number;
  label: string;
  predicted: string;
  length: number;
  /** attention weights averaged over heads, [T, T] row-major (query rows, key columns) */
  weights: Float32Array;
  heads: number;
}

export interface ReportInput {
  dir: string;
  title: string;
  summary: [string, string][];
  history: TrainingHistory;
  confusion: { counts: number[]; classNames: string[] };
  attention: AttentionExample[];
}

/** The report's files besides attention-<n>.svg (one per example). */
export const REPORT_FILES = { html: "index.html", loss: "loss.svg", accuracy: "accuracy.svg", confusion: "confusion.svg" } as const;

export function writeReport(r: ReportInput): string {
  mkdirSync(r.dir, { recursive: true });
  const figures: { title: string; file: string; caption?: string }[] = [];
  const put = (file: string, svg: string, title: string, caption?: string) => {
    writeFileSync(join(r.dir, file), svg);
    figures.push({ title, file, caption });
  };
  const epochs = r.history.epoch;
  put(REPORT_FILES.loss, lineChartSvg({
    title: "Cross-entropy loss per epoch", xLabel: "epoch", yLabel: "loss",
    series: [{ name: "training", x: epochs, y: r.history.loss }, { name: "test", x: epochs, y: r.history.validationLoss }],
  }), "Loss", "Training loss is the mean over the epoch's mini-batches (with dropout, if any); test loss is measured after the epoch.");
  put(REPORT_FILES.accuracy, lineChartSvg({
    title: "Accuracy per epoch", xLabel: "epoch", yLabel: "accuracy", yRange: [0, 1],
    series: [{ name: "training", x: epochs, y: r.history.accuracy }, { name: "test", x: epochs, y: r.history.validationAccuracy }],
  }), "Accuracy", "The test split is only watched, never used to choose anything.");
  const k = r.confusion.classNames.length;
  put(REPORT_FILES.confusion, heatmapSvg({
    title: "Test confusion matrix (counts)", values: r.confusion.counts, rows: k, cols: k,
    xLabel: "predicted speaker", yLabel: "true speaker", rowLabels: r.confusion.classNames, colLabels: r.confusion.classNames,
  }), "Confusion matrix");
  for (const a of r.attention) {
    const steps = Array.from({ length: a.length }, (_, t) => String(t + 1));
    put(`attention-${a.index + 1}.svg`, heatmapSvg({
      title: `Test utterance ${a.index + 1}: speaker ${a.label}, predicted ${a.predicted}`,
      values: a.weights, rows: a.length, cols: a.length, xLabel: "key time step", yLabel: "query time step",
      rowLabels: steps, colLabels: steps,
    }), `Attention weights, test utterance ${a.index + 1}`, `Self-attention weights averaged over the ${a.heads} heads; each row sums to 1.`);
  }
  const html = join(r.dir, REPORT_FILES.html);
  writeFileSync(html, reportHtml({ title: r.title, summaryRows: r.summary, figures }));
  return html;
}
