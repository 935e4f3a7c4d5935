/** Heatmap (e.g. an attention matrix or a confusion matrix) as a standalone SVG string. */
import {
  FONT, LABEL_BAND, TICK_LEN, TITLE_BAND, axisLabelsSvg, finiteExtent, formatValue, linear, svgOpen, textWidth, titleSvg,
} from '../../charts/axes.js';
import { VIRIDIS_STOPS, viridis } from './colormap.js';
import { el, text } from '../../charts/xml.js';

export interface HeatmapOptions {
  title: string;
  /** Row-major `[rows, cols]`; row 0 is drawn at the top. Non-finite cells are drawn grey. */
  values: Float32Array | number[];
  rows: number;
  cols: number;
  xLabel: string;
  yLabel: string;
  /** Defaults to "0".."rows-1". */
  rowLabels?: string[];
  /** Defaults to "0".."cols-1". */
  colLabels?: string[];
  width?: number;
  height?: number;
}

const MISSING_COLOR = '#d0d0d0';
const BAR_GAP = 16;
const BAR_W = 14;
const LINE_H = FONT + 3; // vertical room one tick label needs

function checkLabels(labels: string[] | undefined, n: number, what: string): string[] {
  if (labels === undefined) return Array.from({ length: n }, (_, i) => String(i));
  if (labels.length !== n) throw new Error(`heatmapSvg: ${what} has ${labels.length} entries, expected ${n}`);
  return labels;
}

/** Show every `stride`-th label so that labels needing `room` px each fit along `length` px. */
function labelStride(count: number, room: number, length: number): number {
  return Math.max(1, Math.ceil((count * room) / Math.max(1, length)));
}

/**
 * Renders a heatmap. Layout, outside in:
 *   top:    title band;
 *   left:   rotated y label band, right-aligned row labels, tick marks;
 *   bottom: tick marks, column labels (horizontal, or vertical when they are wider than a cell), x label band;
 *   right:  colour bar (gap, bar, tick marks, min/mid/max values).
 * Cells fill the remaining plot rectangle exactly: cell size = plot size / (cols, rows).
 */
