// Hostile and broken net files (issue 15, points 2 and 7): every one is refused with a clear message, at a
// cost bounded by what the file legitimately holds. Costs are counted, not timed: the bytes loadNet reads
// (node:fs readSync is wrapped), the bytes decodeNet asks of its source, the text JSON.parse is given.
// A wall-clock limit of 5 s per refusal is only a backstop.
import { afterEach, describe, expect, it, vi } from "vitest";
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import {
  additionLayer, decodeSafetensors, deserializeNet, encodeSafetensors, exportPyTorch, fullyConnectedLayer, importPyTorchWeights,
  loadNet, netChain, netGraph, saveNet, sequenceInputLayer, serializeNet, Tensor, type Layer,
} from "../helpers/loaderImports.js";
import { decodeNet, MAX_CONFIG_DEPTH, NET_FORMAT } from "../../src/nets/serializeNet.js";
import { bytesSource, type ByteSource } from "../../src/nets/safetensors.js";
import { tempDir } from "../helpers/tempDir.js";

// Every byte loadNet reads goes through readSync: count them.
const fsReads = vi.hoisted(() => ({ bytes: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const readSync = ((...args: Parameters<typeof fs.readSync>) => {
    const n = (fs.readSync as (...a: unknown[]) => number)(...args);
    fsReads.bytes += n;
    return n;
  }) as typeof fs.readSync;
  return { ...fs, readSync, default: { ...fs, readSync } };
});

// editDistance (the corrupted-metadata-key check) costs the product of its arguments' lengths: record the longest.
const editDistanceCalls = vi.hoisted(() => ({ longest: 0 }));
vi.mock("../../src/util/validate.js", async (importOriginal) => {
  const validate = await importOriginal<typeof import("../../src/util/validate.js")>();
  return { ...validate, editDistance: (a: string, b: string) => {
    editDistanceCalls.longest = Math.max(editDistanceCalls.longest, a.length, b.length);
    return validate.editDistance(a, b);
  } };
});

const dir = tempDir("hostile");
afterEach(() => vi.restoreAllMocks());

/** A net file holding `config` and no tensors (as another tool could write it: no checksums). */
const netFile = (config: unknown, tensors: Parameters<typeof encodeSafetensors>[0] = {}) =>
  encodeSafetensors(tensors, { format: NET_FORMAT, config: typeof config === "string" ? config : JSON.stringify(config) });

/** A file framed around a raw header text (no padding) and `data`. */
function framed(header: string, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** A source over `bytes` that counts what is read from it. */
function countingSource(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const inner = bytesSource(bytes);
  const source = { size: inner.size, bytesRead: 0, read(offset: number, target: Uint8Array) { source.bytesRead += target.length; inner.read(offset, target); } };
  return source;
}

/** Runs `fn`, which must throw matching `message`; returns the error and the texts JSON.parse was given meanwhile. */
function refusal(fn: () => unknown, message: RegExp): { parsed: string[]; error: Error } {
  const parse = vi.spyOn(JSON, "parse");
  const started = Date.now();
  let error: Error | undefined;
  try {
    fn();
  } catch (e) {
    error = e as Error;
  }
  expect(Date.now() - started).toBeLessThan(5000); // backstop only
  expect(error?.message).toMatch(message);
  expect(error!.message.length).toBeLessThan(1000);
  const parsed = parse.mock.calls.map(([text]) => String(text));
  parse.mockRestore();
  return { parsed, error: error! };
}

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

describe("size-like values in a config are bounded before anything is allocated", () => {
  it("additionLayer(1e8) in a 168-byte file is refused before its ports are built", () => {
    const file = netFile({ kind: "additionLayer", args: [1e8, { name: "" }] });
    expect(file.length).toBeLessThan(200);
    const { error } = refusal(() => deserializeNet(file), /^deserializeNet: the config does not describe a valid net: additionLayer: numInputs 100000000 exceeds what the file can wire: 1024 input ports remain/);
    expect(error.message).not.toMatch(/in1, in2/);
    // 2^32 and a chain are refused the same way, with short messages
    refusal(() => deserializeNet(netFile({ kind: "additionLayer", args: [2 ** 32, {}] })), /numInputs 4294967296 exceeds/);
    refusal(() => deserializeNet(netFile({ kind: "netChain", args: [[{ kind: "additionLayer", args: [3e7, {}] }], {}] })), /numInputs 30000000 exceeds/);
    // concatenationLayer, the other merge layer, draws on the same budget
    refusal(() => deserializeNet(netFile({ kind: "concatenationLayer", args: [3, 1e8, {}] })), /^deserializeNet: the config does not describe a valid net: concatenationLayer: numInputs 100000000 exceeds what the file can wire: 1024 input ports remain/);
    const mixed = { a: { kind: "additionLayer", args: [1000, {}] }, c: { kind: "concatenationLayer", args: [3, 1000, {}] } };
    refusal(() => deserializeNet(netFile({ kind: "netGraph", args: [{ nodes: mixed, edges: [] }] })), /concatenationLayer: numInputs 1000 exceeds what the file can wire: \d+ input ports remain/);
  });

  it("additionLayer takes at most 1024 inputs, whatever builds it", () => {
    expect(() => additionLayer(1025)).toThrow(/^additionLayer: numInputs must be at most 1024, got 1025$/);
    expect(additionLayer(1024).inputNames).toHaveLength(1024);
    refusal(() => deserializeNet(netFile({ kind: "additionLayer", args: [1025, {}] })), /^deserializeNet: the config does not describe a valid net: additionLayer: numInputs 1025 exceeds/);
    expect(deserializeNet<Layer>(netFile({ kind: "additionLayer", args: [1024, {}] })).inputNames).toHaveLength(1024); // a lone one loads
  });

  it("a file's additionLayers together declare no more ports than it has arrays (each port needs an edge)", () => {
    // 300 nodes of additionLayer(1000) and no edges: 300,000 ports in a 12 KB config; the second node is refused
    const nodes = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`a${i}`, { kind: "additionLayer", args: [1000, {}] }]));
    refusal(() => deserializeNet(netFile({ kind: "netGraph", args: [{ nodes, edges: [] }] })), /additionLayer: numInputs 1000 exceeds what the file can wire: \d+ input ports remain/);
    // a real graph with wide additions saves and loads
    const edges: [string, string][] = [["input", "fc"]];
    const wide: Record<string, Layer> = { fc: fullyConnectedLayer(2) };
    for (let k = 0; k < 3; k++) {
      wide[`add${k}`] = additionLayer(600);
      for (let i = 1; i <= 600; i++) edges.push(["fc", `add${k}/in${i}`]);
    }
    const graph = netGraph({ nodes: wide, edges, inputs: ["input"], outputs: { a: "add0", b: "add1", c: "add2" } }).initialize({ inputSize: 3, seed: 1 });
    expect(Object.keys(deserializeNet<Layer>(serializeNet(graph)).parameters)).toEqual(["fc/weights", "fc/bias"]);
  });

  it("a config of too many arrays and objects, or too long, is refused before JSON.parse", () => {
    const many = `[${"[],".repeat(200_000)}[]]`;
    const { parsed } = refusal(() => deserializeNet(netFile(many)), /^deserializeNet: the config holds 200002 arrays and objects, above the limit of 100000$/);
    expect(parsed).not.toContain(many); // the config text itself never reached JSON.parse
    const long = `${" ".repeat(4_000_000)}{}`;
    expect(refusal(() => deserializeNet(netFile(long)), /^deserializeNet: the config is 4000002 characters long, above the 4000000-character limit$/).parsed).not.toContain(long);
  });
});

