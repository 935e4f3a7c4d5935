// The base of the parameter-free layers that merge inputs in1 … inN into one output `out` (MATLAB's
// additionLayer, concatenationLayer): the ports, the options check, and apply over a record of inputs by port
// (through the base's one input adapter).
import type { Mirror, TensorLike } from "../tensor/tensor.js";
import { checkOptionNames } from "../util/validate.js";
import type { ApplyInput, ApplyResult } from "./applyInput.js";
import { Layer } from "./layer.js";
import { checkPositiveInteger, layerName } from "./validate.js";

/** Most inputs of one merge layer (in a file, merge layers together are bounded by its edges too: see layerRegistry). */
export const MAX_MERGE_INPUTS = 1024;

/** Inputs in1 … inN (numInputs of them) → out, no parameters; subclasses give forward, inferSizes and config. */
export abstract class MergeLayer extends Layer {
  readonly kind: string;
  readonly inputNames: readonly string[];
  readonly outputNames = ["out"] as const;

  constructor(kind: string, readonly numInputs: number, options: { name?: string }) {
    super();
    this.kind = kind;
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
    checkPositiveInteger(numInputs, "numInputs", this);
    if (numInputs > MAX_MERGE_INPUTS) throw this.error(`numInputs must be at most ${MAX_MERGE_INPUTS}, got ${numInputs}`);
    this.inputNames = Array.from({ length: numInputs }, (_, i) => `in${i + 1}`);
  }

  /** Position-wise: a decoding step is the forward on the new positions (no state). */
  override startState(): undefined {
    return undefined;
  }

  /** Merges a record { in1, …, inN } of arrays (or each record of a list). */
  override apply<T extends TensorLike>(inputs: Readonly<Record<string, T>>, options?: { training?: boolean; seed?: number }): Mirror<T>;
  override apply(inputs: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult;
  override apply(inputs: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult {
    return super.apply(inputs, options);
  }
}
