// Horizontal grouped bar chart as a standalone SVG string, built with the SVG helpers of charts/
// (dist/charts, shared with the main job's report). One group per workload, one bar per series (engine), the value printed at each bar.
import { FONT, TITLE_BAND, linear, niceStep, svgOpen, textWidth, tickFormatter, ticksWithStep, titleSvg } from "../../dist/charts/axes.js";
import { el, text } from "../../dist/charts/xml.js";

const PALETTE = ["#e15759", "#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f"];
const BAR = 11, BAR_GAP = 2, GROUP_GAP = 12, LEGEND_ROW = 18;

/**
 * groups: [{ label, values: { [series]: number | null } }], null marking a figure that was skipped (a series
 * absent from a group gets no row there); series: names in legend order, which fixes their colours;
 * unit: axis label; notes: lines of small print under the axis.
 */
export function barChartSvg({ title, groups, series, unit, notes = [], width = 760 }) {
  const labelWidth = Math.max(...groups.map((g) => textWidth(g.label)), 60) + 16;
  const valueRoom = 56;
  const left = labelWidth, right = width - valueRoom;
  const legendRows = Math.ceil(series.length / 3);
  const top = TITLE_BAND + legendRows * LEGEND_ROW + 8;
  const rowsOf = (g) => series.filter((s) => s in g.values);
  const groupTops = [];
  let plotHeight = 0;
  for (const g of groups) {
    groupTops.push(plotHeight);
    plotHeight += rowsOf(g).length * (BAR + BAR_GAP) + GROUP_GAP;
  }
  const height = top + plotHeight + 46 + notes.length * 13;
  const max = Math.max(1e-9, ...groups.flatMap((g) => Object.values(g.values).map((v) => v ?? 0)));
  const step = niceStep(max, 6);
  const hi = Math.ceil(max / step - 1e-9) * step;
  const x = linear(0, hi, left, right);
  const format = tickFormatter(step, 0, hi);
  const color = (i) => PALETTE[i % PALETTE.length];

  const parts = [svgOpen(width, height), titleSvg(title, width)];
  series.forEach((s, i) => {
    const lx = 16 + (i % 3) * ((width - 32) / 3), ly = TITLE_BAND + Math.floor(i / 3) * LEGEND_ROW;
    parts.push(el("rect", { x: lx, y: ly, width: 12, height: 12, fill: color(i) }), text(s, { x: lx + 18, y: ly + 10 }));
  });
  for (const v of ticksWithStep(0, hi, step)) {
    parts.push(el("line", { x1: x(v), x2: x(v), y1: top - 4, y2: top + plotHeight, stroke: "#e4e4e4" }));
    parts.push(text(format(v), { x: x(v), y: top + plotHeight + 16, "text-anchor": "middle", fill: "#444" }));
  }
  groups.forEach((g, gi) => {
    const gy = top + groupTops[gi];
    const rows = rowsOf(g);
    parts.push(text(g.label, { x: left - 8, y: gy + (rows.length * (BAR + BAR_GAP)) / 2 + FONT / 3, "text-anchor": "end" }));
    rows.forEach((s, ri) => {
      const value = g.values[s];
      const by = gy + ri * (BAR + BAR_GAP);
      if (value === null) {
        parts.push(text(`${s}: skipped`, { x: left + 4, y: by + BAR - 1, "font-size": 10, fill: "#999" }));
        return;
      }
      parts.push(el("rect", { x: left, y: by, width: Math.max(0.5, x(value) - left), height: BAR, fill: color(series.indexOf(s)) }));
      parts.push(text(value >= 10 ? value.toFixed(0) : value.toFixed(1), { x: x(value) + 4, y: by + BAR - 1, "font-size": 10, fill: "#333" }));
    });
  });
  parts.push(el("line", { x1: left, x2: left, y1: top - 4, y2: top + plotHeight, stroke: "#444" }));
  parts.push(text(unit, { x: (left + right) / 2, y: top + plotHeight + 34, "text-anchor": "middle", fill: "#222" }));
  notes.forEach((line, i) => parts.push(text(line, { x: 16, y: top + plotHeight + 52 + i * 13, "font-size": 10, fill: "#666" })));
  parts.push("</svg>");
  return parts.join("");
}
