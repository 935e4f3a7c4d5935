/**
 * Report pictures as plain strings: SVG charts and the HTML page that shows them.
 * Pure functions, no dependencies; the implementation is split over the sibling modules.
 */
export { lineChartSvg } from './lineChart.js';
export { heatmapSvg } from './heatmap.js';
export { reportHtml } from './html.js';
export { viridis } from './colormap.js';
export { escapeXml } from './xml.js';
