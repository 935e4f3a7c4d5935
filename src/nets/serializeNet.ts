// serializeNet / deserializeNet: a net as the bytes of one safetensors file, anywhere (browser, database,
// Node). The weights are its F32 tensors, named "node/parameter"; the __metadata__ holds
//   format          "attention-layers/net@1"
//   config          the net's config as JSON (constructor arguments, see Layer.config())
//   config_crc32    CRC-32 of the config's UTF-8 bytes (8 hex digits)
//   tensors_crc32   CRC-32 over the tensors in name order: for each, `"name":[shape];` in UTF-8, then its
//                   little-endian float32 bytes (independent of the file layout, so a file re-saved by
//                   another safetensors writer keeps a valid checksum)
//   text_encoder, text_encoder_crc32   only for a net with a textEncoder: its toConfig() as JSON and the
//                   CRC-32 of that text (a net without one is written exactly as before)
// Loading checks everything before it returns: the safetensors structure, the format, the checksums (when
// present: files from other writers without them still load), the config's extent (checkConfigExtent, the
// same rule serializeNet applies, so whatever saves loads) before it is parsed, its form, every tensor's
// name and shape against the net before any tensor data is read, finite values (serializeNet refuses others
// too), and the channel sizes through the net. Every error starts with "deserializeNet: " (or
// "loadNet <path>: " when loadNet calls it). No node:* imports here.
import { MAX_MERGE_INPUTS } from "../layers/mergeLayer.js";
import { Layer, type LayerConfig } from "../layers/layer.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { editDistance } from "../util/validate.js";
import { Crc32 } from "../util/crc32.js";
import { printable, quote } from "../util/text.js";
import { jsonExtent } from "../util/jsonExtent.js";
import { listNames } from "../util/listNames.js";
import { layerFromConfig } from "./layerRegistry.js";
import { CharacterEncoder, MAX_VOCABULARY } from "../text/characterEncoder.js";
import { NetGraph } from "./netGraph.js";
import { type ByteSource, bytesSource, encodeSafetensors, type NamedArray, readSafetensorsHeader, type SafetensorsHeader } from "./safetensors.js";

export const NET_FORMAT = "attention-layers/net@1";
const METADATA_KEYS = ["format", "config", "config_crc32", "tensors_crc32", "text_encoder", "text_encoder_crc32"];
/** Longest saved text encoder (characters): MAX_VOCABULARY characters, each JSON-escaped as at most 12, and the rest. */
const MAX_TEXT_ENCODER_LENGTH = 12 * MAX_VOCABULARY + 100;
/** Deepest config nesting accepted (a real net needs about 10 levels per nested netGraph, 3 per netChain). */
export const MAX_CONFIG_DEPTH = 200;
/** Most arrays and objects in one config (a layer takes 2 or 3, an edge 1): about 30,000 layers. */
export const MAX_CONFIG_CONTAINERS = 100_000;
/** Longest config text (characters). */
export const MAX_CONFIG_LENGTH = 4_000_000;
/** Largest header of a net file (bytes): the config, JSON-escaped, and the tensor entries. */
export const MAX_NET_HEADER_SIZE = 16_000_000;
/** Most tensors (parameters) in a net file. */
export const MAX_NET_TENSORS = 32_768;

/**
 * The one rule for the extent of a config, which serializeNet applies before writing and deserializeNet
 * before JSON.parse (a linear scan, no recursion): the limit a config breaks, if any, and its arrays and
 * objects (which bound the merge layers' input ports a file may declare). Together these
 * bound what parsing and building a config can cost (about 100 MB at the limits).
 */
export function checkConfigExtent(text: string): { problem?: string; containers: number } {
  if (text.length > MAX_CONFIG_LENGTH) return { problem: `the config is ${text.length} characters long, above the ${MAX_CONFIG_LENGTH}-character limit`, containers: 0 };
  const { depth, containers } = jsonExtent(text, MAX_CONFIG_DEPTH);
  if (depth > MAX_CONFIG_DEPTH) return { problem: `the config is nested more than ${MAX_CONFIG_DEPTH} levels deep`, containers };
  if (containers > MAX_CONFIG_CONTAINERS) return { problem: `the config holds ${containers} arrays and objects, above the limit of ${MAX_CONFIG_CONTAINERS}`, containers };
  return { containers };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = (s: string) => new TextEncoder().encode(s);

function littleEndianBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return out;
}

function tensorsChecksum(tensors: Record<string, NamedArray>): string {
  const crc = new Crc32();
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    crc.update(utf8(`${JSON.stringify(name)}:[${t.shape.join(",")}];`)).update(littleEndianBytes(t.data));
  }
  return crc.hex();
}