describe("a net file holds at most 32,768 tensors, counted before JSON.parse", () => {
  it("a 2 MB header of 40,000 empty tensors is refused unparsed", () => {
    const entries = Array.from({ length: 40_000 }, (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    const header = `{"__metadata__":{"format":"${NET_FORMAT}","config":"{}"},${entries.join(",")}}`;
    const { parsed } = refusal(() => deserializeNet(framed(header)), /^deserializeNet: not a valid net file: safetensors: header holds 120002 arrays and objects: more than 32768 tensors$/);
    expect(parsed).toEqual([]);
    expect(Object.keys(decodeSafetensors(framed(header)).tensors)).toHaveLength(40_000); // the plain codec has no such limit
  });
});

describe("metadata keys", () => {
  it("a 10-million-character metadata key is not compared character by character with ours", () => {
    const file = encodeSafetensors({}, { format: NET_FORMAT, config: '{"kind":"reluLayer","args":[]}', ["k".repeat(10_000_000)]: "" });
    editDistanceCalls.longest = 0;
    expect(deserializeNet<Layer>(file).kind).toBe("reluLayer");
    expect(editDistanceCalls.longest).toBeLessThan(100);
    const corrupt = encodeSafetensors({}, { format: NET_FORMAT, config: '{"kind":"reluLayer","args":[]}', config_crcX2: "00000000" });
    expect(() => deserializeNet(corrupt)).toThrow(/^deserializeNet: metadata key "config_crcX2" looks like a corrupted "config_crc32"/); // still caught
  });
});

describe("nesting is refused by a linear scan, before JSON.parse", () => {
  const N = 2_000_000; // 4 MB of brackets (the 45 million fail the same way, at the same cost per byte)
  it("a shape nested 2 million levels deep", () => {
    const header = `{"__metadata__":{"format":"${NET_FORMAT}","config":"{}"},"w":{"dtype":"F32","shape":${deep(N)},"data_offsets":[0,0]}}`;
    const { parsed } = refusal(() => deserializeNet(framed(header)), /^deserializeNet: not a valid net file: safetensors: header is nested more than 3 levels deep/);
    expect(parsed).toEqual([]); // JSON.parse never ran
  });

  it("a nested __metadata__ value", () => {
    const { parsed } = refusal(() => deserializeNet(framed(`{"__metadata__":{"format":"${NET_FORMAT}","x":${deep(N)}}}`)), /header is nested more than 3 levels deep/);
    expect(parsed).toEqual([]);
  });

  it("a nested config string: the header is parsed (a flat object of strings), the config is not", () => {
    const config = deep(N);
    const { parsed } = refusal(() => deserializeNet(netFile(config)), new RegExp(`^deserializeNet: the config is nested more than ${MAX_CONFIG_DEPTH} levels deep$`));
    expect(parsed).not.toContain(config); // the header and its keys only
  });

  it("a shape of more than 64 dimensions (a wide array instead of a deep one)", () => {
    const header = `{"w":{"dtype":"F32","shape":[${Array(1_000_000).fill(0).join(",")}],"data_offsets":[0,0]}}`;
    const { parsed } = refusal(() => decodeSafetensors(framed(header)), /^safetensors: header holds an array of 1000000 elements; shapes have at most 64 dimensions$/);
    expect(parsed).toEqual([]);
  });
});

describe("whatever saveNet writes, loadNet reads: one depth rule for both", () => {
  it("nested netChains: each depth either saves and loads, or is refused by saveNet itself", () => {
    let saved = 0, refused = 0;
    for (let depth = 60; depth <= 70; depth++) {
      let net: Layer = netChain([fullyConnectedLayer(2)]);
      for (let i = 1; i < depth; i++) net = netChain([net]);
      net.initialize({ seed: 1, inputSize: 2 });
      const path = join(dir, `nested${depth}.safetensors`);
      try {
        saveNet(net, path);
      } catch (e) {
        expect((e as Error).message).toMatch(new RegExp(`^saveNet .*: netChain cannot be saved: the config is nested more than ${MAX_CONFIG_DEPTH} levels deep`));
        refused++;
        continue;
      }
      expect(loadNet<Layer>(path).parameters).toHaveProperty(["1/".repeat(depth - 1) + "1/weights"]);
      saved++;
    }
    expect(saved).toBeGreaterThan(0); // 65 nested chains save and load (the case)
    expect(refused).toBeGreaterThan(0);
  });
});

describe("loadNet reads the prefix, the header, then only the bytes the header declares", () => {
  it("refuses devices and FIFOs at once, reading nothing (/dev/zero read until killed before)", () => {
    fsReads.bytes = 0;
    refusal(() => loadNet("/dev/zero"), /^loadNet \/dev\/zero: cannot read the file: it is not a regular file/);
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    refusal(() => loadNet(fifo), /^loadNet .*fifo: cannot read the file: it is not a regular file/); // no writer: must not block
    expect(fsReads.bytes).toBe(0);
  });

  /** A sparse file of `size` bytes that starts with `head`. */
  function sparse(name: string, head: Uint8Array, size: number): string {
    const path = join(dir, name);
    const fd = openSync(path, "w");
    writeSync(fd, head);
    ftruncateSync(fd, size);
    closeSync(fd);
    return path;
  }

  it("a sparse 2.1 GB file: only the prefix and the header are read", () => {
    const config = JSON.stringify(netChain([sequenceInputLayer(2), fullyConnectedLayer(2)]).initialize({ seed: 1 }).config());
    const GB = 2.1e9;
    const cases: [string, string, RegExp][] = [
      ["trailing", `{"__metadata__":{"format":"${NET_FORMAT}","config":${JSON.stringify(config)}}}`, /data buffer has 2099999\d+ trailing bytes/],
      ["unknown tensor", `{"__metadata__":{"format":"${NET_FORMAT}","config":${JSON.stringify(config)}},"junk":{"dtype":"F32","shape":[HUGE],"data_offsets":[0,HUGEBYTES]}}`, /tensor "junk" \[\d+\] does not fit the net: unknown parameter "junk" \(parameters: 2\/weights, 2\/bias\)/],
      ["wrong shape", `{"__metadata__":{"format":"${NET_FORMAT}","config":${JSON.stringify(config)}},"2/bias":{"dtype":"F32","shape":[HUGE],"data_offsets":[0,HUGEBYTES]}}`, /tensor "2\/bias" \[\d+\] does not fit the net: parameter "2\/bias" must have shape \[2\]/],
    ];
    for (const [name, template, message] of cases) {
      // the tensor fills the rest of the file exactly (9-digit count, 10-digit byte end), so the structure is valid
      const length = new TextEncoder().encode(template.replace("HUGEBYTES", "0".repeat(10)).replace("HUGE", "0".repeat(9))).length;
      const pad = (GB - 8 - length) % 4, elements = (GB - 8 - length - pad) / 4;
      const header = template.replace("HUGEBYTES", String(elements * 4)).replace("HUGE", String(elements)) + " ".repeat(pad);
      const path = sparse(`${name}.safetensors`, framed(header), GB);
      fsReads.bytes = 0;
      refusal(() => loadNet(path), new RegExp(`^loadNet .*: (not a valid net file: safetensors: )?${message.source}`));
      expect(fsReads.bytes, name).toBe(8 + new TextEncoder().encode(header).length);
    }
  });

  it("a header length prefix beyond the file, or beyond 16 MB, is refused after reading 8 bytes", () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigUint64(0, 2n ** 63n, true);
    const path = sparse("prefix.safetensors", big, 1e9);
    fsReads.bytes = 0;
    refusal(() => loadNet(path), /header length 9223372036854775808 is larger than the file/);
    new DataView(big.buffer).setBigUint64(0, 40_000_000n, true);
    const path2 = sparse("prefix2.safetensors", big, 1e9);
    refusal(() => loadNet(path2), /header length 40000000 exceeds the 16000000-byte limit/);
    expect(fsReads.bytes).toBe(16);
  });

  it("a valid file is read exactly once, byte for byte", () => {
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(4)]).initialize({ seed: 2 });
    const path = join(dir, "valid.safetensors");
    saveNet(net, path);
    fsReads.bytes = 0;
    const loaded = loadNet<Layer>(path);
    expect(fsReads.bytes).toBe(serializeNet(net).length);
    expect([...loaded.parameters["2/weights"].data]).toEqual([...net.parameters["2/weights"].data]);
  });

  it("deserializeNet reads no tensor data of a file whose tensors do not fit the net", () => {
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(4)]).initialize({ seed: 2 });
    const { metadata } = decodeSafetensors(serializeNet(net));
    const file = encodeSafetensors({ "2/weights": { dtype: "F32", shape: [4, 3], data: new Float32Array(12) }, "3/extra": { dtype: "F32", shape: [1_000_000], data: new Float32Array(1_000_000) } }, { format: NET_FORMAT, config: metadata.config });
    const source = countingSource(file);
    expect(() => decodeNet(source, "test: ")).toThrow(/^test: tensor "3\/extra" \[1000000\] does not fit the net: unknown parameter/);
    expect(source.bytesRead).toBeLessThan(1000);
  });
});

