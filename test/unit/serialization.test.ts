// The loader: serializeNet/deserializeNet (browser-clean bytes), checksums, hostile files, the fuzzer,
// and saveNet's file handling (directories, stale temp files of killed saves).
import { describe, expect, it } from "vitest";
import { buildSync } from "esbuild";
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { tempPathFor } from "../../src/node/atomicWrite.js";
import { self } from "../../src/node/fileOwner.js";
import {
  attentionLayer, decodeSafetensors, deserializeNet, encodeSafetensors, fullyConnectedLayer, layerNormalizationLayer, loadNet, netChain, netGraph,
  sequenceAttentionLayer,
  Random, saveNet, selfAttentionLayer, sequenceInputLayer, serializeNet, softmaxLayer, Tensor, type Layer, type NamedArrayLike,
} from "../helpers/loaderImports.js";
import { tempDir } from "../helpers/tempDir.js";

const smallNet = () =>
  netChain([
    sequenceInputLayer(3, { normalization: "zscore", mean: [0.5, -1, 2], standardDeviation: [1.1, 2, 0.7] }),
    selfAttentionLayer(2, 4), layerNormalizationLayer(), fullyConnectedLayer(2), softmaxLayer(),
  ]).initialize({ seed: 1 });

const input = new Tensor(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), [4, 3]);
const predictions = (net: unknown) => [...((net as { predict(x: Tensor): Tensor }).predict(input)).data];

/** Re-encodes a file after editing its decoded tensors and metadata (keeps whatever checksums remain). */
function rewrite(bytes: Uint8Array, edit: (tensors: Record<string, NamedArrayLike>, metadata: Record<string, string>) => void): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const t = { ...tensors }, m = { ...metadata };
  edit(t, m);
  return encodeSafetensors(t, m);
}

const withoutChecksums = (bytes: Uint8Array) => rewrite(bytes, (_, m) => { delete m.config_crc32; delete m.tensors_crc32; });

