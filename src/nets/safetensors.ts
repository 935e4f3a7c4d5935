/**
 * A safetensors codec (F32 only); it needs nothing from the library but isRecord.
 *
 * Format (https://github.com/huggingface/safetensors, README "Format"):
 *
 *   [8 bytes]  N: unsigned little-endian u64, byte length of the header
 *   [N bytes]  UTF-8 JSON object:
 *                { "__metadata__": { "k": "v", ... },          (optional; string → string only)
 *                  "<name>": { "dtype": "F32", "shape": [d0, d1, ...],
 *                              "data_offsets": [begin, end] }, ... }
 *              Writers pad it with trailing spaces (0x20) so 8 + N is a multiple of 8;
 *              readers accept JSON whitespace around the object.
 *   [rest]     byte buffer: each tensor's elements, little-endian, C (row-major) order,
 *              at [begin, end) relative to the START OF THE BUFFER (not the file).
 *
 * Rules enforced (as the reference Rust reader does):
 *   - end - begin == product(shape) * sizeof(dtype); shape [] is a scalar (1 element),
 *     a shape containing 0 is an empty tensor with begin == end (allowed).
 *   - The tensors, ordered by offset, tile the buffer exactly from 0 to its end: no
 *     overlaps, no holes, no trailing bytes (this rules out polyglot files).
 *   - Header at most 100 000 000 bytes. Duplicate JSON keys are disallowed.
 *   - Bounds of our own, checked by a linear scan of the header text BEFORE JSON.parse (so a hostile
 *     header costs no more than its bytes): nesting at most 3 levels (the format's own: the header
 *     object, a tensor entry, its shape) and arrays of at most 64 elements (tensor rank ≤ 64).
 *   - A reader of a file (loadNet) reads the 8-byte prefix, then the header, then only the data bytes
 *     the header's tensors tile: see ByteSource.
 * The reference writer orders tensors by descending dtype alignment then by name
 * (byte-wise UTF-8 comparison); with a single dtype that is plain name order, and the
 * header lists "__metadata__" first, then the tensors in offset order, as compact JSON.
 *
 * Only F32 tensors are supported; other dtypes are recognised by name for error messages.
 * This file is browser-clean (no node:* imports); atomic file writes live in src/node/atomicWrite.ts.
 * Decoded records have no prototype, so a tensor or metadata key named "__proto__" is kept as data.
 */
import { hasLoneSurrogate, printable, quoteShort } from "../util/text.js";
import { endOfString, jsonExtent } from "../util/jsonExtent.js";
import { isRecord } from "../util/validate.js";

export type NamedArray = { dtype: "F32"; shape: number[]; data: Float32Array };

/** Largest header the reference implementation accepts (bytes). */
const MAX_HEADER_SIZE = 100_000_000;
/** Deepest header nesting: the header object, a tensor entry (or __metadata__), a shape or data_offsets array. */
export const MAX_HEADER_DEPTH = 3;
/** Longest array in a header (a shape's rank; data_offsets has 2). */
export const MAX_HEADER_ARRAY = 64;
const METADATA_KEY = "__metadata__";
const F32_BYTES = 4;

/** All dtype names of the reference implementation, so messages can say "F16 is not supported". */
const KNOWN_DTYPES = new Set([
  "BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
  "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
  "C64", "F64", "I64", "U64",
]);

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

/** Order strings by code point, which equals byte-wise UTF-8 order (what Rust's str Ord uses). */
function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}


/** The JSON type of a decoded value, for messages: null, array, number, string, boolean or object. */
function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** JSON of a small value for messages; a nested or long one (a hostile header) is only described. */
function shortJson(v: unknown): string {
  if (Array.isArray(v) && v.length <= 16 && v.every((x) => x === null || typeof x !== "object")) return JSON.stringify(v);
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? String(v);
  return Array.isArray(v) ? `an array of ${v.length} (nested or long)` : "an object";
}

