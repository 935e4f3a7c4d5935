// layerNormalizationLayer (MATLAB): over the channel axis, y = (x − μ) / √(σ² + ε) · scale + offset.
import { layerName } from "./validate.js";
import { checkNumber, checkOptionNames } from "../util/validate.js";
import { layerNorm } from "../tensor/ops/layerNorm.js";
import { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";

export interface LayerNormalizationLayerOptions {
  epsilon?: number;
  name?: string;
}

/** Normalizes each position over its channels, then scales and offsets them (learned scale and offset [C]). */
export class LayerNormalizationLayer extends SimpleLayer {
  readonly kind = "layerNormalizationLayer";
  readonly epsilon: number;
  numChannels: number | "auto" = "auto";
  protected readonly parameterNames = ["scale", "offset"] as const;

  constructor(options: LayerNormalizationLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["epsilon", "name"], this.label);
    this.epsilon = options.epsilon === undefined ? 1e-5 : checkNumber(options.epsilon, this.label, "epsilon", { min: 0, minExclusive: true });
  }

  protected parameterShape(): number[] | undefined {
    return this.numChannels === "auto" ? undefined : [this.numChannels];
  }
  protected initialValue(name: string, shape: number[]): Tensor {
    return new Tensor(new Float32Array(shape[0]).fill(name === "scale" ? 1 : 0), shape);
  }
  protected setSizes(sizes: Record<string, number>): void {
    if (sizes.inputSize !== undefined) this.channelsOut(sizes.inputSize);
  }
  protected override parameterRank(_name: string): number {
    return 1;
  }
  protected override inferSizesFrom(_name: string, shape: readonly number[]): void {
    if (shape.length === 1 && this.numChannels === "auto") this.numChannels = shape[0];
  }
  protected override saveSizes(): () => void {
    const numChannels = this.numChannels;
    return () => { this.numChannels = numChannels; };
  }
  protected channelsOut(channelsIn: number): number {
    if (this.numChannels === "auto") this.numChannels = channelsIn;
    else if (this.numChannels !== channelsIn) throw this.error(`input "in" has ${channelsIn} channels but the layer was built for ${this.numChannels}`);
    return channelsIn;
  }
  override parameterFactors(name: string) {
    return { learnRate: 1, l2: name === "scale" ? 1 : 0 };
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue {
    return { x: layerNorm(x, this.parameter("scale"), this.parameter("offset"), this.epsilon), lengths };
  }
  override config(): LayerConfig {
    return { kind: this.kind, args: [{ epsilon: this.epsilon, name: this.name }] };
  }
}

/** MATLAB layerNormalizationLayer(options): (x − mean)/√(var + ε)·scale + offset over the last axis. */
export function layerNormalizationLayer(options?: LayerNormalizationLayerOptions): LayerNormalizationLayer {
  return new LayerNormalizationLayer(options);
}

import { defineLayerKind } from "./layerKind.js";

/** The layerNormalizationLayer kind: config args [options]. */
export const layerNormalizationLayerKind = defineLayerKind({ kind: "layerNormalizationLayer", positional: [], fromConfig: ([o]) => new LayerNormalizationLayer(o) });
