// What one layer kind's PyTorch translator sees and returns. A translator writes the node's module
// (into __init__) and its forward code, and maps the layer's parameters to and from the module's
// state-dict tensors (names relative to the node's module).
import type { Layer } from "../../layers/layer.js";
import type { NetGraph } from "../../nets/netGraph.js";
import { sizeOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";

/** A value in the generated forward(): a Python variable. */
export interface TorchValue {
  expr: string;
  /** [B, T, …] with a time axis (else [B, …]) */
  time: boolean;
  /** its rows carry the net's sequence lengths, so `mask` tells data from padding */
  padded: boolean;
}

export interface TorchContext {
  /** the node's module attribute on Net (self.<module>), unique and a valid identifier */
  module: string;
  /** the node's path in the net, escaped for a comment (pythonText.pyEscape: printable ASCII, one line) */
  path: string;
  /** the forward() mask variable [B, T] (1 = data), when the net takes sequences */
  mask?: string;
  /** adds a line to __init__ (after super().__init__()) */
  init(line: string): void;
  /** adds a line to forward() */
  line(line: string): void;
  /** a fresh local variable name in forward() */
  local(hint: string): string;
  /** a fresh attribute name on Net (for constant buffers) */
  attribute(hint: string): string;
  /** exports a nested net inline */
  exportNet(net: NetGraph, inputs: Record<string, TorchValue>, prefix: string): Record<string, TorchValue>;
}

export interface TorchTranslator {
  forward(layer: Layer, inputs: Record<string, TorchValue>, context: TorchContext): Record<string, TorchValue>;
  /** the module's state-dict tensors from the layer's parameters (names relative to the module) */
  toTorch(layer: Layer): Record<string, Tensor>;
  /** the layer's parameters from the module's state-dict tensors (same names as toTorch gives) */
  fromTorch(layer: Layer, tensors: Record<string, Tensor>): Record<string, Tensor>;
}

/** Types a translator for one layer class (the table dispatches on kind, so the casts are safe). */
export function torchTranslator<L extends Layer>(t: {
  forward(layer: L, inputs: Record<string, TorchValue>, context: TorchContext): Record<string, TorchValue>;
  toTorch?(layer: L): Record<string, Tensor>;
  fromTorch?(layer: L, tensors: Record<string, Tensor>): Record<string, Tensor>;
}): TorchTranslator {
  return {
    forward: t.forward as TorchTranslator["forward"],
    toTorch: (t.toTorch ?? (() => ({}))) as TorchTranslator["toTorch"],
    fromTorch: (t.fromTorch ?? (() => ({}))) as TorchTranslator["fromTorch"],
  };
}

/** Python literal of float32 values (exact: a float32 printed as its double value round-trips). */
export function pyFloats(data: ArrayLike<number>): string {
  return `[${Array.from(data, pyFloat).join(", ")}]`;
}

export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "float('nan')";
  if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')";
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** Python literal of a nested list with the given shape. */
export function pyNested(data: ArrayLike<number>, shape: readonly number[], item: (v: number) => string = pyFloat): string {
  if (shape.length === 0) return item(data[0]);
  const inner = sizeOf(shape.slice(1));
  const parts: string[] = [];
  for (let i = 0; i < shape[0]; i++) parts.push(pyNested(Array.prototype.slice.call(data, i * inner, (i + 1) * inner), shape.slice(1), item));
  return `[${parts.join(", ")}]`;
}
