// The example's HTML/SVG report, drawn with the application's chart primitives (app/report, built into dist/app):
// the training loss, the accuracies, and the alignment heatmaps of a few test inputs (Bahdanau et al.'s figure:
// the weight of each source character, column, in each output character, row).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { heatmapSvg, lineChartSvg, reportHtml } from "../../dist/app/report/svg.js";

/**
 * Writes index.html, loss.svg and alignment-<i>.svg into `dir`. `losses`: the mini-batch losses in order;
 * `epochLosses`: the mean per epoch; `alignments`: [{ source, output, weights [output steps][source characters] }].
 */
export function writeReport(dir, { losses, iterationsPerEpoch, epochLosses, summary, alignments }) {
  mkdirSync(dir, { recursive: true });
  const files = {};
  files["loss.svg"] = lineChartSvg({
    title: "Training loss (cross-entropy per character)", xLabel: "epoch", yLabel: "loss",
    series: [
      { name: "mini-batch", x: losses.map((_, i) => (i + 1) / iterationsPerEpoch), y: losses },
      { name: "epoch mean", x: epochLosses.map((_, i) => i + 1), y: epochLosses },
    ],
  });
  alignments.forEach(({ source, output, weights }, i) => {
    const rows = weights.length, cols = weights[0].length;
    files[`alignment-${i + 1}.svg`] = heatmapSvg({
      title: `"${source}" → "${output}"`, values: weights.flat(), rows, cols,
      xLabel: "source character", yLabel: "output character",
      colLabels: [...source].map(visible), rowLabels: [...output.padEnd(rows, "$")].slice(0, rows).map(visible),
      width: Math.max(480, 140 + 26 * cols), height: Math.max(300, 140 + 24 * rows),
    });
  });
  const figures = [
    { title: "Training loss", file: "loss.svg", caption: "Cross-entropy of the logits per output character, every mini-batch and each epoch's mean." },
    ...alignments.map((a, i) => ({
      title: `Alignment ${i + 1}`, file: `alignment-${i + 1}.svg`,
      caption: `Attention weights α of each output character (rows, "$" the end mark) over the source characters (columns), decoding "${a.source}" with the true previous characters.`,
    })),
  ];
  files["index.html"] = reportHtml({ title: "Date normalisation with attention (Bahdanau et al. 2015 in miniature)", summaryRows: summary, figures });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return Object.keys(files).map((f) => join(dir, f));
}

/** A blank shows as "␣" in the axis labels. */
const visible = (c) => (c === " " ? "␣" : c);