const textChecksum = (text: string) => new Crc32().update(utf8(text)).hex();

/** The index of the first NaN or ±Infinity in `data`, or -1. */
export function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** The safetensors bytes of an initialized net; `where` names the caller in errors. */
export function encodeNet(net: Layer, where: string): Uint8Array {
  if (!(net instanceof Layer)) throw new Error(`${where}: expected a layer or net, got ${net === null ? "null" : typeof net}`);
  if (!net.isInitialized) throw new Error(`${where}: ${net.label} is not initialized; train it, apply it to data or call initialize() first`);
  const tensors: Record<string, NamedArray> = Object.create(null);
  const parameters = Object.entries(net.parameters);
  if (parameters.length > MAX_NET_TENSORS) throw new Error(`${where}: ${net.label} cannot be saved: it has ${parameters.length} parameters, above the limit of ${MAX_NET_TENSORS} tensors in a net file`);
  for (const [name, t] of parameters) {
    const bad = firstNonFinite(t.data);
    if (bad >= 0) throw new Error(`${where}: ${net.label} cannot be saved: parameter "${name}" ${formatShape(t.shape)} holds ${t.data[bad]} at element ${bad} (loading refuses weights that are not finite)`);
    tensors[name] = { dtype: "F32", shape: [...t.shape], data: t.data };
  }
  const config = JSON.stringify(net.config());
  const tooLarge = checkConfigExtent(config).problem;
  if (tooLarge !== undefined) throw new Error(`${where}: ${net.label} cannot be saved: ${tooLarge} (loading refuses such a file: the limits bound what loading any file costs)`);
  const metadata: Record<string, string> = { format: NET_FORMAT, config, config_crc32: textChecksum(config), tensors_crc32: tensorsChecksum(tensors) };
  const encoder = net instanceof NetGraph ? net.textEncoder : undefined;
  if (encoder !== undefined) {
    metadata.text_encoder = JSON.stringify(encoder.toConfig());
    metadata.text_encoder_crc32 = textChecksum(metadata.text_encoder);
  }
  const bytes = encodeSafetensors(tensors, metadata);
  const headerSize = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerSize > MAX_NET_HEADER_SIZE) throw new Error(`${where}: ${net.label} cannot be saved: its header would be ${headerSize} bytes, above the ${MAX_NET_HEADER_SIZE}-byte limit of net files`);
  return bytes;
}

/** serializeNet(net): the bytes saveNet writes (safetensors with the config and checksums in __metadata__). */
export function serializeNet(net: Layer): Uint8Array {
  return encodeNet(net, "serializeNet");
}

/** Rebuilds a net from serializeNet's bytes (or a saveNet file's contents); throws "deserializeNet: …". */
export function deserializeNet<T extends Layer = Layer>(bytes: Uint8Array | ArrayBuffer): T {
  const input = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(input instanceof Uint8Array)) throw new Error(`deserializeNet: expected the bytes of a net file (Uint8Array or ArrayBuffer), got ${input === null ? "null" : typeof input}`);
  return decodeNet(bytesSource(input), "deserializeNet: ") as T;
}

