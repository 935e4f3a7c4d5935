// Strings that come from outside (names read from net files, options): the rule every name obeys, and
// how such a string is shown in a message or table printed to a terminal. (Generated Python escapes
// through export/pytorch/pythonText.ts, markup through charts/xml.ts, ONNX through onnxGraph.ts.)

/** The longest name accepted (UTF-16 code units): names are labels, and messages repeat them. */
export const MAX_NAME_LENGTH = 1000;

/** A lone surrogate: a UTF-16 half that no UTF-8 file, protobuf or terminal can carry. */
export const LONE_SURROGATE = /\p{Cs}/gu; // with the u flag, only an unpaired half is a code point of category Cs

/** True when the string holds an unpaired UTF-16 surrogate (not representable in UTF-8). */
export function hasLoneSurrogate(s: string): boolean {
  return /\p{Cs}/u.test(s);
}

/**
 * The one rule for names (layer and net `name`, netGraph node names, graph input and output ports), checked
 * where a net is built, so also by deserializeNet/loadNet: a string of at most 1000 code units, without NUL
 * (a C string in onnxruntime or a file system would cut it) and without lone surrogates (UTF-8 cannot store
 * them, so the name would not survive saveNet). Anything else (quotes, newlines, any Unicode) is allowed;
 * every exporter and message escapes it for its target.
 */
export function checkName(v: string, where: string, what: string): string {
  if (v.length > MAX_NAME_LENGTH) throw new Error(`${where}: ${what} must be at most ${MAX_NAME_LENGTH} characters, got ${v.length} (${quote(v.slice(0, 40))}…)`);
  if (v.includes("\0")) throw new Error(`${where}: ${what} must not contain NUL (\\u0000), got ${quote(v)}`);
  if (hasLoneSurrogate(v)) throw new Error(`${where}: ${what} must be well-formed Unicode (it has a lone surrogate), got ${quote(v)}`);
  return v;
}

/**
 * Characters a terminal acts on or that hide what surrounds them: C0 and C1 controls, DEL, the line and
 * paragraph separators, bidirectional and other invisible format controls, lone surrogates; and the backslash,
 * so that an escape in the output always means one.
 */
const UNPRINTABLE = /[\\\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SHORT: Record<string, string> = { "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `s` safe to print: the characters above as JSON escapes (\n, \u001b, \u202e, \\); the rest as it is. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `s` in double quotes for a message, as JSON.stringify writes it (plus printable's escapes): "fc", "a\"b", "x\u001b[2J". */
export function quote(s: string): string {
  return `"${printable(s).replace(/"/g, '\\"')}"`;
}

/** quote(s) of at most `max` characters of s, then "…": for names read from files, which may be megabytes long. */
export function quoteShort(s: string, max = 80): string {
  return s.length <= max ? quote(s) : `${quote(s.slice(0, max))}…`;
}
