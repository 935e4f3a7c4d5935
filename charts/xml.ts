/** Tiny helpers for building SVG/HTML strings safely. */

/** Characters that are not allowed anywhere in an XML 1.0 document (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF). */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML/HTML element content and (double- or single-quoted) attribute values. */
export function escapeXml(text: string): string {
  return String(text)
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
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
