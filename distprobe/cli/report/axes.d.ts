export declare const FONT = 12;
export declare const TITLE_FONT = 15;
export declare const FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";
/** Height of the title band at the top of every chart (baseline at 24px). */
export declare const TITLE_BAND = 38;
/** Width/height of the band holding a rotated y-axis label or the x-axis label. */
export declare const LABEL_BAND = 22;
export declare const TICK_LEN = 5;
/**
 * Conservative width estimate of a string: 0.64 em per character. DejaVu Sans (the usual fallback
 * on Linux) has 0.636 em digits and is wider than Helvetica/Arial, so labels get slack rather than clipping.
 */
export declare function textWidth(s: string, fontSize?: number): number;
/** A "nice" step (1, 2 or 5 times a power of ten) giving roughly `target` intervals over `span`. */
export declare function niceStep(span: number, target: number): number;
/** Multiples of `step` inside [lo, hi] (inclusive, with float slack). */
export declare function ticksWithStep(lo: number, hi: number, step: number): number[];
/** Formats tick values with just enough decimals for the step; huge/tiny values use exponent form. */
export declare function tickFormatter(step: number, lo: number, hi: number): (v: number) => string;
/**
 * Compact value label (3 significant digits) for colour bars and the like. Values that are
 * rounding noise relative to `scale` (e.g. the midpoint of [-1, 1]) print as 0.
 */
export declare function formatValue(v: number, scale?: number): string;
/** Extent of the finite values, or undefined if there are none. */
export declare function finiteExtent(values: Iterable<number>): [number, number] | undefined;
/** Widens a degenerate range (lo === hi) so that it can be mapped onto pixels. */
export declare function widen([lo, hi]: [number, number]): [number, number];
/** Linear map from a data interval onto a pixel interval. */
export declare function linear(d0: number, d1: number, p0: number, p1: number): (v: number) => number;
/** Shortens `s` with an ellipsis so that its estimated width stays within `maxWidth`. */
export declare function fitText(s: string, maxWidth: number, fontSize?: number): string;
/** Chart title centred over the whole picture (bold glyphs are ~10% wider, hence the 0.9). */
export declare function titleSvg(title: string, width: number): string;
/** Axis label under the plot (x) or rotated along the left edge (y), shortened to fit `room` px. */
export declare function axisLabelSvg(label: string, kind: 'x' | 'y', cx: number, cy: number, room: number): string;
/** Opening tag of an SVG document with a white background. */
export declare function svgOpen(width: number, height: number): string;
