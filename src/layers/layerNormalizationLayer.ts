// layerNormalizationLayer (MATLAB): over the channel axis, y = (x − μ) / √(σ² + ε) · scale + offset.
import { layerName } from "./validate.js";
import { checkNumber, checkOptionNames } from "../util/validate.js";
import { layerNorm } from "../tensor/ops/layerNorm.js";
import { Tensor } from "../tensor/tensor.js";
import type { LayerConfig, NetValue, Pending, WeightSpec } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";

export interface LayerNormalizationLayerOptions {
  epsilon?: number;
  name?: string;
}

/** Normalizes each position over its channels, then scales and offsets them (learned scale and offset [C]). */
export class LayerNormalizationLayer extends SimpleLayer {
  protected override readonly positionWise = true;
  readonly kind = "layerNormalizationLayer";
  readonly epsilon: number;

  constructor(options: LayerNormalizationLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["epsilon", "name"], this.label);
    this.epsilon = options.epsilon === undefined ? 1e-5 : checkNumber(options.epsilon, this.label, "epsilon", { min: 0, minExclusive: true });
  }

  get numChannels(): number | "auto" {
    return this.size(this.sizesIn(), "numChannels");
  }
  protected override weights(): WeightSpec[] {
    const filled = (v: number) => (shape: number[]) => new Tensor(new Float32Array(shape[0]).fill(v), shape);
    return [
      { name: "scale", shape: ["numChannels"], initializer: filled(1), l2: 1 },
      { name: "offset", shape: ["numChannels"], initializer: filled(0), l2: 0 },
    ];
  }
  protected channelsOut(channelsIn: number, pending: Pending): number {
    this.fixSize(pending, "numChannels", channelsIn, (known) => `input "in" has ${channelsIn} channels but the layer was built for ${known}`);
    return channelsIn;
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, { pending }: { pending: Pending }): NetValue {
    return { x: layerNorm(x, this.parameter("scale", pending), this.parameter("offset", pending), this.epsilon), lengths };
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