describe("serializeNet / deserializeNet", () => {
  it("round trip gives identical predictions; saveNet writes exactly serializeNet's bytes", () => {
    const net = smallNet();
    const bytes = serializeNet(net);
    expect(predictions(deserializeNet(bytes))).toEqual(predictions(net));
    expect(predictions(deserializeNet(bytes.slice().buffer))).toEqual(predictions(net)); // an ArrayBuffer too
    const dir = tempDir("loader");
    saveNet(net, join(dir, "n.safetensors"));
    expect([...readFileSync(join(dir, "n.safetensors"))]).toEqual([...bytes]);
  });

  it("a net with Bilinear attention layers round-trips, and shows their weights in learnableShapes and summary()", () => {
    const net = netGraph({
      inputs: ["in", "q"],
      nodes: { ia: sequenceInputLayer(3), iq: sequenceInputLayer(2), att: attentionLayer("Bilinear"), seq: sequenceAttentionLayer("Bilinear") },
      edges: [["in", "ia"], ["q", "iq"], ["ia", "att/key"], ["ia", "att/value"], ["iq", "att/query"], ["ia", "seq/input"], ["iq", "seq/query"]],
      outputs: { a: "att", s: "seq" },
    });
    expect(net.nodes.att.learnableShapes).toEqual({ weights: undefined }); // declared before the sizes are known
    net.initialize({ seed: 4 });
    expect(net.learnableShapes).toEqual({ "att/weights": [2, 3], "seq/weights": [2, 3] });
    expect(net.summary()).toMatch(/^netGraph: 4 layers, 12 learnables/);
    const x = { in: new Tensor(Float32Array.from({ length: 6 }, (_, i) => Math.cos(i)), [1, 2, 3]), q: new Tensor(Float32Array.of(1, -1), [1, 1, 2]) };
    const back = deserializeNet<typeof net>(serializeNet(net));
    expect(back.predict(x)).toEqual(net.predict(x));
  });

  it("bytes are stable over round trips, with \"auto\" sizes written as resolved", () => {
    const nets: [string, Layer][] = [
      ["selfAttentionLayer with every size auto, in a chain", netChain([sequenceInputLayer(3), selfAttentionLayer(2, 4), fullyConnectedLayer(2), layerNormalizationLayer()]).initialize({ seed: 2 })],
      ["selfAttentionLayer alone, auto outputSize", selfAttentionLayer(1, 2, { numValueChannels: 4 }).initialize({ inputSize: 5, seed: 3 })],
      ["selfAttentionLayer with set sizes", selfAttentionLayer(2, 4, { outputSize: 3, numValueChannels: 6, inputSize: 5 }).initialize({ seed: 4 })],
      ["the test net", smallNet()],
    ];
    for (const [what, net] of nets) {
      const first = serializeNet(net);
      const second = serializeNet(deserializeNet(first));
      expect(Buffer.from(second).equals(Buffer.from(first)), what).toBe(true);
      expect(Buffer.from(serializeNet(deserializeNet(second))).equals(Buffer.from(first)), `${what}, twice`).toBe(true);
    }
    const config = JSON.parse(decodeSafetensors(serializeNet(nets[1][1])).metadata.config);
    expect(config.args[2]).toMatchObject({ outputSize: 5, inputSize: 5, numValueChannels: 4 });
    // an uninitialized layer's config keeps "auto" (nothing is known yet)
    expect(selfAttentionLayer(1, 2).config().args[2]).toMatchObject({ outputSize: "auto", inputSize: "auto" });
  });

  it("is browser-clean: src/nets/serializeNet.ts bundles for the browser with no node:* import and no process", () => {
    const { outputFiles } = buildSync({ entryPoints: ["src/nets/serializeNet.ts"], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent" });
    const code = outputFiles[0].text;
    expect(code).not.toMatch(/from "node:|require\("node:/);
    expect(code).not.toMatch(/\bprocess\./);
  });

  it("writes CRC-32 checksums of the config and the tensors into __metadata__", () => {
    const { metadata } = decodeSafetensors(serializeNet(smallNet()));
    expect(metadata.config_crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(metadata.tensors_crc32).toMatch(/^[0-9a-f]{8}$/);
  });

  it("refuses a flipped bit in the tensor data or the config, naming the corrupt part", () => {
    const bytes = serializeNet(smallNet());
    const data = bytes.slice();
    data[data.length - 5] ^= 0x01; // a low mantissa bit of the last weight: a plausible number, so only the checksum sees it
    expect(() => deserializeNet(data)).toThrow(/^deserializeNet: checksum mismatch: the tensor data is corrupt/);
    const config = rewrite(bytes, (_, m) => { m.config = m.config.replace("1.100000023841858", "1.1000600000000001"); });
    expect(() => deserializeNet(config)).toThrow(/^deserializeNet: checksum mismatch: the config is corrupt/);
  });

  it("a checksum key renamed by a flipped byte does not switch verification off", () => {
    const bytes = serializeNet(smallNet());
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf("tensors_crc32");
    const m = bytes.slice();
    m[at + 3] ^= 0x1a; // "tensors_crc32" → "tenIors_crc32"
    m[m.length - 5] ^= 0x01; // and a flipped bit in the data
    expect(() => deserializeNet(m)).toThrow(/^deserializeNet: metadata key "ten.ors_crc32" looks like a corrupted "tensors_crc32"/);
  });

  it("files without checksums (other writers) still load", () => {
    const net = smallNet();
    expect(predictions(deserializeNet(withoutChecksums(serializeNet(net))))).toEqual(predictions(net));
  });

  it("checks the config against the weights before returning a net", () => {
    // selfAttention weights for 8 channels behind sequenceInputLayer(12): refused at load, not at predict
    const eight = netChain([sequenceInputLayer(8), selfAttentionLayer(4, 8), fullyConnectedLayer(2)]).initialize({ seed: 2 });
    const edited = rewrite(withoutChecksums(serializeNet(eight)), (_, m) => { m.config = m.config.replace('"args":[8,', '"args":[12,'); });
    expect(() => deserializeNet(edited)).toThrow(/^deserializeNet: the weights do not fit the net's sizes: .*12/);
    const missing = rewrite(withoutChecksums(serializeNet(eight)), (t) => { delete t["2/queryWeights"]; });
    expect(() => deserializeNet(missing)).toThrow(/^deserializeNet: the file lacks parameters of the net/);
  });

  it("hostile names and configs: __proto__, inherited names, deep nesting, wrong types", () => {
    const bytes = withoutChecksums(serializeNet(smallNet()));
    const proto = rewrite(bytes, (t) => { Object.defineProperty(t, "__proto__", { value: { dtype: "F32", shape: [1], data: new Float32Array(1) }, enumerable: true }); });
    expect(decodeSafetensors(proto).tensors).toHaveProperty(["__proto__"]);
    expect(() => deserializeNet(proto)).toThrow(/^deserializeNet: tensor "__proto__" \[1\] does not fit the net: .*unknown parameter/);
    const setConfig = (config: unknown) => rewrite(bytes, (_, m) => { m.config = JSON.stringify(config); });
    expect(() => deserializeNet(setConfig({ kind: "toString", args: [] }))).toThrow(/^deserializeNet: the config does not describe a valid net: unknown layer kind "toString"/);
    expect(() => deserializeNet(setConfig({ kind: "netChain", args: [null] }))).toThrow(/^deserializeNet: the config does not describe a valid net: netChain config needs an array/);
    expect(() => deserializeNet(setConfig({ kind: "netGraph", args: [{ nodes: {}, edges: [["input", "toString"]] }] }))).toThrow(/^deserializeNet: .*no node "toString"/);
    expect(() => deserializeNet(setConfig(null))).toThrow(/^deserializeNet: the config does not describe a valid net: malformed layer config/);
    // a kind or config string from the file is quoted printable and cut short: a megabyte of it (or a bidi
    // control) never reaches the message whole
    const long = "x".repeat(1_000_000);
    for (const config of [{ kind: `\u202e${long}`, args: [] }, long, { kind: "netChain", args: [[long]] }]) {
      const message = (() => { try { deserializeNet(setConfig(config)); } catch (e) { return (e as Error).message; } return ""; })();
      expect(message).toMatch(/^deserializeNet: the config does not describe a valid net: (unknown layer kind|malformed layer config.*got) "(\\u202e)?x{70,80}"… \(100000[01] characters\)/);
      expect(message.length).toBeLessThan(1000);
    }
    const deep = rewrite(bytes, (_, m) => { m.config = "[".repeat(10_000) + "]".repeat(10_000); });
    expect(() => deserializeNet(deep)).toThrow(/^deserializeNet: the config is nested more than \d+ levels deep/);
    expect(() => deserializeNet("abc" as never)).toThrow(/^deserializeNet: expected the bytes of a net file/);
    expect(() => deserializeNet(rewrite(bytes, (_, m) => { m.format = "pt"; }))).toThrow(/^deserializeNet: not written by saveNet\/serializeNet \(format "pt"/);
  });

  it("a deeply nested value in the safetensors header is refused clearly (no stack overflow)", () => {
    const bytes = serializeNet(smallNet());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n)).replace(/"shape":\[[0-9,]*\]/, `"shape":${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    const json = new TextEncoder().encode(header);
    const file = new Uint8Array(8 + json.length + bytes.length - 8 - n);
    new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
    file.set(json, 8);
    file.set(bytes.subarray(8 + n), 8 + json.length);
    expect(() => deserializeNet(file)).toThrow(/^deserializeNet: not a valid net file: safetensors: header is nested more than 3 levels deep/);
  });

  it("fuzz: every mutant of a saved file loads the identical net or throws a deserializeNet error", () => {
    const net = smallNet();
    const reference = predictions(net);
    const bytes = serializeNet(net);
    const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const random = new Random(10);
    const mutants: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) { // byte flips: half in the header, half in the data
      const m = bytes.slice();
      const at = i % 2 === 0 ? random.int(headerEnd) : headerEnd + random.int(bytes.length - headerEnd);
      m[at] ^= 1 + random.int(255);
      mutants.push(m);
    }
    for (let i = 0; i < 60; i++) mutants.push(bytes.slice(0, random.int(bytes.length)));
    const header = new TextDecoder().decode(bytes.subarray(8, headerEnd));
    const withHeader = (text: string) => { // a header edit, re-framed with a correct length prefix
      const json = new TextEncoder().encode(text);
      const out = new Uint8Array(8 + json.length + bytes.length - headerEnd);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      out.set(bytes.subarray(headerEnd), 8 + json.length);
      return out;
    };
    for (let i = 0; i < 140; i++) { // replace one digit, or one character, of the header text
      const digits = [...header.matchAll(/\d/g)].map((m) => m.index!);
      const at = i % 2 === 0 ? digits[random.int(digits.length)] : random.int(header.length);
      const replacement = i % 2 === 0 ? String(random.int(10)) : '{}[]",:0a\\ '[random.int(11)];
      mutants.push(withHeader(header.slice(0, at) + replacement + header.slice(at + 1)));
    }
    let loaded = 0, refused = 0;
    for (const m of mutants) {
      let result: unknown;
      try {
        result = deserializeNet(m);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^deserializeNet: /);
        refused++;
        continue;
      }
      expect(predictions(result)).toEqual(reference);
      loaded++;
    }
    expect(loaded + refused).toBe(500);
    expect(refused).toBeGreaterThan(400); // nearly every mutant is caught; the rest are harmless (e.g. padding)
  });
});

describe("saveNet / loadNet files", () => {
  const dir = tempDir("savenet");

  it("a directory as the target is a clear error and writes no temp file anywhere", () => {
    const target = join(dir, "sub");
    mkdirSync(target);
    expect(() => saveNet(smallNet(), target)).toThrow(/^saveNet .*sub: cannot write the file: .*is a directory/);
    expect(readdirSync(dir)).toEqual(["sub"]);
    expect(readdirSync(target)).toEqual([]);
    expect(() => loadNet(target)).toThrow(/^loadNet .*sub: cannot read the file: it is a directory/);
    expect(() => saveNet(smallNet(), join(dir, "missing", "x.safetensors"))).toThrow(/^saveNet .*x\.safetensors: cannot write the file: the directory .*missing does not exist$/);
    expect(() => saveNet(smallNet(), 5 as never)).toThrow(/^saveNet: path must be a non-empty string, got number/);
  });

  it("removes temp files that killed saves of the same target left behind", () => {
    const deadPid = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
    const target = join(dir, "net.safetensors");
    const stale = [basename(tempPathFor(target, { ...self, pid: deadPid })), basename(tempPathFor(target, { ...self, pid: deadPid, thread: 3 }))];
    const other = basename(tempPathFor(join(dir, "other.safetensors"), { ...self, pid: deadPid })); // another target's: left alone
    for (const f of [...stale, other]) writeFileSync(join(dir, f), "partial");
    saveNet(smallNet(), target);
    for (const f of stale) expect(existsSync(join(dir, f))).toBe(false);
    expect(existsSync(join(dir, other))).toBe(true);
    expect(predictions(loadNet(target))).toEqual(predictions(smallNet()));
  });

  it("kill -9 during saves: the file is always intact, and the next save leaves no temp file", async () => {
    const target = join(dir, "killed.safetensors");
    // the child runs the library from src (bundled here, so the unit tier needs no build of dist)
    const entry = join(tempDir("savenet-child"), "library.mjs");
    buildSync({ entryPoints: [fileURLToPath(new URL("../../src/node/index.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", outfile: entry, logLevel: "silent" });
    const child = `import { saveNet, netChain, sequenceInputLayer, fullyConnectedLayer } from ${JSON.stringify(entry)};
      const net = netChain([sequenceInputLayer(300), fullyConnectedLayer(300)]).initialize({ seed: 1 });
      for (;;) saveNet(net, ${JSON.stringify(target)});`;
    for (let round = 0; round < 4; round++) {
      const p = spawn(process.execPath, ["--input-type=module", "-e", child], { stdio: "ignore" });
      const deadline = Date.now() + 20_000;
      while (!existsSync(target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 30 + 40 * round));
      p.kill("SIGKILL");
      await new Promise((r) => p.once("exit", r));
      expect(loadNet(target).parameters["2/weights"].shape).toEqual([300, 300]); // intact: a whole earlier save
    }
    saveNet(smallNet(), target);
    expect(readdirSync(dir).filter((f) => f.startsWith(".killed.safetensors."))).toEqual([]);
    expect(predictions(loadNet(target))).toEqual(predictions(smallNet()));
  }, 60_000);

  it("load errors name loadNet and the path", () => {
    const path = join(dir, "flipped.safetensors");
    const bytes = serializeNet(smallNet());
    bytes[bytes.length - 1] ^= 0x40;
    writeFileSync(path, bytes);
    expect(() => loadNet(path)).toThrow(new RegExp(`^loadNet ${path.replace(/[.\\/]/g, "\\$&")}: checksum mismatch`));
  });
});
