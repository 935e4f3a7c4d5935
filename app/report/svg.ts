/**
 * Report pictures as plain strings: SVG charts and the HTML page that shows them.
 * Pure functions, no dependencies; the implementation is split over the sibling modules.
 */
export { lineChartSvg, type LineChartOptions, type LineSeries } from './lineChart.js';
export { heatmapSvg, type HeatmapOptions } from './heatmap.js';
export { reportHtml, type ReportFigure, type ReportOptions } from './html.js';
export { viridis } from './colormap.js';
export { escapeXml } from '../../charts/xml.js';