function isIndex(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

/**
 * Serialize F32 tensors (and optional string metadata) to safetensors bytes.
 * Tensors are laid out contiguously in name order; "__metadata__" is written only when
 * `metadata` is given (even if empty), matching the reference writer.
 */
export function encodeSafetensors(
  tensors: Record<string, NamedArray>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort(compareCodePoints);
  const entries: string[] = [];

  if (metadata !== undefined) {
    if (!isRecord(metadata)) fail(`metadata must be an object of strings, got ${jsonType(metadata)}`);
    const parts: string[] = [];
    for (const key of Object.keys(metadata).sort(compareCodePoints)) {
      const value: unknown = metadata[key];
      if (typeof value !== "string") {
        fail(`metadata value for key ${JSON.stringify(key)} must be a string, got ${jsonType(value)}`);
      }
      if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
        fail(`metadata entry ${JSON.stringify(key)} contains an unpaired UTF-16 surrogate`);
      }
      parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    entries.push(`${JSON.stringify(METADATA_KEY)}:{${parts.join(",")}}`);
  }

  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    if (name === METADATA_KEY) fail(`"${METADATA_KEY}" is reserved and cannot be a tensor name`);
    if (hasLoneSurrogate(name)) fail(`tensor name ${JSON.stringify(name)} contains an unpaired UTF-16 surrogate`);
    if (!isRecord(t)) fail(`tensor ${JSON.stringify(name)} must be an object, got ${jsonType(t)}`);
    if (t.dtype !== "F32") fail(`tensor ${JSON.stringify(name)} has dtype ${String(t.dtype)}; only F32 is supported`);
    if (!(t.data instanceof Float32Array)) fail(`tensor ${JSON.stringify(name)} data must be a Float32Array`);
    if (!Array.isArray(t.shape) || !t.shape.every(isIndex)) {
      fail(`tensor ${JSON.stringify(name)} shape must be an array of non-negative integers, got ${shortJson(t.shape)}`);
    }
    const count = t.shape.reduce((a: bigint, d) => a * BigInt(d), 1n);
    if (count !== BigInt(t.data.length)) {
      fail(`tensor ${JSON.stringify(name)} shape [${t.shape.join(", ")}] has ${count} elements but data has ${t.data.length}`);
    }
    const end = offset + t.data.byteLength;
    // Built by hand: JSON.stringify on an object would hoist integer-like names ("0", "1")
    // to the front and break the offset ordering.
    entries.push(
      `${JSON.stringify(name)}:{"dtype":"F32","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }

  const json = new TextEncoder().encode(`{${entries.join(",")}}`);
  const headerLen = Math.ceil(json.length / 8) * 8;
  if (headerLen > MAX_HEADER_SIZE) fail(`header would be ${headerLen} bytes, above the ${MAX_HEADER_SIZE}-byte limit`);

  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);

  let pos = 8 + headerLen;
  for (const name of names) {
    const data = tensors[name]!.data;
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    } else {
      for (let i = 0; i < data.length; i++) view.setFloat32(pos + i * F32_BYTES, data[i]!, true);
    }
    pos += data.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------

/**
 * Find a duplicated object key anywhere in `text`, which must already be valid JSON
 * (JSON.parse silently keeps the last duplicate; the format forbids duplicates).
 */
function findDuplicateKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = []; // Set for objects, null for arrays
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const j = endOfString(text, i);
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const keys = stack[stack.length - 1]!;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === "{") {
      stack.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      stack.push(null);
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return undefined;
}

type Entry = { name: string; shape: number[]; begin: number; end: number };

/**
 * Where the decoder reads: the file's size and its bytes by range. An in-memory file is one; loadNet makes
 * one of an open file, so that only the prefix, the header and the bytes its tensors declare are read.
 */
export interface ByteSource {
  readonly size: number;
  /** Fills `target` with the bytes from `offset` on (the decoder asks only within [0, size)). */
  read(offset: number, target: Uint8Array): void;
  /** An in-memory source's bytes without a copy (the header is decoded from them). */
  view?(offset: number, length: number): Uint8Array;
}

/**
 * Parse safetensors bytes. Every structural rule is checked before any data is copied,
 * so a malformed file throws (naming the problem) and never yields partial results.
 * Tensor data is copied into fresh Float32Arrays (the input may be unaligned).
 */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Record<string, NamedArray>;
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${jsonType(bytes)}`);
  const header = readSafetensorsHeader(bytesSource(bytes));
  return { tensors: header.readTensors(), metadata: header.metadata };
}

/** A file in memory as a ByteSource. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  const view = (offset: number, length: number) => bytes.subarray(offset, offset + length);
  return { size: bytes.length, read: (offset, target) => target.set(view(offset, target.length)), view };
}

/** A checked header: the metadata and every tensor's shape, and the reader of the tensors' data. */
export interface SafetensorsHeader {
  metadata: Record<string, string>;
  shapes: Record<string, number[]>;
  /** reads and copies every tensor (the data bytes the header's tensors tile, nothing else) */
  readTensors(): Record<string, NamedArray>;
}

/**
 * The first half of decodeSafetensors on a ByteSource: reads the 8-byte prefix and the header and checks
 * every structural rule (the tiling against the source's size included), reading no tensor data yet, so a
 * caller can refuse unwanted tensors before their bytes are read.
 */
export function readSafetensorsHeader(source: ByteSource, limits: { maxHeaderSize?: number; maxTensors?: number } = {}): SafetensorsHeader {
  const { maxHeaderSize = MAX_HEADER_SIZE, maxTensors = Infinity } = limits;
  if (source.size < 8) {
    fail(`file is ${source.size} bytes, shorter than the 8-byte header-length prefix (truncated or not a safetensors file)`);
  }
  const prefix = new Uint8Array(8);
  source.read(0, prefix);
  const n64 = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  const available = source.size - 8;
  if (n64 > BigInt(available)) {
    fail(`header length ${n64} is larger than the file: only ${available} bytes follow the 8-byte prefix (truncated file or corrupt header length)`);
  }
  const n = Number(n64);
  if (n > maxHeaderSize) fail(`header length ${n} exceeds the ${maxHeaderSize}-byte limit`);
  if (n < 2) fail(`header length ${n} is too small to hold a JSON object`);
  let headerBytes = source.view?.(8, n);
  if (headerBytes === undefined) source.read(8, (headerBytes = new Uint8Array(n)));

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    fail("header is not valid UTF-8");
  }
  const extent = jsonExtent(text, MAX_HEADER_DEPTH);
  if (extent.depth > MAX_HEADER_DEPTH) fail(`header is nested more than ${MAX_HEADER_DEPTH} levels deep (the format has { name: { shape: [...] } })`);
  if (extent.widestArray > MAX_HEADER_ARRAY) fail(`header holds an array of ${extent.widestArray} elements; shapes have at most ${MAX_HEADER_ARRAY} dimensions`);
  // each tensor entry is an object holding two arrays; the header object and __metadata__ add two more
  if (extent.containers > 3 * maxTensors + 2) fail(`header holds ${extent.containers} arrays and objects: more than ${maxTensors} tensors`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${printable((e as Error).message)})`); // V8 quotes the text it failed on, raw
  }
  if (!isRecord(header)) fail(`header must be a JSON object, got ${jsonType(header)}`);
  const dup = findDuplicateKey(text);
  if (dup !== undefined) fail(`header has duplicate key ${quoteShort(dup)}`);

  const metadata: Record<string, string> = Object.create(null);
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isRecord(info)) fail(`"${METADATA_KEY}" must be an object of strings, got ${jsonType(info)}`);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== "string") fail(`"${METADATA_KEY}" value for key ${quoteShort(k)} must be a string, got ${jsonType(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    const what = `tensor ${quoteShort(name)}`;
    if (!isRecord(info)) fail(`${what}: entry must be an object, got ${jsonType(info)}`);
    // Unknown extra fields are ignored, like the reference reader does.
    const { dtype, shape, data_offsets: offsets } = info;
    if (dtype === undefined) fail(`${what}: entry has no "dtype"`);
    if (typeof dtype !== "string") fail(`${what}: dtype must be a string, got ${jsonType(dtype)}`);
    if (dtype !== "F32") {
      fail(KNOWN_DTYPES.has(dtype)
        ? `${what} has dtype ${dtype}; only F32 is supported`
        : `${what} has unknown dtype ${quoteShort(String(dtype))}; only F32 is supported`);
    }
    if (shape === undefined) fail(`${what}: entry has no "shape"`);
    if (offsets === undefined) fail(`${what}: entry has no "data_offsets"`);
    if (!Array.isArray(shape) || !shape.every(isIndex)) {
      fail(`${what}: shape must be an array of non-negative integers, got ${shortJson(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      fail(`${what}: data_offsets must be [begin, end] with non-negative integers, got ${shortJson(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`${what}: data_offsets [${begin}, ${end}] end before they begin`);
    const needed = shape.reduce((a: bigint, d: number) => a * BigInt(d), 1n) * BigInt(F32_BYTES);
    if (needed !== BigInt(end - begin)) {
      fail(`${what}: shape [${shape.join(", ")}] needs ${needed} bytes of F32 but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    entries.push({ name, shape: shape as number[], begin, end });
  }

  // The tensors, in offset order, must tile [0, dataLen) exactly.
  const dataStart = 8 + n;
  const dataLen = source.size - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    if (e.end > dataLen) {
      fail(`tensor ${quoteShort(e.name)}: data_offsets [${e.begin}, ${e.end}] run past the end of the ${dataLen}-byte data buffer (file truncated or offsets out of range)`);
    }
    if (e.begin < cursor) {
      fail(`tensor ${quoteShort(e.name)}: data_offsets [${e.begin}, ${e.end}] overlap tensor ${quoteShort(previous!.name)} [${previous!.begin}, ${previous!.end}]`);
    }
    if (e.begin > cursor) {
      fail(`data buffer bytes [${cursor}, ${e.begin}) are not covered by any tensor (hole before tensor ${quoteShort(e.name)})`);
    }
    cursor = e.end;
    if (e.end > e.begin || previous === undefined) previous = e;
  }
  if (cursor !== dataLen) {
    fail(`data buffer has ${dataLen - cursor} trailing bytes not covered by any tensor (tensors cover ${cursor} of ${dataLen} bytes)`);
  }

  const shapes: Record<string, number[]> = Object.create(null);
  for (const e of entries) shapes[e.name] = e.shape.slice();
  return { metadata, shapes, readTensors: () => readTensors(source, dataStart, entries) };
}

function readTensors(source: ByteSource, dataStart: number, entries: Entry[]): Record<string, NamedArray> {
  const tensors: Record<string, NamedArray> = Object.create(null);
  for (const e of entries) {
    const count = (e.end - e.begin) / F32_BYTES;
    const data = new Float32Array(count);
    if (LITTLE_ENDIAN_HOST) {
      source.read(dataStart + e.begin, new Uint8Array(data.buffer));
    } else {
      const bytes = new Uint8Array(e.end - e.begin);
      source.read(dataStart + e.begin, bytes);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * F32_BYTES, true);
    }
    tensors[e.name] = { dtype: "F32", shape: e.shape.slice(), data };
  }
  return tensors;
}
