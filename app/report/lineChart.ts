/** Line chart (e.g. loss / accuracy per epoch) as a standalone SVG string. */
import {
  FONT, LABEL_BAND, TICK_LEN, TITLE_BAND, axisLabelsSvg, finiteExtent, linear, niceStep, svgOpen,
  textWidth, tickFormatter, ticksWithStep, titleSvg, widen,
} from '../../charts/axes.js';
import { el, num, shorten, text } from '../../charts/xml.js';

export interface LineSeries {
  name: string;
  x: number[];
  y: number[];
  /** Any SVG colour; defaults to a colour-blind-friendly palette by series index. */
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Fixed y range; points outside are clipped. Default: the data range rounded out to nice ticks. */
  yRange?: [number, number];
  width?: number;
  height?: number;
}

/** Tableau 10 palette. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const LEGEND_SWATCH = 18;
const LEGEND_ROW = 18;
const MAX_LEGEND_CHARS = 28;

function seriesColor(s: LineSeries, i: number): string {
  return s.color ?? PALETTE[i % PALETTE.length];
}

/** Legend entries are cut to MAX_LEGEND_CHARS and to about a third of the picture width. */
function legendName(name: string, width: number): string {
  const maxChars = Math.max(4, Math.min(MAX_LEGEND_CHARS, Math.floor((width * 0.33 - 36) / (FONT * 0.64))));
  return shorten(name, maxChars);
}

