// additionLayer (MATLAB): out = in1 + in2 + … + inN, elementwise (residual connections).
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { MergeLayer } from "./mergeLayer.js";

/** Adds its inputs in1 … inN elementwise (same shapes) into out, as MATLAB's additionLayer; used for residual connections. */
export class AdditionLayer extends MergeLayer {
  constructor(numInputs: number, options: { name?: string } = {}) {
    super("additionLayer", numInputs, options);
  }

  override inferSizes(inputs: Record<string, number>): Record<string, number> {
    const sizes = this.inputNames.map((n) => inputs[n]);
    sizes.forEach((s, i) => {
      if (s !== sizes[0]) throw this.error(`input "${this.inputNames[i]}" has ${s} channels but input "in1" has ${sizes[0]}`);
    });
    return { out: sizes[0] };
  }

  override forward(inputs: Record<string, NetValue>, _c: ForwardContext): Record<string, NetValue> {
    const first = inputs.in1;
    let sum = first.x;
    for (const n of this.inputNames.slice(1)) {
      const x = inputs[n].x;
      if (x.shape.length !== first.x.shape.length || x.shape.some((d, i) => d !== first.x.shape[i])) {
        throw this.error(`input "${n}" has shape ${formatShape(x.shape)} but input "in1" has ${formatShape(first.x.shape)}`);
      }
      sum = ops.add(sum, x);
    }
    return { out: { x: sum, lengths: first.lengths } };
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [this.numInputs, { name: this.name }] };
  }
}

/**
 * MATLAB additionLayer(numInputs): out = in1 + … + inN.
 * @example netGraph({ nodes: { att: selfAttentionLayer(2, 8), add: additionLayer(2) }, edges: [["input", "att"], ["input", "add/in1"], ["att", "add/in2"]] })
 */
export function additionLayer(numInputs = 2, options?: { name?: string }): AdditionLayer {
  return new AdditionLayer(numInputs, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The additionLayer kind: config args [numInputs, options]. */
export const additionLayerKind = defineLayerKind({ kind: "additionLayer", positional: ["numInputs"], fromConfig: ([n, o]) => new AdditionLayer(n, o), inputPorts: ([n]) => n });
