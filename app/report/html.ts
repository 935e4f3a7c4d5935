/** Self-contained HTML report page that embeds SVG figures by relative path. */
import { escapeXml } from '../../charts/xml.js';

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

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 960px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 16px; }
table.summary { border-collapse: collapse; margin-bottom: 24px; background: #fff; }
table.summary th, table.summary td { border: 1px solid #ddd; padding: 4px 12px; text-align: left; vertical-align: top; }
table.summary th { background: #f0f0f0; font-weight: 600; }
figure { margin: 0 0 28px; padding: 12px; background: #fff; border: 1px solid #e3e3e3; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { margin-top: 8px; font-size: 0.95em; }
figcaption .caption { color: #555; }
`.trim();

/** Escaped text for element content and quoted attribute values (same rules as XML). */
const h = escapeXml;

function summaryTable(rows: [string, string][]): string {
  if (rows.length === 0) return '';
  const body = rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${h(v)}</td></tr>`).join('\n');
  return `<table class="summary">\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function figureHtml(f: ReportFigure): string {
  const caption = f.caption ? ` <span class="caption">${h(f.caption)}</span>` : '';
  return [
    '<figure>',
    `<img src="${h(f.file)}" alt="${h(f.title)}">`,
    `<figcaption><strong>${h(f.title)}</strong>${caption}</figcaption>`,
    '</figure>',
  ].join('\n');
}

/** Builds the report page: title, summary table, then one figure per SVG file. */
export function reportHtml(opts: ReportOptions): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(opts.title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${h(opts.title)}</h1>`,
    summaryTable(opts.summaryRows),
    ...opts.figures.map(figureHtml),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
