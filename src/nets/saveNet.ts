// saveNet / loadNet: one .safetensors file (readable by PyTorch and Hugging Face tools). The weights are
// its tensors, named "node/parameter"; the net's config is JSON in the header's __metadata__. The write
// is atomic (temporary file, then rename), and loading checks everything before it builds anything.
import { readFileSync } from "node:fs";
import type { Layer, LayerConfig } from "../layers/layer.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { layerFromConfig } from "./layerRegistry.js";
import { decodeSafetensors, encodeSafetensors, writeFileAtomicSync, type NamedArray } from "./safetensors.js";

const FORMAT = "attention-layers/net@1";

export function saveNet(net: Layer, path: string): void {
  if (!net.isInitialized) throw new Error(`saveNet: ${net.label} is not initialized; train it, apply it to data or call initialize() first`);
  const tensors: Record<string, NamedArray> = {};
  for (const [name, t] of Object.entries(net.parameters)) tensors[name] = { dtype: "F32", shape: [...t.shape], data: t.data };
  const metadata = { format: FORMAT, config: JSON.stringify(net.config()) };
  writeFileAtomicSync(path, encodeSafetensors(tensors, metadata));
}

export function loadNet<T extends Layer = Layer>(path: string): T {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`loadNet: cannot read ${path}: ${(e as Error).message}`);
  }
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    throw new Error(`loadNet: ${path} is not a valid net file: ${(e as Error).message}`);
  }
  const { tensors, metadata } = decoded;
  if (metadata.format !== FORMAT) throw new Error(`loadNet: ${path} was not written by saveNet (format "${metadata.format ?? "missing"}", expected "${FORMAT}")`);
  let config: LayerConfig;
  try {
    config = JSON.parse(metadata.config);
  } catch (e) {
    throw new Error(`loadNet: ${path} has a corrupt config: ${(e as Error).message}`);
  }
  const net = layerFromConfig(config);
  for (const [name, t] of Object.entries(tensors)) {
    try {
      net.setParameter(name, new Tensor(t.data, t.shape));
    } catch (e) {
      throw new Error(`loadNet: ${path}: parameter "${name}" ${formatShape(t.shape)} does not fit the net: ${(e as Error).message}`);
    }
  }
  if (!net.isInitialized) {
    throw new Error(`loadNet: ${path} lacks parameters of the net (it holds ${Object.keys(tensors).join(", ") || "none"})`);
  }
  return net as T;
}
