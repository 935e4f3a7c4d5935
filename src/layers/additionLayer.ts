// additionLayer (MATLAB): out = in1 + in2 + … + inN, elementwise (residual connections).
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import type { Mirror, TensorLike } from "../tensor/tensor.js";
import type { ApplyInput, ApplyResult } from "./applyInput.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue } from "./layer.js";
import { checkPositiveInteger, layerName } from "./validate.js";
import { checkOptionNames } from "../util/validate.js";

/** Adds its inputs in1 … inN elementwise (same shapes) into out, as MATLAB's additionLayer; used for residual connections. */
export class AdditionLayer extends Layer {
  readonly kind = "additionLayer";
  readonly inputNames: readonly string[];
  readonly outputNames = ["out"] as const;

  constructor(readonly numInputs: number, options: { name?: string } = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
    checkPositiveInteger(numInputs, "numInputs", this);
    this.inputNames = Array.from({ length: numInputs }, (_, i) => `in${i + 1}`);
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

  /** Adds a record { in1, …, inN } of same-shaped arrays (or each record of a list). */
  override apply<T extends TensorLike>(inputs: Readonly<Record<string, T>>, options?: { training?: boolean; seed?: number }): Mirror<T>;
  override apply(inputs: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult;
  override apply(inputs: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult {
    return super.apply(inputs, options);
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
