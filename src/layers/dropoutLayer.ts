// dropoutLayer (MATLAB): in training, zeroes each element with probability p and scales the rest by
// 1/(1 − p); outside training it is the identity.
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
import { checkProbability, layerName } from "./validate.js";

/** Inverted dropout in training (kept values scaled by 1/(1 − p)), the identity otherwise; same shape in and out. */
export class DropoutLayer extends SimpleLayer {
  protected override readonly positionWise = true;
  readonly kind = "dropoutLayer";
  readonly probability: number;
  constructor(probability = 0.5, options: { name?: string } = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
    this.probability = checkProbability(probability, "probability", this);
  }
  protected channelsOut(channelsIn: number): number {
    return channelsIn;
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, context: ForwardContext): NetValue {
    if (!context.training || this.probability === 0) return { x, lengths };
    return { x: ops.dropout(x, this.probability, context.random.seed()), lengths };
  }
  override config(): LayerConfig {
    return { kind: this.kind, args: [this.probability, { name: this.name }] };
  }
}

/** MATLAB dropoutLayer(probability = 0.5): zeroes each value with that probability while training. */
export function dropoutLayer(probability?: number, options?: { name?: string }): DropoutLayer {
  return new DropoutLayer(probability, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The dropoutLayer kind: config args [probability, options]. */
export const dropoutLayerKind = defineLayerKind({ kind: "dropoutLayer", positional: ["probability"], fromConfig: ([p, o]) => new DropoutLayer(p, o) });