describe("messages that list names list a few, then count the rest", () => {
  it("importPyTorchWeights with 10,000 extra tensors", () => {
    const net = netChain([sequenceInputLayer(2), fullyConnectedLayer(2)]).initialize({ seed: 1 });
    const { tensors } = decodeSafetensors(exportPyTorch(net).weights);
    const extra = { ...tensors };
    for (let i = 0; i < 10_000; i++) extra[`extra.t${i}`] = { dtype: "F32", shape: [1], data: new Float32Array(1) };
    const { error } = refusal(() => importPyTorchWeights(net, encodeSafetensors(extra)), /^importPyTorchWeights: the file does not fit netChain: unexpected extra\.t0, extra\.t1, .*, … and 9992 more \(expected: /);
    expect(error.message.length).toBeLessThan(400);
    // a file of more tensors than a net file may hold is refused before its header is parsed
    const entries = Array.from({ length: 40_000 }, (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    const { parsed } = refusal(() => importPyTorchWeights(net, framed(`{${entries.join(",")}}`)), /^importPyTorchWeights: not a valid safetensors file: safetensors: header holds 120001 arrays and objects: more than 32768 tensors$/);
    expect(parsed).toEqual([]);
  });

  it("a netGraph edge to a wide additionLayer, and a file lacking many parameters", () => {
    expect(() => netGraph({ nodes: { add: additionLayer(1000) }, edges: [["input", "add"]] })).toThrow(/has inputs in1, in2, in3, in4, in5, in6, in7, in8, … and 992 more; name one as "add\/port"$/);
    const layers = [sequenceInputLayer(2), ...Array.from({ length: 20 }, () => fullyConnectedLayer(2))];
    const file = netFile(netChain(layers).initialize({ seed: 1 }).config());
    refusal(() => deserializeNet(file), /^deserializeNet: the file lacks parameters of the net: 2\/weights, 2\/bias, 3\/weights, 3\/bias, 4\/weights, 4\/bias, 5\/weights, 5\/bias, … and 32 more \(it holds no tensors\)$/);
  });
});

describe("weights that are not finite, a missing bias, a zero size", () => {
  const net = () => netChain([sequenceInputLayer(3), fullyConnectedLayer(2)]).initialize({ seed: 3 });

  it("deserializeNet refuses NaN and ±Infinity, naming the tensor; serializeNet refuses to write them", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const n = net();
      const good = serializeNet(n);
      const { tensors, metadata } = decodeSafetensors(good);
      const weights = Float32Array.from(tensors["2/weights"].data);
      weights[4] = bad;
      delete metadata.tensors_crc32;
      const file = encodeSafetensors({ ...tensors, "2/weights": { dtype: "F32", shape: [2, 3], data: weights } }, metadata);
      refusal(() => deserializeNet(file), new RegExp(`^deserializeNet: tensor "2/weights" \\[2, 3\\] holds ${String(bad).replace("+", "")} at element 4; weights must be finite$`));
      n.setParameter("2/weights", new Tensor(weights, [2, 3]));
      expect(() => serializeNet(n)).toThrow(new RegExp(`^serializeNet: netChain cannot be saved: parameter "2/weights" \\[2, 3\\] holds ${bad} at element 4`));
    }
  });

  it("importPyTorchWeights refuses NaN and ±Infinity, naming the tensor, and changes nothing", () => {
    const n = net();
    const before = [...n.parameters["2/bias"].data];
    const { tensors } = decodeSafetensors(exportPyTorch(n).weights);
    const name = Object.keys(tensors).find((k) => k.endsWith("bias"))!;
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = Float32Array.from(tensors[name].data);
      data[1] = bad;
      expect(() => importPyTorchWeights(n, encodeSafetensors({ ...tensors, [name]: { dtype: "F32", shape: tensors[name].shape, data } })))
        .toThrow(new RegExp(`^importPyTorchWeights: tensor "${name.replace(".", "\\.")}" of node .* holds ${bad} at element 1; weights must be finite$`));
    }
    expect([...n.parameters["2/bias"].data]).toEqual(before);
  });

  it("a missing bias is named", () => {
    const { tensors, metadata } = decodeSafetensors(serializeNet(net()));
    delete metadata.tensors_crc32;
    const { "2/bias": _bias, ...rest } = tensors;
    refusal(() => deserializeNet(encodeSafetensors(rest, metadata)), /^deserializeNet: the file lacks parameters of the net: 2\/bias \(it holds 2\/weights\)$/);
  });

  it("a node name from the file is quoted printable in these messages too, as in the others", () => {
    const hostile = netChain([sequenceInputLayer(3), fullyConnectedLayer(2, { name: "fc\u001b[2J\n" })]).initialize({ seed: 3 });
    const { tensors, metadata } = decodeSafetensors(serializeNet(hostile));
    delete metadata.tensors_crc32;
    const name = "fc\u001b[2J\n/weights", weights = Float32Array.from(tensors[name].data);
    weights[0] = NaN;
    refusal(() => deserializeNet(encodeSafetensors({ ...tensors, [name]: { dtype: "F32", shape: [2, 3], data: weights } }, metadata)),
      /^deserializeNet: tensor "fc\\u001b\[2J\\n\/weights" \[2, 3\] holds NaN at element 0; weights must be finite$/);
    const { [name]: _weights, ...rest } = tensors;
    refusal(() => deserializeNet(encodeSafetensors(rest, metadata)), /^deserializeNet: the file lacks parameters of the net: fc\\u001b\[2J\\n\/weights \(it holds fc\\u001b\[2J\\n\/bias\)$/);
  });

  it("fullyConnectedLayer weights [5, 0] are refused, naming the layer, the parameter and the shape", () => {
    const file = netFile({ kind: "fullyConnectedLayer", args: [5, { name: "fc" }] }, {
      weights: { dtype: "F32", shape: [5, 0], data: new Float32Array(0) }, bias: { dtype: "F32", shape: [5], data: new Float32Array(5) },
    });
    refusal(() => deserializeNet(file), /^deserializeNet: tensor "weights" \[5, 0\] does not fit the net: fullyConnectedLayer "fc": parameter "weights" must have positive sizes, got shape \[5, 0\]$/);
    expect(() => fullyConnectedLayer(5, { name: "fc" }).setParameter("weights", new Tensor(new Float32Array(0), [5, 0]))).toThrow(/^fullyConnectedLayer "fc": parameter "weights" must have positive sizes, got shape \[5, 0\]$/);
  });
});
