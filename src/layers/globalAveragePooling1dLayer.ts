// globalAveragePooling1dLayer (MATLAB): mean over time, counting only each sequence's valid steps:
//   y[b, c] = (1 / len_b) Σ_{t < len_b} x[b, t, c]   ([B, T, C] → [B, C]; a single [T, C] → [C])
import { layerName } from "./validate.js";
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import { weightedTimeSum } from "../tensor/ops/weightedTimeSum.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";

/** Mean over the time axis of each sequence, padding excluded: [.., T, C] → [.., C]. */
export class GlobalAveragePooling1dLayer extends SimpleLayer {
  readonly kind = "globalAveragePooling1dLayer";
  constructor(options: { name?: string } = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
  }
  protected channelsOut(channelsIn: number): number {
    return channelsIn;
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue {
    if (x.rank === 2) return { x: ops.mean(x, 0) }; // one sequence [T, C]
    if (x.rank !== 3) throw this.error(`input "in" must be [T, C] or [B, T, C], got rank ${x.rank}`);
    const [B, T] = x.shape;
    if (!lengths) return { x: ops.mean(x, 1) };
    // weights 1/len_b on valid steps, 0 on padding: [B, T]
    const w = new Float32Array(B * T);
    lengths.forEach((len, b) => {
      for (let t = 0; t < len; t++) w[b * T + t] = 1 / len;
    });
    return { x: weightedTimeSum(x, w) };
  }
  /** Refuses: an average over the whole sequence depends on positions not yet seen. */
  override startState(): never {
    throw this.error("cannot decode step by step: it averages over the whole sequence, so its output depends on positions not yet given");
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [{ name: this.name }] };
  }
}

/** MATLAB globalAveragePooling1dLayer: the mean over each sequence's valid time steps, [B, T, C] → [B, C]. */
export function globalAveragePooling1dLayer(options?: { name?: string }): GlobalAveragePooling1dLayer {
  return new GlobalAveragePooling1dLayer(options);
}

import { defineLayerKind } from "./layerKind.js";

/** The globalAveragePooling1dLayer kind: config args [options]. */
export const globalAveragePooling1dLayerKind = defineLayerKind({ kind: "globalAveragePooling1dLayer", positional: [], fromConfig: ([o]) => new GlobalAveragePooling1dLayer(o) });
