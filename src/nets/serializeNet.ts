// serializeNet / deserializeNet: a net as the bytes of one safetensors file, anywhere (browser, database,
// Node). The weights are its F32 tensors, named "node/parameter"; the __metadata__ holds
//   format          "attention-layers/net@1"
//   config          the net's config as JSON (constructor arguments, see Layer.config())
//   config_crc32    CRC-32 of the config's UTF-8 bytes (8 hex digits)
//   tensors_crc32   CRC-32 over the tensors in name order: for each, `"name":[shape];` in UTF-8, then its
//                   little-endian float32 bytes (independent of the file layout, so a file re-saved by
//                   another safetensors writer keeps a valid checksum)
// Loading checks everything before it returns: the safetensors structure, the format, the checksums (when
// present: files from other writers without them still load), the config's nesting depth and form, every
// tensor against the parameter it fills, and the channel sizes through the net. Every error starts with
// "deserializeNet: " (or "loadNet <path>: " when loadNet calls it). No node:* imports here.
import { Layer, type LayerConfig } from "../layers/layer.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { editDistance } from "../util/validate.js";
import { Crc32 } from "../util/crc32.js";
import { quote } from "../util/text.js";
import { layerFromConfig } from "./layerRegistry.js";
import { NetGraph } from "./netGraph.js";
import { decodeSafetensors, encodeSafetensors, type NamedArray } from "./safetensors.js";

export const NET_FORMAT = "attention-layers/net@1";
const METADATA_KEYS = ["format", "config", "config_crc32", "tensors_crc32"];
/** Deepest config nesting accepted (a real net needs about 10 levels per nested netGraph). */
export const MAX_CONFIG_DEPTH = 200;

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

const configChecksum = (config: string) => new Crc32().update(utf8(config)).hex();

/** The safetensors bytes of an initialized net; `where` names the caller in errors. */
export function encodeNet(net: Layer, where: string): Uint8Array {
  if (!(net instanceof Layer)) throw new Error(`${where}: expected a layer or net, got ${net === null ? "null" : typeof net}`);
  if (!net.isInitialized) throw new Error(`${where}: ${net.label} is not initialized; train it, apply it to data or call initialize() first`);
  const tensors: Record<string, NamedArray> = Object.create(null);
  for (const [name, t] of Object.entries(net.parameters)) tensors[name] = { dtype: "F32", shape: [...t.shape], data: t.data };
  const config = JSON.stringify(net.config());
  const metadata = { format: NET_FORMAT, config, config_crc32: configChecksum(config), tensors_crc32: tensorsChecksum(tensors) };
  return encodeSafetensors(tensors, metadata);
}

/** serializeNet(net): the bytes saveNet writes (safetensors with the config and checksums in __metadata__). */
export function serializeNet(net: Layer): Uint8Array {
  return encodeNet(net, "serializeNet");
}

/** Rebuilds a net from serializeNet's bytes (or a saveNet file's contents); throws "deserializeNet: …". */
export function deserializeNet<T extends Layer = Layer>(bytes: Uint8Array | ArrayBuffer): T {
  return decodeNet(bytes, "deserializeNet: ") as T;
}

/** Nesting depth of a JSON value, counted without recursion (a hostile config may be 10⁶ deep). */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The decoding behind deserializeNet and loadNet; every message starts with `prefix`. */
export function decodeNet(input: Uint8Array | ArrayBuffer, prefix: string): Layer {
  const fail = (message: string): never => {
    throw new Error(`${prefix}${message}`);
  };
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if (!(bytes instanceof Uint8Array)) fail(`expected the bytes of a net file (Uint8Array or ArrayBuffer), got ${bytes === null ? "null" : typeof bytes}`);

  let decoded: ReturnType<typeof decodeSafetensors> | undefined;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    fail(`not a valid net file: ${(e as Error).message}`);
  }
  const { tensors, metadata } = decoded!;
  if (metadata.format !== NET_FORMAT) fail(`not written by saveNet/serializeNet (format ${metadata.format === undefined ? "missing" : JSON.stringify(metadata.format.slice(0, 80))}, expected "${NET_FORMAT}")`);
  const configText = metadata.config;
  if (typeof configText !== "string") fail(`the metadata has no "config"`);

  // A key one or two bytes away from one of ours is a corrupted one (a checksum must not vanish by a flipped byte)
  for (const key of Object.keys(metadata)) {
    const near = METADATA_KEYS.find((k) => k !== key && editDistance(k, key) <= 2);
    if (near && !METADATA_KEYS.includes(key)) fail(`metadata key ${JSON.stringify(key.slice(0, 40))} looks like a corrupted "${near}"`);
  }
  for (const [key, actual] of [["config_crc32", () => configChecksum(configText)], ["tensors_crc32", () => tensorsChecksum(tensors)]] as const) {
    const stored = metadata[key];
    if (stored === undefined) continue; // written by another tool: nothing to verify
    if (!/^[0-9a-f]{8}$/.test(stored)) fail(`metadata "${key}" must be 8 hex digits, got ${JSON.stringify(stored.slice(0, 40))}`);
    const computed = actual();
    if (computed !== stored) fail(`checksum mismatch: ${key === "config_crc32" ? "the config" : "the tensor data"} is corrupt (stored ${key} ${stored}, computed ${computed})`);
  }

  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (e) {
    fail(`the config is not valid JSON (${(e as Error).message})`);
  }
  const depth = nestingDepth(config, MAX_CONFIG_DEPTH);
  if (depth > MAX_CONFIG_DEPTH) fail(`the config is nested more than ${MAX_CONFIG_DEPTH} levels deep`);

  let net: Layer | undefined;
  try {
    net = layerFromConfig(config as LayerConfig);
  } catch (e) {
    fail(`the config does not describe a valid net: ${(e as Error).message}`);
  }
  const layer = net!;
  for (const name of Object.keys(tensors)) {
    const t = tensors[name];
    try {
      layer.setParameter(name, new Tensor(t.data, t.shape));
    } catch (e) {
      fail(`tensor ${quote(name)} ${formatShape(t.shape)} does not fit the net: ${(e as Error).message}`);
    }
  }
  if (!layer.isInitialized) {
    fail(`the file lacks parameters of the net (it holds ${Object.keys(tensors).join(", ") || "no tensors"})`);
  }
  if (layer instanceof NetGraph) {
    try {
      if (layer.inputNames.every((p) => layer.isSequenceInput(p))) layer.inferSizes({});
    } catch (e) {
      fail(`the weights do not fit the net's sizes: ${(e as Error).message}`);
    }
  }
  return layer;
}
