export interface ReportFigure {
    title: string;
    /** Path of the image relative to the HTML file, e.g. "loss.svg". */
    file: string;
    caption?: string;
}
export interface ReportOptions {
    title: string;
    /** Two-column key/value table shown at the top. */
    summaryRows: [string, string][];
    figures: ReportFigure[];
}
/** Builds the report page: title, summary table, then one figure per SVG file. */
export declare function reportHtml(opts: ReportOptions): string;
