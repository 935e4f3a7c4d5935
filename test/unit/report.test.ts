import { describe, expect, it } from 'vitest';
import { escapeXml, heatmapSvg, lineChartSvg, reportHtml, viridis } from '../../app/report/svg.js';

/**
 * Minimal well-formedness check: every start tag is closed in order (self-closing tags count as
 * both), no stray `<` or `&` in text, and exactly one root element. Returns the tag names seen.
 */
function checkBalanced(markup: string, voidTags: string[] = []): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  const tagRe = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!DOCTYPE[^>]*>/g;
  let last = 0;
  let roots = 0;
  for (const m of markup.matchAll(tagRe)) {
    const between = markup.slice(last, m.index);
    expect(between, `stray markup before offset ${m.index}`).not.toMatch(/<|&(?!(amp|lt|gt|quot|#39);)/);
    last = m.index + m[0].length;
    if (m[0].startsWith('<!')) continue;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
    } else {
      if (stack.length === 0) roots++;
      seen.push(name);
      if (!selfClosing && !voidTags.includes(name)) stack.push(name);
    }
  }
  expect(markup.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  return seen;
}

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

describe('escapeXml', () => {
  it('escapes markup characters and drops characters illegal in XML', () => {
    expect(escapeXml(`a<b & "c" 'd'>\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
  });
});

describe('lineChartSvg', () => {
  const svg = lineChartSvg({
    title: 'Loss <train & test>',
    xLabel: 'epoch "n"',
    yLabel: "loss 'CE'",
    series: [
      { name: 'train <a>', x: [1, 2, 3, 4, 5], y: [2, 1.5, NaN, 0.7, 0.5] },
      { name: 'test', x: [1, 2, 3], y: [2.2, 1.8, 1.6], color: '#123456' },
    ],
  });

  it('is a balanced SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const tags = checkBalanced(svg);
    expect(tags[0]).toBe('svg');
  });

  it('shows escaped title, axis labels and legend entries', () => {
    expect(svg).toContain('>Loss &lt;train &amp; test&gt;</text>');
    expect(svg).toContain('>epoch &quot;n&quot;</text>');
    expect(svg).toContain('>loss &#39;CE&#39;</text>');
    expect(svg).toContain('>train &lt;a&gt;</text>');
    expect(svg).toContain('>test</text>');
    expect(svg).not.toContain('<train');
  });

  it('breaks lines at NaN and draws tick labels', () => {
    // Series 1 splits into [1,2] and [4,5]; series 2 is one run.
    expect(count(svg, /<polyline /g)).toBe(3);
    expect(svg).toContain('stroke="#123456"');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('puts evenly spaced y ticks covering the data and whole-number x ticks for integer x', () => {
    const grid = svg.slice(svg.indexOf('<g class="grid">'), svg.indexOf('</g>'));
    const yTicks = [...grid.matchAll(/text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((m) => Number(m[1]));
    const xTicks = [...grid.matchAll(/text-anchor="middle"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    // y data span 0.5..2.2: the ticks must reach both ends, with one constant step.
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    expect(yTicks[0]).toBeLessThanOrEqual(0.5);
    expect(yTicks[yTicks.length - 1]).toBeGreaterThanOrEqual(2.2 - 1e-9);
    const steps = yTicks.slice(1).map((v, i) => v - yTicks[i]);
    for (const d of steps) expect(d).toBeCloseTo(steps[0], 9);
    expect(xTicks).toEqual(['1', '2', '3', '4', '5']);
  });

  it('handles empty input, all-NaN series and fixed y ranges without NaN coordinates', () => {
    for (const s of [
      lineChartSvg({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [] }),
      lineChartSvg({ title: 'nan', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [1, 2], y: [NaN, NaN] }, { name: 'b', x: [], y: [] }] }),
      lineChartSvg({ title: 'flat', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [3], y: [7] }], yRange: [0, 1] }),
    ]) {
      checkBalanced(s);
      expect(s).not.toMatch(/NaN|Infinity/);
    }
    const empty = lineChartSvg({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [] });
    expect(empty).toContain('>no data</text>');
    const dot = lineChartSvg({ title: 'flat', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [3], y: [7] }], yRange: [0, 1] });
    expect(count(dot, /<circle /g)).toBe(1);
    expect(dot).toContain('clip-path="url(#plot-clip)"');
  });

  it('rejects series whose x and y lengths differ', () => {
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(/2 x values but 1 y/);
  });
});

describe('heatmapSvg', () => {
  const rows = 3;
  const cols = 4;
  const values = Float32Array.from({ length: rows * cols }, (_, k) => k);
  values[5] = NaN;
  const svg = heatmapSvg({
    title: 'Attention <head 1>',
    values,
    rows,
    cols,
    xLabel: 'key & position',
    yLabel: 'query',
    rowLabels: ['q<0>', 'q1', 'q2'],
  });

  it('is a balanced SVG with rows*cols cells', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    checkBalanced(svg);
    expect(count(svg, /<rect class="cell"/g)).toBe(rows * cols);
  });

  it('colours cells from the scale, min and max at the ends, NaN grey', () => {
    const fills = [...svg.matchAll(/<rect class="cell"[^>]* fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(12);
    expect(fills[0]).toBe(viridis(0));
    expect(fills[11]).toBe(viridis(1));
    expect(fills[5]).toBe('#d0d0d0');
    expect(new Set(fills).size).toBe(12);
  });

  it('labels axes, ticks and the colour bar with escaped text', () => {
    expect(svg).toContain('>Attention &lt;head 1&gt;</text>');
    expect(svg).toContain('>key &amp; position</text>');
    expect(svg).toContain('>q&lt;0&gt;</text>');
    expect(svg).toContain('>3</text>'); // default column label
    expect(svg).toContain('>11</text>'); // colour bar max
    expect(svg).toContain('>0</text>'); // colour bar min / first column
    expect(svg).toContain('<linearGradient id="colour-bar"');
    expect(svg).not.toMatch(/NaN/);
  });

  it('rejects wrong sizes and label counts', () => {
    expect(() => heatmapSvg({ title: 't', values: [1, 2, 3], rows: 2, cols: 2, xLabel: 'x', yLabel: 'y' })).toThrow(/expected rows\*cols = 4/);
    expect(() => heatmapSvg({ title: 't', values: [1, 2, 3, 4], rows: 2, cols: 2, xLabel: 'x', yLabel: 'y', colLabels: ['a'] })).toThrow(/colLabels/);
  });

  it('handles constant and all-NaN matrices', () => {
    const flat = heatmapSvg({ title: 't', values: [2, 2, 2, 2], rows: 2, cols: 2, xLabel: 'x', yLabel: 'y' });
    checkBalanced(flat);
    expect(count(flat, new RegExp(`class="cell"[^>]*fill="${viridis(0.5)}"`, 'g'))).toBe(4);
    const none = heatmapSvg({ title: 't', values: [NaN, NaN], rows: 1, cols: 2, xLabel: 'x', yLabel: 'y' });
    checkBalanced(none);
    expect(none).toContain('>no data</text>');
  });
});

describe('viridis', () => {
  it('hits the end stops and clamps', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.5)).toBe('#21918c');
    expect(viridis(-3)).toBe('#440154');
    expect(viridis(7)).toBe('#fde725');
  });
});

describe('reportHtml', () => {
  const html = reportHtml({
    title: 'Run <1> & "friends"',
    summaryRows: [
      ['test accuracy', '0.95'],
      ['model', '<script>alert(1)</script>'],
    ],
    figures: [
      { title: 'Loss', file: 'loss.svg', caption: 'train & test' },
      { title: 'Attention "map"', file: 'attn "1".svg' },
    ],
  });

  it('is a balanced HTML page with a summary table and one img per figure', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    checkBalanced(html, ['meta', 'img']);
    expect(count(html, /<tr>/g)).toBe(2);
    expect(count(html, /<img /g)).toBe(2);
    expect(html).toContain('<img src="loss.svg" alt="Loss">');
    expect(html).toContain('<style>');
  });

  it('escapes all text and attribute values', () => {
    expect(html).toContain('<title>Run &lt;1&gt; &amp; &quot;friends&quot;</title>');
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('src="attn &quot;1&quot;.svg" alt="Attention &quot;map&quot;"');
    expect(html).toContain('train &amp; test');
  });
});
