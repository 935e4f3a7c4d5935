// concatenationLayer (MATLAB): out = [in1, in2, …, inN] along the channels. For sequences [B, T, Cᵢ] → [B, T, ΣCᵢ]
// (MATLAB's dim 1: C in its "CT" order for sequences); the inputs agree on every other axis.
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { MergeLayer } from "./mergeLayer.js";
import { checkPositiveInteger } from "./validate.js";

/** Concatenates its inputs in1 … inN along the channels (the last axis) into out, as MATLAB's concatenationLayer(1, N) on sequences. */
export class ConcatenationLayer extends MergeLayer {
  readonly dim: number;

  constructor(dim: number, numInputs: number, options: { name?: string } = {}) {
    super("concatenationLayer", numInputs, options);
    this.dim = checkPositiveInteger(dim, "dim", this);
    if (this.dim !== 1) throw this.error(`dim must be 1 (the channels: MATLAB's "CT" order for sequences), got ${this.dim}; other axes are not supported`);
    if (numInputs < 2) throw this.error(`numInputs must be at least 2, got ${numInputs}`);
  }

  override inferSizes(inputs: Record<string, number>): Record<string, number> {
    return { out: this.inputNames.reduce((sum, n) => sum + inputs[n], 0) };
  }

  override forward(inputs: Record<string, NetValue>, _c: ForwardContext): Record<string, NetValue> {
    const first = inputs.in1.x;
    for (const n of this.inputNames.slice(1)) {
      const x = inputs[n].x;
      if (x.rank !== first.rank || x.shape.some((d, i) => i < x.rank - 1 && d !== first.shape[i])) {
        throw this.error(`input "${n}" has shape ${formatShape(x.shape)} but input "in1" has ${formatShape(first.shape)}; they must agree on every axis but the channels (the last)`);
      }
    }
    return { out: { x: ops.concat(this.inputNames.map((n) => inputs[n].x), -1), lengths: inputs.in1.lengths } };
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [this.dim, this.numInputs, { name: this.name }] };
  }
}

/**
 * MATLAB concatenationLayer(dim, numInputs): out = [in1, …, inN] along the channels (dim 1 for sequences: [B, T, Cᵢ] → [B, T, ΣCᵢ]).
 * @example netGraph({ nodes: { a: fullyConnectedLayer(3), b: fullyConnectedLayer(5), cat: concatenationLayer(1, 2) }, edges: [["input", "a"], ["input", "b"], ["a", "cat/in1"], ["b", "cat/in2"]] })
 */
export function concatenationLayer(dim: number, numInputs: number, options?: { name?: string }): ConcatenationLayer {
  return new ConcatenationLayer(dim, numInputs, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The concatenationLayer kind: config args [dim, numInputs, options]. */
export const concatenationLayerKind = defineLayerKind({ kind: "concatenationLayer", positional: ["dim", "numInputs"], fromConfig: ([d, n, o]) => new ConcatenationLayer(d, n, o), inputPorts: ([, n]) => n });