/** Splits a series into runs of consecutive points whose x and y are both finite. */
function finiteRuns(s: LineSeries): [number, number][][] {
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  for (let i = 0; i < s.x.length; i++) {
    if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) {
      run.push([s.x[i], s.y[i]]);
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Y domain and tick step: the fixed range if given, else the data range rounded outwards to whole
 * steps (the step is chosen once, from the raw range, so the ticks land exactly on both ends).
 */
function yScale(points: number[], yRange: [number, number] | undefined, target: number): { lo: number; hi: number; step: number } {
  if (yRange) {
    if (!Number.isFinite(yRange[0]) || !Number.isFinite(yRange[1])) throw new Error('lineChartSvg: yRange must be finite');
    const [lo, hi] = widen([Math.min(...yRange), Math.max(...yRange)]);
    return { lo, hi, step: niceStep(hi - lo, target) };
  }
  const [lo, hi] = widen(finiteExtent(points) ?? [0, 1]);
  const step = niceStep(hi - lo, target);
  return { lo: Math.floor(lo / step + 1e-9) * step, hi: Math.ceil(hi / step - 1e-9) * step, step };
}

/** X tick step for about `target` intervals; whole numbers only when every x is an integer (epochs). */
function xStepFor(span: number, target: number, integral: boolean): number {
  const step = niceStep(span, target);
  return integral ? Math.max(1, step) : step;
}

/**
 * Renders a line chart. Layout, outside in:
 *   top:    title band;
 *   left:   rotated y label band, then right-aligned y tick labels, then tick marks;
 *   bottom: tick marks, x tick labels, x label band;
 *   right:  legend column (swatch + name per series), aligned with the top of the plot.
 * Non-finite points break a line into separate pieces; isolated points are drawn as dots.
 */
export function lineChartSvg(opts: LineChartOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  for (const s of opts.series) {
    if (s.x.length !== s.y.length) {
      throw new Error(`lineChartSvg: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`);
    }
  }
  const runs = opts.series.map(finiteRuns);
  const allPoints = runs.flat(2);
  const hasData = allPoints.length > 0;

  // Vertical layout first: it fixes the plot height, which sets how many y ticks fit (~1 per 45px).
  const top = TITLE_BAND;
  const bottom = TICK_LEN + 4 + FONT + 8 + LABEL_BAND;
  const plotH = Math.max(20, height - top - bottom);
  const yTarget = Math.max(2, Math.floor(plotH / 45));
  const { lo: y0, hi: y1, step: yStep } = yScale(allPoints.map((p) => p[1]), opts.yRange, yTarget);
  const yTicks = ticksWithStep(y0, y1, yStep);
  const yFmt = tickFormatter(yStep, y0, y1);
  const yTickLabels = yTicks.map(yFmt);

  // Horizontal layout: left margin fits the widest y tick label; right margin fits the legend.
  const left = LABEL_BAND + 6 + Math.max(...yTickLabels.map((s) => textWidth(s)), 0) + 4 + TICK_LEN;
  const legendW = opts.series.length > 0 ? 12 + LEGEND_SWATCH + 6 + Math.max(...opts.series.map((s) => textWidth(legendName(s.name, width)))) : 0;
  const xDom = widen(finiteExtent(allPoints.map((p) => p[0])) ?? [0, 1]);
  const integral = hasData && allPoints.every((p) => Number.isInteger(p[0]));
  const xEndLabelHalf = textWidth(tickFormatter(xStepFor(xDom[1] - xDom[0], 5, integral), ...xDom)(xDom[1])) / 2;
  const right = Math.max(legendW + 8, xEndLabelHalf + 4, 16);
  const plotW = Math.max(20, width - left - right);

  // X ticks: aim for ~1 per 70px, fewer if the labels would collide.
  let xTarget = Math.max(2, Math.floor(plotW / 70));
  let xStep = xStepFor(xDom[1] - xDom[0], xTarget, integral);
  let xFmt = tickFormatter(xStep, ...xDom);
  let xTicks = ticksWithStep(xDom[0], xDom[1], xStep);
  const widest = (): number => Math.max(...xTicks.map((v) => textWidth(xFmt(v))), 0);
  while (xTarget > 1 && xTicks.length > 1 && (widest() + 10) * xTicks.length > plotW) {
    xTarget--;
    xStep = xStepFor(xDom[1] - xDom[0], xTarget, integral);
    xFmt = tickFormatter(xStep, ...xDom);
    xTicks = ticksWithStep(xDom[0], xDom[1], xStep);
  }

  const px = linear(xDom[0], xDom[1], left, left + plotW);
  const py = linear(y0, y1, top + plotH, top); // SVG y grows downwards
  const plotBottom = top + plotH;

  const parts: string[] = [svgOpen(width, height), titleSvg(opts.title, width)];
  parts.push(
    el('defs', {}, el('clipPath', { id: 'plot-clip' }, el('rect', { x: left - 2, y: top - 2, width: plotW + 4, height: plotH + 4 }))),
  );

  // Grid lines, tick marks and tick labels.
  const grid: string[] = [];
  for (const [i, v] of yTicks.entries()) {
    const y = py(v);
    grid.push(el('line', { x1: left, y1: y, x2: left + plotW, y2: y, stroke: '#e5e5e5' }));
    grid.push(el('line', { x1: left - TICK_LEN, y1: y, x2: left, y2: y, stroke: '#444' }));
    grid.push(text(yTickLabels[i], { x: left - TICK_LEN - 4, y: y + FONT * 0.35, 'text-anchor': 'end', fill: '#333' }));
  }
  for (const v of xTicks) {
    const x = px(v);
    grid.push(el('line', { x1: x, y1: top, x2: x, y2: plotBottom, stroke: '#e5e5e5' }));
    grid.push(el('line', { x1: x, y1: plotBottom, x2: x, y2: plotBottom + TICK_LEN, stroke: '#444' }));
    grid.push(text(xFmt(v), { x, y: plotBottom + TICK_LEN + 4 + FONT * 0.8, 'text-anchor': 'middle', fill: '#333' }));
  }
  parts.push(el('g', { class: 'grid' }, grid));
  parts.push(el('rect', { x: left, y: top, width: plotW, height: plotH, fill: 'none', stroke: '#444' }));

  // Data: one polyline per finite run, a dot for single-point runs.
  const lines: string[] = [];
  runs.forEach((seriesRuns, i) => {
    const color = seriesColor(opts.series[i], i);
    for (const run of seriesRuns) {
      if (run.length === 1) {
        lines.push(el('circle', { cx: px(run[0][0]), cy: py(run[0][1]), r: 2.5, fill: color }));
      } else {
        const pts = run.map(([x, y]) => `${num(px(x))},${num(py(y))}`).join(' ');
        lines.push(el('polyline', { points: pts, fill: 'none', stroke: color, 'stroke-width': 1.8, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
      }
    }
  });
  parts.push(el('g', { class: 'series', 'clip-path': 'url(#plot-clip)' }, lines));
  if (!hasData) {
    parts.push(text('no data', { x: left + plotW / 2, y: top + plotH / 2, 'text-anchor': 'middle', fill: '#888' }));
  }

  parts.push(...axisLabelsSvg(opts.xLabel, opts.yLabel, { left, top, width: plotW, height: plotH }, width, height));

  // Legend: one row per series, starting level with the top of the plot; rows that would run
  // below the plot are summarised as "+k more".
  const maxRows = Math.max(1, Math.floor((plotH - 8) / LEGEND_ROW) + 1);
  const shown = opts.series.length > maxRows ? opts.series.slice(0, maxRows - 1) : opts.series;
  const legend = shown.map((s, i) => {
    const lx = left + plotW + 12;
    const ly = top + 8 + i * LEGEND_ROW;
    return (
      el('line', { x1: lx, y1: ly, x2: lx + LEGEND_SWATCH, y2: ly, stroke: seriesColor(s, i), 'stroke-width': 2.5 }) +
      text(legendName(s.name, width), { x: lx + LEGEND_SWATCH + 6, y: ly + FONT * 0.35, fill: '#222' })
    );
  });
  if (shown.length < opts.series.length) {
    const ly = top + 8 + shown.length * LEGEND_ROW;
    legend.push(text(`+${opts.series.length - shown.length} more`, { x: left + plotW + 12, y: ly + FONT * 0.35, fill: '#666' }));
  }
  if (legend.length > 0) parts.push(el('g', { class: 'legend' }, legend));

  parts.push('</svg>');
  return parts.join('\n');
}
