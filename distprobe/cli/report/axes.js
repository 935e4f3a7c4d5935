/** Shared axis maths and typography for the report charts. */
import { el, text } from './xml.js';
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
export function textWidth(s, fontSize = FONT) {
    return s.length * fontSize * 0.64;
}
/** A "nice" step (1, 2 or 5 times a power of ten) giving roughly `target` intervals over `span`. */
export function niceStep(span, target) {
    const raw = span / Math.max(1, target);
    const mag = 10 ** Math.floor(Math.log10(raw));
    const f = raw / mag;
    const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    return nice * mag;
}
/** Multiples of `step` inside [lo, hi] (inclusive, with float slack). */
export function ticksWithStep(lo, hi, step) {
    const first = Math.ceil(lo / step - 1e-9);
    const last = Math.floor(hi / step + 1e-9);
    const out = [];
    for (let i = first; i <= last; i++)
        out.push(i * step);
    return out;
}
/** Formats tick values with just enough decimals for the step; huge/tiny values use exponent form. */
export function tickFormatter(step, lo, hi) {
    const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    if (maxAbs >= 1e6 || decimals > 5)
        return (v) => (v === 0 ? '0' : v.toExponential(1));
    return (v) => {
        const s = v.toFixed(decimals);
        return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
    };
}
/**
 * Compact value label (3 significant digits) for colour bars and the like. Values that are
 * rounding noise relative to `scale` (e.g. the midpoint of [-1, 1]) print as 0.
 */
export function formatValue(v, scale = 0) {
    if (!Number.isFinite(v))
        return String(v);
    if (v === 0 || Math.abs(v) < Math.abs(scale) * 1e-6)
        return '0';
    const a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3)
        return v.toExponential(2);
    return String(Number(v.toPrecision(3)));
}
/** Extent of the finite values, or undefined if there are none. */
export function finiteExtent(values) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
        if (!Number.isFinite(v))
            continue;
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    return lo <= hi ? [lo, hi] : undefined;
}
/** Widens a degenerate range (lo === hi) so that it can be mapped onto pixels. */
export function widen([lo, hi]) {
    if (hi > lo)
        return [lo, hi];
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
}
/** Linear map from a data interval onto a pixel interval. */
export function linear(d0, d1, p0, p1) {
    const k = (p1 - p0) / (d1 - d0);
    return (v) => p0 + (v - d0) * k;
}
/** Shortens `s` with an ellipsis so that its estimated width stays within `maxWidth`. */
export function fitText(s, maxWidth, fontSize = FONT) {
    const maxChars = Math.max(1, Math.floor(maxWidth / (fontSize * 0.64)));
    return s.length <= maxChars ? s : `${s.slice(0, maxChars - 1)}…`;
}
/** Chart title centred over the whole picture (bold glyphs are ~10% wider, hence the 0.9). */
export function titleSvg(title, width) {
    return text(fitText(title, (width - 16) * 0.9, TITLE_FONT), { x: width / 2, y: 24, 'text-anchor': 'middle', 'font-size': TITLE_FONT, 'font-weight': 'bold' });
}
/** Axis label under the plot (x) or rotated along the left edge (y), shortened to fit `room` px. */
export function axisLabelSvg(label, kind, cx, cy, room) {
    const attrs = { x: cx, y: cy, 'text-anchor': 'middle', fill: '#222' };
    if (kind === 'y')
        attrs.transform = `rotate(-90 ${cx} ${cy})`;
    return text(fitText(label, room), attrs);
}
/** Opening tag of an SVG document with a white background. */
export function svgOpen(width, height) {
    return (`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
        ` font-family="${FONT_FAMILY}" font-size="${FONT}">` +
        el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
}
