import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import {
  bytesSource,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensorsHeader,
  type NamedArray,
} from "../../src/nets/safetensors.js";
import { writeFileAtomic, writeFileAtomicSync } from "../../src/node/atomicWrite.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, "..", "data", "tiny.safetensors");

function f32(shape: number[], values: number[]): NamedArray {
  return { dtype: "F32", shape, data: Float32Array.from(values) };
}

function headerLength(bytes: Uint8Array): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
}

function headerText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(8, 8 + headerLength(bytes)));
}

/** Build a file from a raw header string (padded to 8) and a data buffer. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), pad = true): Uint8Array {
  let json = new TextEncoder().encode(header);
  if (pad && json.length % 8 !== 0) {
    const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const sample = (): Record<string, NamedArray> => ({
  weight: f32([2, 3], [1, -2, 3.5, 0, -0, 6]),
  bias: f32([3], [0.1, 0.2, 0.3]),
  scalar: f32([], [42.5]),
  empty: f32([0, 3], []),
  "layers.0.attn.k": f32([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
});

describe("encodeSafetensors / decodeSafetensors round trip", () => {
  it("round-trips several tensors, a scalar, an empty tensor and metadata", () => {
    const tensors = sample();
    const metadata = { format: "pt", note: "ünïcødé ✓", empty: "" };
    const bytes = encodeSafetensors(tensors, metadata);
    const back = decodeSafetensors(bytes);

    expect(back.metadata).toEqual(metadata);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = back.tensors[name]!;
      expect(got.dtype).toBe("F32");
      expect(got.shape).toEqual(t.shape);
      expect(got.data).toBeInstanceOf(Float32Array);
      expect(Array.from(got.data)).toEqual(Array.from(t.data));
    }
    expect(Object.is(back.tensors.weight!.data[4], -0)).toBe(true);
    expect(back.tensors.scalar!.shape).toEqual([]);
    expect(back.tensors.empty!.data.length).toBe(0);
  });

  it("omits __metadata__ when none is given and decodes to {}", () => {
    const bytes = encodeSafetensors({ a: f32([1], [1]) });
    expect(headerText(bytes)).not.toContain("__metadata__");
    expect(decodeSafetensors(bytes).metadata).toEqual({});
  });

  it("round-trips an empty file (no tensors)", () => {
    const bytes = encodeSafetensors({});
    expect(bytes.length).toBe(16);
    expect(headerText(bytes)).toBe("{}      ");
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
  });

  it("preserves NaN and infinities bit-exactly", () => {
    const data = new Float32Array([NaN, Infinity, -Infinity, 1e-45]);
    const back = decodeSafetensors(encodeSafetensors({ x: { dtype: "F32", shape: [4], data } }));
    expect(new Uint32Array(back.tensors.x!.data.buffer)).toEqual(new Uint32Array(data.buffer));
  });

  it("encodes a Float32Array view with a non-zero byteOffset", () => {
    const base = new Float32Array([9, 9, 1, 2, 3]);
    const view = base.subarray(2);
    const back = decodeSafetensors(encodeSafetensors({ v: { dtype: "F32", shape: [3], data: view } }));
    expect(Array.from(back.tensors.v!.data)).toEqual([1, 2, 3]);
  });
});

describe("header layout", () => {
  it("pads the header with spaces so the data buffer starts at a multiple of 8", () => {
    for (const name of ["a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"]) {
      const bytes = encodeSafetensors({ [name]: f32([1], [1]) });
      const n = headerLength(bytes);
      expect(n % 8).toBe(0);
      const text = headerText(bytes);
      const json = text.trimEnd();
      expect(text.slice(json.length)).toMatch(/^ {0,7}$/);
      expect(JSON.parse(json)).toEqual({ [name]: { dtype: "F32", shape: [1], data_offsets: [0, 4] } });
      expect(bytes.length).toBe(8 + n + 4);
    }
  });

  it("writes compact JSON with __metadata__ first, then tensors in sorted name order with contiguous offsets", () => {
    const bytes = encodeSafetensors(
      { b: f32([2], [1, 2]), "10": f32([1], [3]), a: f32([0], []), "2": f32([], [4]) },
      { z: "1", a: "2" },
    );
    const json = headerText(bytes).trimEnd();
    // Integer-like names must not be hoisted: byte-wise order is "10" < "2" < "a" < "b".
    expect(json).toBe(
      '{"__metadata__":{"a":"2","z":"1"},' +
        '"10":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
        '"2":{"dtype":"F32","shape":[],"data_offsets":[4,8]},' +
        '"a":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},' +
        '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}',
    );
    const data = new Float32Array(bytes.slice(8 + headerLength(bytes)).buffer);
    expect(Array.from(data)).toEqual([3, 4, 1, 2]);
  });

  it("sorts names by UTF-8 byte order (like the reference Rust writer), not UTF-16", () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 ...) in UTF-8,
    // but after it in UTF-16 code units (0xFF5E > 0xD83D).
    const bytes = encodeSafetensors({ "\u{1F600}": f32([1], [1]), "\uFF5E": f32([1], [2]) });
    const header = JSON.parse(headerText(bytes)) as Record<string, { data_offsets: number[] }>;
    expect(header["\uFF5E"]!.data_offsets).toEqual([0, 4]);
    expect(header["\u{1F600}"]!.data_offsets).toEqual([4, 8]);
  });

  it("writes little-endian float32 (checked byte by byte)", () => {
    const bytes = encodeSafetensors({ x: f32([2], [1, -2]) });
    const data = Array.from(bytes.subarray(8 + headerLength(bytes)));
    expect(data).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([headerLength(bytes), 0, 0, 0, 0, 0, 0, 0]);
  });

  it("rejects invalid input to the encoder", () => {
    expect(() => encodeSafetensors({ x: f32([2, 2], [1, 2, 3]) })).toThrow(/shape \[2, 2\] has 4 elements but data has 3/);
    expect(() => encodeSafetensors({ x: f32([-1], []) })).toThrow(/shape must be an array of non-negative integers/);
    expect(() => encodeSafetensors({ __metadata__: f32([1], [1]) })).toThrow(/reserved/);
    expect(() => encodeSafetensors({ x: { dtype: "F16", shape: [1], data: new Float32Array(1) } as unknown as NamedArray })).toThrow(
      /dtype F16; only F32 is supported/,
    );
    expect(() => encodeSafetensors({}, { n: 1 } as unknown as Record<string, string>)).toThrow(
      /metadata value for key "n" must be a string, got number/,
    );
    expect(() => encodeSafetensors({ "\uD800": f32([1], [1]) })).toThrow(/unpaired UTF-16 surrogate/);
  });
});

describe("reference file written by Python safetensors 0.8.0 + PyTorch", () => {
  const fixture = new Uint8Array(fs.readFileSync(FIXTURE));

  it("decodes every tensor and the metadata", () => {
    const { tensors, metadata } = decodeSafetensors(fixture);
    expect(metadata).toEqual({ format: "pt" });
    expect(Object.keys(tensors).sort()).toEqual(["bias", "empty", "layers.0.attn.q", "scale", "weight"]);

    expect(tensors.weight!.shape).toEqual([2, 3]);
    expect(Array.from(tensors.weight!.data)).toEqual([-1, -0.5, 0, 0.5, 1, 1.5]);

    expect(tensors.bias!.shape).toEqual([5]);
    expect(Array.from(tensors.bias!.data)).toEqual([Math.fround(0.1), -2.5, Math.fround(3e-5), -0, Infinity]);
    expect(Object.is(tensors.bias!.data[3], -0)).toBe(true);

    expect(tensors.scale!.shape).toEqual([]);
    expect(Array.from(tensors.scale!.data)).toEqual([3.25]);

    expect(tensors.empty!.shape).toEqual([0, 3]);
    expect(tensors.empty!.data.length).toBe(0);

    expect(tensors["layers.0.attn.q"]!.shape).toEqual([4, 2]);
    expect(Array.from(tensors["layers.0.attn.q"]!.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => i / 8));
  });

  it("re-encodes to exactly the same bytes as the reference writer", () => {
    const { tensors, metadata } = decodeSafetensors(fixture);
    expect(encodeSafetensors(tensors, metadata)).toEqual(fixture);
  });

  it("decodes from an unaligned view and returns aligned, independent copies", () => {
    const shifted = new Uint8Array(fixture.length + 3);
    shifted.set(fixture, 3);
    const view = shifted.subarray(3);
    const { tensors } = decodeSafetensors(view);
    expect(Array.from(tensors.weight!.data)).toEqual([-1, -0.5, 0, 0.5, 1, 1.5]);
    expect(tensors.weight!.data.byteOffset).toBe(0);
    view.fill(0);
    expect(tensors.weight!.data[0]).toBe(-1);
  });
});

describe("decodeSafetensors rejects corrupt files", () => {
  const good = encodeSafetensors(sample(), { format: "pt" });
  const n = headerLength(good);
  const dataStart = 8 + n;

  it("throws for truncation at every cut point, with a message naming the region cut", () => {
    for (let cut = 0; cut < good.length; cut++) {
      const truncated = good.slice(0, cut);
      const expected =
        cut < 8
          ? /file is \d+ bytes, shorter than the 8-byte header-length prefix/
          : cut < dataStart
            ? new RegExp(`header length ${n} is larger than the file: only ${cut - 8} bytes follow`)
            : /run past the end of the \d+-byte data buffer \(file truncated/;
      expect(() => decodeSafetensors(truncated), `cut at ${cut}`).toThrow(expected);
    }
  });

  it("throws for a header length that does not match the header", () => {
    const bigger = good.slice();
    new DataView(bigger.buffer).setBigUint64(0, BigInt(n + 8), true);
    // The header now swallows 8 bytes of float data, which are not JSON.
    expect(() => decodeSafetensors(bigger)).toThrow(/header is not valid (JSON|UTF-8)/);

    const smaller = good.slice();
    new DataView(smaller.buffer).setBigUint64(0, BigInt(n - 8), true);
    expect(() => decodeSafetensors(smaller)).toThrow(/header is not valid JSON/);

    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 0xffff_ffff_ffff_fff0n, true);
    expect(() => decodeSafetensors(huge)).toThrow(/header length 18446744073709551600 is larger than the file/);

    const flipped = good.slice();
    flipped[7] = 0x80; // flip the top bit of the u64
    expect(() => decodeSafetensors(flipped)).toThrow(/is larger than the file/);
  });

  it("rejects a header length above the 100 MB limit", () => {
    const file = new Uint8Array(8 + 100_000_008);
    new DataView(file.buffer).setBigUint64(0, 100_000_008n, true);
    expect(() => decodeSafetensors(file)).toThrow(/exceeds the 100000000-byte limit/);
  });

  it("rejects garbage and non-object headers", () => {
    expect(() => decodeSafetensors(rawFile("not json at all"))).toThrow(/header is not valid JSON/);
    expect(() => decodeSafetensors(rawFile('{"a": {"dtype": "F32",'))).toThrow(/header is not valid JSON/);
    expect(() => decodeSafetensors(rawFile("[1, 2, 3]"))).toThrow(/header must be a JSON object, got array/);
    expect(() => decodeSafetensors(rawFile("null"))).toThrow(/header must be a JSON object, got null/);
    expect(() => decodeSafetensors(rawFile('"str"'))).toThrow(/header must be a JSON object, got string/);
    const badUtf8 = rawFile("{}      ");
    badUtf8[9] = 0xff;
    expect(() => decodeSafetensors(badUtf8)).toThrow(/header is not valid UTF-8/);
  });

  it("rejects unsupported and unknown dtypes, naming them", () => {
    const data = new Uint8Array(4);
    for (const dtype of ["F16", "BF16", "F64", "I32"]) {
      const size = dtype === "F64" ? 8 : dtype === "I32" ? 4 : 2;
      const file = rawFile(`{"x":{"dtype":"${dtype}","shape":[1],"data_offsets":[0,${size}]}}`, new Uint8Array(size));
      expect(() => decodeSafetensors(file)).toThrow(new RegExp(`tensor "x" has dtype ${dtype}; only F32 is supported`));
    }
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}', data))).toThrow(
      /tensor "x" has unknown dtype "F33"; only F32 is supported/,
    );
    expect(() => decodeSafetensors(rawFile('{"x":{"shape":[1],"data_offsets":[0,4]}}', data))).toThrow(
      /tensor "x": entry has no "dtype"/,
    );
  });

  it("rejects shape/offset mismatches and malformed shapes or offsets", () => {
    const d = (k: number) => new Uint8Array(k);
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}', d(20)))).toThrow(
      /tensor "x": shape \[2, 3\] needs 24 bytes of F32 but data_offsets \[0, 20\] span 20/,
    );
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[],"data_offsets":[0,0]}}'))).toThrow(
      /shape \[\] needs 4 bytes/,
    );
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', d(4)))).toThrow(
      /shape must be an array of non-negative integers/,
    );
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}', d(4)))).toThrow(
      /shape must be an array of non-negative integers/,
    );
    expect(() =>
      decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[2,18446744073709551614],"data_offsets":[0,16]}}', d(16))),
    ).toThrow(/shape must be an array of non-negative integers/);
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', d(4)))).toThrow(
      /data_offsets \[4, 0\] end before they begin/,
    );
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', d(4)))).toThrow(
      /data_offsets must be \[begin, end\]/,
    );
  });

  it("rejects overlapping, out-of-range, holed and trailing data", () => {
    const d = (k: number) => new Uint8Array(k);
    const t = (name: string, b: number, e: number) =>
      `"${name}":{"dtype":"F32","shape":[${(e - b) / 4}],"data_offsets":[${b},${e}]}`;
    expect(() => decodeSafetensors(rawFile(`{${t("a", 0, 8)},${t("b", 4, 12)}}`, d(12)))).toThrow(
      /tensor "b": data_offsets \[4, 12\] overlap tensor "a" \[0, 8\]/,
    );
    expect(() => decodeSafetensors(rawFile(`{${t("a", 0, 8)},${t("b", 0, 8)}}`, d(8)))).toThrow(/overlap tensor/);
    expect(() => decodeSafetensors(rawFile(`{${t("a", 0, 8)},${t("b", 8, 16)}}`, d(12)))).toThrow(
      /tensor "b": data_offsets \[8, 16\] run past the end of the 12-byte data buffer/,
    );
    expect(() => decodeSafetensors(rawFile(`{${t("a", 0, 4)},${t("b", 8, 12)}}`, d(12)))).toThrow(
      /data buffer bytes \[4, 8\) are not covered by any tensor \(hole before tensor "b"\)/,
    );
    expect(() => decodeSafetensors(rawFile(`{${t("a", 4, 8)}}`, d(8)))).toThrow(/bytes \[0, 4\) are not covered/);
    expect(() => decodeSafetensors(rawFile(`{${t("a", 0, 4)}}`, d(7)))).toThrow(
      /data buffer has 3 trailing bytes not covered by any tensor/,
    );
    // Polyglot trick: junk appended to a valid file.
    const junk = new Uint8Array(good.length + 5);
    junk.set(good);
    expect(() => decodeSafetensors(junk)).toThrow(/5 trailing bytes/);
    // An empty tensor may sit anywhere on a boundary, but not inside another tensor.
    expect(decodeSafetensors(rawFile(`{${t("a", 0, 4)},${t("e", 4, 4)},${t("b", 4, 8)}}`, d(8))).tensors.e!.shape).toEqual([0]);
    expect(() => decodeSafetensors(rawFile(`{${t("a", 0, 8)},${t("e", 4, 4)}}`, d(8)))).toThrow(/tensor "e".*overlap tensor "a"/);
  });

  it("rejects bad __metadata__ and duplicate keys", () => {
    expect(() => decodeSafetensors(rawFile('{"__metadata__":{"epochs":3}}'))).toThrow(
      /"__metadata__" value for key "epochs" must be a string, got number/,
    );
    expect(() => decodeSafetensors(rawFile('{"__metadata__":["a"]}'))).toThrow(/"__metadata__" must be an object of strings, got array/);
    expect(() =>
      decodeSafetensors(
        rawFile('{"x":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"x":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'),
      ),
    ).toThrow(/duplicate key "x"/);
    expect(() => decodeSafetensors(rawFile('{"__metadata__":{"a":"1","a":"2"}}'))).toThrow(/duplicate key "a"/);
    expect(() => decodeSafetensors(rawFile('{"x":{"dtype":"F32","dtype":"F32","shape":[0],"data_offsets":[0,0]}}'))).toThrow(
      /duplicate key "dtype"/,
    );
  });

  it("accepts JSON whitespace around the header object, like the reference reader", () => {
    expect(decodeSafetensors(rawFile("\t\n{}\r ", undefined, false))).toEqual({ tensors: {}, metadata: {} });
    expect(() => decodeSafetensors(rawFile("", undefined, false))).toThrow(/header length 0 is too small/);
  });
});

describe("writeFileAtomic / writeFileAtomicSync", () => {
  const makeDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "safetensors-atomic-"));

  for (const [label, write] of [
    ["async", writeFileAtomic],
    ["sync", async (p: string, b: Uint8Array | string) => writeFileAtomicSync(p, b)],
  ] as const) {
    it(`${label}: replaces the target wholly and leaves no temp file`, async () => {
      const dir = makeDir();
      try {
        const target = path.join(dir, "model.safetensors");
        fs.writeFileSync(target, "x".repeat(10_000));
        const bytes = encodeSafetensors(sample());
        await write(target, bytes);
        expect(new Uint8Array(fs.readFileSync(target))).toEqual(bytes);
        expect(fs.readdirSync(dir)).toEqual(["model.safetensors"]);

        await write(target, "short ✓");
        expect(fs.readFileSync(target, "utf8")).toBe("short ✓");
        expect(fs.readdirSync(dir)).toEqual(["model.safetensors"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it(`${label}: throws when the directory is missing and creates nothing`, async () => {
      const dir = makeDir();
      try {
        const target = path.join(dir, "missing", "model.safetensors");
        await expect(write(target, "data")).rejects.toThrow(/ENOENT/);
        expect(fs.readdirSync(dir)).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it(`${label}: on a failed rename the old target survives and the temp file is removed`, async () => {
      const dir = makeDir();
      try {
        const target = path.join(dir, "occupied");
        fs.mkdirSync(target);
        fs.writeFileSync(path.join(target, "keep"), "old");
        // Renaming a file over a non-empty directory fails (EISDIR/ENOTEMPTY/EPERM).
        await expect(write(target, "new")).rejects.toThrow();
        expect(fs.readdirSync(dir)).toEqual(["occupied"]);
        expect(fs.readFileSync(path.join(target, "keep"), "utf8")).toBe("old");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("keeps the permission bits of the file it replaces", async () => {
    if (process.platform === "win32") return;
    const dir = makeDir();
    try {
      const target = path.join(dir, "secret");
      fs.writeFileSync(target, "old", { mode: 0o600 });
      fs.chmodSync(target, 0o600);
      await writeFileAtomic(target, "new");
      expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("header bounds, checked by a scan before JSON.parse", () => {
  it("nesting beyond 3 levels and shapes beyond 64 dimensions are refused; 64 dimensions load", () => {
    expect(() => decodeSafetensors(rawFile('{"w":{"dtype":"F32","shape":[],"data_offsets":[0,4],"extra":[[1]]}}', new Uint8Array(4))))
      .toThrow(/^safetensors: header is nested more than 3 levels deep/);
    const rank = (r: number) => rawFile(`{"w":{"dtype":"F32","shape":[${Array(r).fill(1).join(",")}],"data_offsets":[0,4]}}`, new Uint8Array(4));
    expect(decodeSafetensors(rank(64)).tensors.w.shape).toHaveLength(64);
    expect(() => decodeSafetensors(rank(65))).toThrow(/^safetensors: header holds an array of 65 elements; shapes have at most 64 dimensions$/);
  });

  it("readSafetensorsHeader reads the prefix and the header only; readTensors reads the data", () => {
    const file = encodeSafetensors({ a: f32([2], [1, 2]), b: f32([3], [3, 4, 5]) });
    let read = 0;
    const inner = bytesSource(file);
    const header = readSafetensorsHeader({ size: file.length, read: (offset, target) => { read += target.length; inner.read(offset, target); } });
    expect(header.shapes).toEqual({ a: [2], b: [3] });
    expect(read).toBe(8 + headerLength(file));
    expect([...header.readTensors().b.data]).toEqual([3, 4, 5]);
    expect(read).toBe(file.length);
  });
});

describe("messages about names read from a file", () => {
  it("a megabyte tensor name or dtype is cut and escaped in the message, not copied whole", () => {
    const long = `\u001b[2J\u202e${"n".repeat(1_000_000)}`;
    let message = "";
    try {
      decodeSafetensors(rawFile(JSON.stringify({ [long]: { dtype: `x${"d".repeat(1_000_000)}`, shape: [1], data_offsets: [0, 4] } }), new Uint8Array(4)));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^.*tensor "\\u001b\[2J\\u202en+"… has unknown dtype "xd+"…; only F32 is supported$/);
    expect(message.length).toBeLessThan(400);
  });
});
