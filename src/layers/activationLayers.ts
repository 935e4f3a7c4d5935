// Parameter-free layers that map each channel vector: softmax (over channels), relu, gelu, tanh, sigmoid.
import { layerName } from "./validate.js";
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";

const FUNCTIONS = {
  softmaxLayer: (x: Tensor) => ops.softmax(x, -1),
  reluLayer: ops.relu,
  geluLayer: ops.gelu,
  tanhLayer: ops.tanh,
  sigmoidLayer: ops.sigmoid,
} as const;

export type ActivationKind = keyof typeof FUNCTIONS;

/** An elementwise activation as a layer (softmax over the last axis, relu, gelu, tanh, sigmoid); port in → out, same shape. */
export class ActivationLayer extends SimpleLayer {
  protected override readonly positionWise = true;
  constructor(readonly kind: ActivationKind, options: { name?: string } = {}) {
    super();
    if (!Object.hasOwn(FUNCTIONS, kind)) throw new Error(`activation layer: unknown kind ${JSON.stringify(kind)} (kinds: ${Object.keys(FUNCTIONS).join(", ")})`);
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
  }
  protected channelsOut(channelsIn: number): number {
    return channelsIn;
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue {
    return { x: FUNCTIONS[this.kind](x), lengths };
  }
  override config(): LayerConfig {
    return { kind: this.kind, args: [{ name: this.name }] };
  }
}

/** MATLAB softmaxLayer: softmax over the channels (last axis), so a net's output is class probabilities. */
export const softmaxLayer = (options?: { name?: string }) => new ActivationLayer("softmaxLayer", options);
/** MATLAB reluLayer: max(x, 0) elementwise. */
export const reluLayer = (options?: { name?: string }) => new ActivationLayer("reluLayer", options);
/** MATLAB geluLayer: x·Φ(x) elementwise (the exact form). */
export const geluLayer = (options?: { name?: string }) => new ActivationLayer("geluLayer", options);
/** MATLAB tanhLayer: tanh(x) elementwise. */
export const tanhLayer = (options?: { name?: string }) => new ActivationLayer("tanhLayer", options);
/** MATLAB sigmoidLayer: 1 / (1 + e^−x) elementwise. */
export const sigmoidLayer = (options?: { name?: string }) => new ActivationLayer("sigmoidLayer", options);

import { defineLayerKind } from "./layerKind.js";

/** The five activation kinds, one descriptor each: config args [options]. */
export const activationLayerKinds = (Object.keys(FUNCTIONS) as ActivationKind[]).map((kind) =>
  defineLayerKind({ kind, positional: [], fromConfig: ([o]) => new ActivationLayer(kind, o) }));
