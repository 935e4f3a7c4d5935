/** Shared axis maths and typography for the report charts. */
import { el, shorten, text, type Attrs } from './xml.js';

export const FONT = 12;
export const TITLE_FONT = 15;
export const FONT_FAMILY = 'DejaVu Sans, Helvetica, Arial, sans-serif';
/** Height of the title band at the top of every chart (baseline at 24px). */
export const TITLE_BAND = 38;
/** Width/height of the band holding a rotated y-axis label or the x-axis label. */
export const LABEL_BAND = 22;
export const TICK_LEN = 5;

/**
 * Conservative width estimate of a string: 0.64 em per character. DejaVu Sans (the usual fallback
 * on Linux) has 0.636 em digits and is wider than Helvetica/Arial, so labels get slack rather than clipping.
 */
export function textWidth(s: string, fontSize = FONT): number {
  return s.length * fontSize * 0.64;
}

/** A "nice" step (1, 2 or 5 times a power of ten) giving roughly `target` intervals over `span`. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * mag;
}

/** Multiples of `step` inside [lo, hi] (inclusive, with float slack). */
export function ticksWithStep(lo: number, hi: number, step: number): number[] {
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i * step);
  return out;
}

/** Formats tick values with just enough decimals for the step; huge/tiny values use exponent form. */
export function tickFormatter(step: number, lo: number, hi: number): (v: number) => string {
  const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (maxAbs >= 1e6 || decimals > 5) return (v) => (v === 0 ? '0' : v.toExponential(1));
  return (v) => {
    const s = v.toFixed(decimals);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  };
}

/**
 * Compact value label (3 significant digits) for colour bars and the like. Values that are
 * rounding noise relative to `scale` (e.g. the midpoint of [-1, 1]) print as 0.
 */
export function formatValue(v: number, scale = 0): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0 || Math.abs(v) < Math.abs(scale) * 1e-6) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** Extent of the finite values, or undefined if there are none. */
export function finiteExtent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Widens a degenerate range (lo === hi) so that it can be mapped onto pixels. */
export function widen([lo, hi]: [number, number]): [number, number] {
  if (hi > lo) return [lo, hi];
  const pad = Math.abs(lo) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** Linear map from a data interval onto a pixel interval. */
export function linear(d0: number, d1: number, p0: number, p1: number): (v: number) => number {
  const k = (p1 - p0) / (d1 - d0);
  return (v) => p0 + (v - d0) * k;
}

/** Shortens `s` with an ellipsis so that its estimated width stays within `maxWidth`. */
export function fitText(s: string, maxWidth: number, fontSize = FONT): string {
  const maxChars = Math.max(1, Math.floor(maxWidth / (fontSize * 0.64)));
  return shorten(s, maxChars);
}

/** Chart title centred over the whole picture (bold glyphs are ~10% wider, hence the 0.9). */
export function titleSvg(title: string, width: number): string {
  return text(fitText(title, (width - 16) * 0.9, TITLE_FONT), { x: width / 2, y: 24, 'text-anchor': 'middle', 'font-size': TITLE_FONT, 'font-weight': 'bold' });
}

/** Axis label under the plot (x) or rotated along the left edge (y), shortened to fit `room` px. */
function axisLabelSvg(label: string, kind: 'x' | 'y', cx: number, cy: number, room: number): string {
  const attrs: Attrs = { x: cx, y: cy, 'text-anchor': 'middle', fill: '#222' };
  if (kind === 'y') attrs.transform = `rotate(-90 ${cx} ${cy})`;
  return text(fitText(label, room), attrs);
}

/** Both axis labels, centred on the plot; each may take twice the distance from the plot's centre to the nearer picture edge. */
export function axisLabelsSvg(xLabel: string, yLabel: string, plot: { left: number; top: number; width: number; height: number }, width: number, height: number): string[] {
  const cx = plot.left + plot.width / 2;
  const cy = plot.top + plot.height / 2;
  return [axisLabelSvg(xLabel, 'x', cx, height - 8, 2 * Math.min(cx, width - cx) - 16), axisLabelSvg(yLabel, 'y', 14, cy, 2 * Math.min(cy, height - cy) - 16)];
}

/** Opening tag of an SVG document with a white background. */
export function svgOpen(width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` font-family="${FONT_FAMILY}" font-size="${FONT}">` +
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' })
  );
}