export function heatmapSvg(opts: HeatmapOptions): string {
  const { rows, cols, values } = opts;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new Error(`heatmapSvg: rows and cols must be positive integers, got ${rows} x ${cols}`);
  }
  if (values.length !== rows * cols) {
    throw new Error(`heatmapSvg: values has ${values.length} entries, expected rows*cols = ${rows * cols}`);
  }
  const rowLabels = checkLabels(opts.rowLabels, rows, 'rowLabels');
  const colLabels = checkLabels(opts.colLabels, cols, 'colLabels');
  const width = opts.width ?? 560;
  const height = opts.height ?? 480;

  const extent = finiteExtent(values);
  const [vmin, vmax] = extent ?? [0, 0];
  // Colour bar labels top to bottom; a constant matrix gets a single mid-scale colour and label.
  const barLabels = !extent ? ['no data'] : vmax > vmin ? [vmax, (vmin + vmax) / 2, vmin].map((v) => formatValue(v, vmax - vmin)) : [formatValue(vmin)];
  const barFill = !extent ? MISSING_COLOR : vmax > vmin ? 'url(#colour-bar)' : viridis(0.5);

  // Horizontal layout: fixed bands plus the widest row label on the left and colour bar labels on the right.
  const rowLabelW = Math.max(...rowLabels.map((s) => textWidth(s)));
  const left = LABEL_BAND + 6 + rowLabelW + 4 + TICK_LEN;
  const right = BAR_GAP + BAR_W + TICK_LEN + 4 + Math.max(...barLabels.map((s) => textWidth(s))) + 8;
  const plotW = Math.max(20, width - left - right);
  const cellW = plotW / cols;

  // Column labels go vertical when the widest one does not fit in a cell; that sets the bottom margin.
  const colLabelW = Math.max(...colLabels.map((s) => textWidth(s)));
  const vertical = colLabelW + 4 > cellW;
  const colLabelH = vertical ? colLabelW : FONT;
  const bottom = TICK_LEN + 4 + colLabelH + 8 + LABEL_BAND;
  const top = TITLE_BAND;
  const plotH = Math.max(20, height - top - bottom);
  const cellH = plotH / rows;
  const plotBottom = top + plotH;

  const parts: string[] = [svgOpen(width, height), titleSvg(opts.title, width)];

  // Cells, row 0 at the top. crispEdges avoids hairline seams between neighbouring cells.
  const span = vmax - vmin;
  const cells: string[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const fill = !Number.isFinite(v) ? MISSING_COLOR : viridis(span > 0 ? (v - vmin) / span : 0.5);
      cells.push(el('rect', { class: 'cell', x: left + c * cellW, y: top + r * cellH, width: cellW, height: cellH, fill }));
    }
  }
  parts.push(el('g', { 'shape-rendering': 'crispEdges' }, cells));
  parts.push(el('rect', { x: left, y: top, width: plotW, height: plotH, fill: 'none', stroke: '#444' }));

  // Row labels (thinned to every k-th when rows are denser than one text line).
  const ticks: string[] = [];
  const rowStride = labelStride(rows, LINE_H, plotH);
  for (let r = 0; r < rows; r += rowStride) {
    const y = top + (r + 0.5) * cellH;
    ticks.push(el('line', { x1: left - TICK_LEN, y1: y, x2: left, y2: y, stroke: '#444' }));
    ticks.push(text(rowLabels[r], { x: left - TICK_LEN - 4, y: y + FONT * 0.35, 'text-anchor': 'end', fill: '#333' }));
  }
  // Column labels: horizontal need their own width, vertical ones one text line.
  const colStride = labelStride(cols, vertical ? LINE_H : colLabelW + 4, plotW);
  for (let c = 0; c < cols; c += colStride) {
    const x = left + (c + 0.5) * cellW;
    const y = plotBottom + TICK_LEN + 4;
    ticks.push(el('line', { x1: x, y1: plotBottom, x2: x, y2: plotBottom + TICK_LEN, stroke: '#444' }));
    ticks.push(
      vertical
        ? // Rotating by -90 about (x, y) turns a +d shift of the baseline in y into +d on screen x,
          // so y + 0.35em centres the glyphs on the tick; 'end' anchoring makes the text run downwards.
          text(colLabels[c], { x, y: y + FONT * 0.35, transform: `rotate(-90 ${x} ${y})`, 'text-anchor': 'end', fill: '#333' })
        : text(colLabels[c], { x, y: y + FONT * 0.8, 'text-anchor': 'middle', fill: '#333' }),
    );
  }
  parts.push(el('g', { class: 'ticks' }, ticks));

  parts.push(...axisLabelsSvg(opts.xLabel, opts.yLabel, { left, top, width: plotW, height: plotH }, width, height));
  parts.push(colourBar(left + plotW + BAR_GAP, top, plotH, barLabels, barFill));
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Vertical colour bar: gradient from the min colour (bottom) to the max colour (top), labels spread
 * evenly from top to bottom (max, mid, min); a single label sits in the middle.
 */
function colourBar(x: number, top: number, h: number, labels: string[], fill: string): string {
  const stops = VIRIDIS_STOPS.map((color, i) =>
    el('stop', { offset: `${((i / (VIRIDIS_STOPS.length - 1)) * 100).toFixed(1)}%`, 'stop-color': color }),
  );
  const out = [
    el('defs', {}, el('linearGradient', { id: 'colour-bar', x1: 0, y1: 1, x2: 0, y2: 0 }, stops)),
    el('rect', { x, y: top, width: BAR_W, height: h, fill, stroke: '#444' }),
  ];
  const py = linear(0, labels.length - 1 || 1, top, top + h);
  labels.forEach((label, i) => {
    const y = labels.length > 1 ? py(i) : top + h / 2;
    out.push(el('line', { x1: x + BAR_W, y1: y, x2: x + BAR_W + TICK_LEN, y2: y, stroke: '#444' }));
    out.push(text(label, { x: x + BAR_W + TICK_LEN + 3, y: y + FONT * 0.35, fill: '#333' }));
  });
  return el('g', { class: 'colour-bar' }, out);
}