/** The decoding behind deserializeNet and loadNet (which passes an open file as a ByteSource); every message starts with `prefix`. */
export function decodeNet(source: ByteSource, prefix: string): Layer {
  const fail = (message: string): never => {
    throw new Error(`${prefix}${message}`);
  };

  let header: SafetensorsHeader | undefined;
  try {
    header = readSafetensorsHeader(source, { maxHeaderSize: MAX_NET_HEADER_SIZE, maxTensors: MAX_NET_TENSORS });
  } catch (e) {
    fail(`not a valid net file: ${(e as Error).message}`);
  }
  const { metadata, shapes } = header!;
  if (metadata.format !== NET_FORMAT) fail(`not written by saveNet/serializeNet (format ${metadata.format === undefined ? "missing" : quote(metadata.format.slice(0, 80))}, expected "${NET_FORMAT}")`);
  const configText = metadata.config;
  if (typeof configText !== "string") fail(`the metadata has no "config"`);

  // A key one or two bytes away from one of ours is a corrupted one (a checksum must not vanish by a flipped byte)
  for (const key of Object.keys(metadata)) {
    const near = METADATA_KEYS.find((k) => k !== key && Math.abs(k.length - key.length) <= 2 && editDistance(k, key) <= 2); // (the distance is at least the length difference: a long hostile key costs nothing)
    if (near && !METADATA_KEYS.includes(key)) fail(`metadata key ${quote(key.slice(0, 40))} looks like a corrupted "${near}"`);
  }
  const checksum = (key: "config_crc32" | "tensors_crc32" | "text_encoder_crc32", actual: () => string) => {
    const stored = metadata[key];
    if (stored === undefined) return; // written by another tool: nothing to verify
    if (!/^[0-9a-f]{8}$/.test(stored)) fail(`metadata "${key}" must be 8 hex digits, got ${quote(stored.slice(0, 40))}`);
    const computed = actual();
    if (computed !== stored) fail(`checksum mismatch: ${{ config_crc32: "the config", tensors_crc32: "the tensor data", text_encoder_crc32: "the text encoder" }[key]} is corrupt (stored ${key} ${stored}, computed ${computed})`);
  };
  checksum("config_crc32", () => textChecksum(configText));
  if (metadata.text_encoder !== undefined) checksum("text_encoder_crc32", () => textChecksum(metadata.text_encoder));
  const encoder = textEncoderOf(metadata, fail);

  const extent = checkConfigExtent(configText);
  if (extent.problem !== undefined) fail(extent.problem);
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (e) {
    fail(`the config is not valid JSON (${printable((e as Error).message)})`); // V8 quotes the text it failed on, raw
  }

  let net: Layer | undefined;
  try {
    net = layerFromConfig(config as LayerConfig, { ports: Math.max(MAX_MERGE_INPUTS, extent.containers) });
  } catch (e) {
    fail(`the config does not describe a valid net: ${(e as Error).message}`);
  }
  const layer = net!;
  // Every tensor must be a parameter of the net, of the shape the net expects where its sizes are known,
  // before any tensor's bytes are read (a file declaring a 2 GB tensor the net lacks costs nothing).
  const expected = layer.learnableShapes;
  for (const [name, shape] of Object.entries(shapes)) {
    if (!Object.hasOwn(expected, name)) fail(`tensor ${quote(name)} ${formatShape(shape)} does not fit the net: unknown parameter ${quote(name)} (parameters: ${listNames(Object.keys(expected).map(printable)) || "none"})`);
    const want = expected[name];
    if (want !== undefined && !sameShape(want, shape)) fail(`tensor ${quote(name)} ${formatShape(shape)} does not fit the net: parameter ${quote(name)} must have shape ${formatShape(want)}`);
  }
  const tensors = header!.readTensors();
  checksum("tensors_crc32", () => tensorsChecksum(tensors));
  for (const name of Object.keys(tensors)) {
    const t = tensors[name];
    const bad = firstNonFinite(t.data);
    if (bad >= 0) fail(`tensor ${quote(name)} ${formatShape(t.shape)} holds ${t.data[bad]} at element ${bad}; weights must be finite`);
    try {
      layer.setParameter(name, new Tensor(t.data, t.shape));
    } catch (e) {
      fail(`tensor ${quote(name)} ${formatShape(t.shape)} does not fit the net: ${(e as Error).message}`);
    }
  }
  if (!layer.isInitialized) {
    const missing = Object.keys(layer.learnableShapes).filter((n) => !Object.hasOwn(tensors, n));
    fail(`the file lacks parameters of the net: ${listNames(missing.map(printable)) || "none by name, but a shape disagrees"} (it holds ${listNames(Object.keys(tensors).map(printable)) || "no tensors"})`);
  }
  if (encoder !== undefined && !(layer instanceof NetGraph)) fail(`the file holds a text encoder but its net is a single ${layer.kind}, not a netGraph or netChain`);
  if (layer instanceof NetGraph) {
    layer.textEncoder = encoder;
    try {
      if (layer.inputNames.every((p) => layer.isSequenceInput(p))) layer.inferSizes({});
    } catch (e) {
      fail(`the weights do not fit the net's sizes: ${(e as Error).message}`);
    }
  }
  return layer;
}

/** The file's text encoder, if it has one, its extent checked before it is parsed. */
function textEncoderOf(metadata: Record<string, string>, fail: (message: string) => never): CharacterEncoder | undefined {
  const text = metadata.text_encoder;
  if (text === undefined) {
    if (metadata.text_encoder_crc32 !== undefined) fail(`the metadata has "text_encoder_crc32" but no "text_encoder"`);
    return undefined;
  }
  if (text.length > MAX_TEXT_ENCODER_LENGTH) fail(`the text encoder is ${text.length} characters long, above the ${MAX_TEXT_ENCODER_LENGTH}-character limit (at most ${MAX_VOCABULARY} characters in a vocabulary)`);
  try {
    return CharacterEncoder.fromConfig(JSON.parse(text));
  } catch (e) {
    return fail(`the text encoder is not valid: ${(e as Error).message}`);
  }
}
