/** Tiny helpers for building SVG/HTML strings safely. */

/** A lone surrogate: a UTF-16 half that no XML document can carry. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Characters that are not allowed anywhere in an XML 1.0 document (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF). */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML/HTML element content and (double- or single-quoted) attribute values; drops what XML cannot hold (lone surrogates too). */
export function escapeXml(text: string): string {
  return String(text)
    .replace(INVALID_XML_CHARS, '')
    .replace(LONE_SURROGATE, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\r/g, '&#13;'); // a raw CR would be read as a line feed
}

/** `s` cut to at most `maxChars` characters with "…" last; counts code points, so a surrogate pair is never split. */
export function shorten(s: string, maxChars: number): string {
  const chars = Array.from(s);
  return chars.length <= maxChars ? s : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

export type Attrs = Record<string, string | number | undefined>;

/** Rounds coordinates to 2 decimals so the output stays compact (sub-pixel precision is plenty). */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function attrString(attrs: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/**
 * Builds one element. `children` is already-serialised markup (use `escapeXml` for text);
 * without children the element is self-closed.
 */
export function el(tag: string, attrs: Attrs = {}, children?: string | string[]): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner === undefined || inner === '' ? `<${tag}${attrString(attrs)}/>` : `<${tag}${attrString(attrs)}>${inner}</${tag}>`;
}

/** A `<text>` element with escaped content. */
export function text(content: string, attrs: Attrs): string {
  return el('text', attrs, escapeXml(content) || ' ');
}
