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
/**
 * Renders a heatmap. Layout, outside in:
 *   top:    title band;
 *   left:   rotated y label band, right-aligned row labels, tick marks;
 *   bottom: tick marks, column labels (horizontal, or vertical when they are wider than a cell), x label band;
 *   right:  colour bar (gap, bar, tick marks, min/mid/max values).
 * Cells fill the remaining plot rectangle exactly: cell size = plot size / (cols, rows).
 */
export declare function heatmapSvg(opts: HeatmapOptions): string;
