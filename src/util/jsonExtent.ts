// The extent of JSON text, found by one linear scan over its characters before JSON.parse (which would
// spend memory and time on a hostile value first: 45 million nested brackets cost 4 GB): the deepest
// nesting of arrays and objects, the most elements in one array, and how many arrays and objects there are.
// Characters inside strings are skipped; the text need not be valid JSON (JSON.parse judges that after).

export interface JsonExtent {
  /** deepest nesting of arrays/objects (a scalar is 0, [] is 1, [[1]] is 2); the scan stops once it passes maxDepth */
  depth: number;
  /** the most elements of any one array (counted up to maxDepth levels) */
  widestArray: number;
  /** arrays and objects in the text */
  containers: number;
}

/** Scans `text` once, with memory bounded by `maxDepth`; depth > maxDepth means "deeper than allowed" (scan stopped). */
export function jsonExtent(text: string, maxDepth: number): JsonExtent {
  // elements[d] counts the commas seen in the array open at depth d + 1 (-1 for an object)
  const elements: number[] = [];
  let depth = 0, widestArray = 0, containers = 0, empty = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // '"': skip the string
      i = endOfString(text, i);
      empty = false;
    } else if (c === 0x5b || c === 0x7b) { // '[' or '{'
      containers++;
      if (elements.length === maxDepth) return { depth: maxDepth + 1, widestArray, containers };
      elements.push(c === 0x5b ? 1 : -1);
      depth = Math.max(depth, elements.length);
      empty = true;
    } else if (c === 0x5d || c === 0x7d) { // ']' or '}'
      const n = elements.pop();
      if (n !== undefined && n > 0) widestArray = Math.max(widestArray, empty ? 0 : n);
      empty = false;
    } else if (c === 0x2c) { // ','
      const top = elements.length - 1;
      if (top >= 0 && elements[top] > 0) widestArray = Math.max(widestArray, ++elements[top]);
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      empty = false;
    }
  }
  return { depth, widestArray, containers };
}

/** The index of the quote that closes the JSON string opening at `start` (text.length if none). */
export function endOfString(text: string, start: number): number {
  for (let end = text.indexOf('"', start + 1); end >= 0; end = text.indexOf('"', end + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
  return text.length;
}
