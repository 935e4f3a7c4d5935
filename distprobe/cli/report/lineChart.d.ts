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
/**
 * Renders a line chart. Layout, outside in:
 *   top:    title band;
 *   left:   rotated y label band, then right-aligned y tick labels, then tick marks;
 *   bottom: tick marks, x tick labels, x label band;
 *   right:  legend column (swatch + name per series), aligned with the top of the plot.
 * Non-finite points break a line into separate pieces; isolated points are drawn as dots.
 */
export declare function lineChartSvg(opts: LineChartOptions): string;
