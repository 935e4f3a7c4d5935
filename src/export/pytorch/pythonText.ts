// Strings from the net (its label, node paths, port names: all from files, possibly hostile) as the generated
// Python carries them. One escaping serves every place: pyEscape leaves only printable ASCII and writes
// everything else as a Python escape sequence, so its result
//   - between double quotes is a string literal equal to the original (pyString),
//   - inside the module's """docstring""" cannot close it, and reads as the original in __doc__,
//   - after `#` stays one comment line (no \n, \r, \f or other line break; no bidi control to hide code).
// Identifiers never come from here: exportPyTorch builds them from [A-Za-z0-9_] only.

const SHORT: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `s` as the body of a double-quoted Python string: printable ASCII, the rest as \\, \", \n, \xhh, \uhhhh, \Uhhhhhhhh. */
export function pyEscape(s: string): string {
  let out = "";
  for (const c of s) { // by code point: an astral character is one \U escape
    const code = c.codePointAt(0)!;
    if (SHORT[c]) out += SHORT[c];
    else if (code >= 0x20 && code < 0x7f) out += c;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return out;
}

/** A Python string literal equal to `s`. */
export function pyString(s: string): string {
  return `"${pyEscape(s)}"`;
}

/** A Python list literal of strings. */
export function pyStrings(list: readonly string[]): string {
  return `[${list.map(pyString).join(", ")}]`;
}
