// sequenceAttentionLayer (Wolfram SequenceAttentionLayer): ports input [n, d1], query [m, d2] → output [m, d1].
// Exactly attentionLayer with key = value = input: o_j = Σ_i softmax_i(f(e_i, q_j)) e_i. Because the
// same tensor feeds both roles, its gradient is the sum of the key role and the value role.
import type { TensorLike } from "../../tensor/tensor.js";
import { AttentionBase, type AttentionLayerOptions } from "./attentionLayer.js";
import type { Scoring } from "./scoring.js";
import type { ShapeSpec } from "./shapeSpec.js";
import type { JsonValue, LayerConfig } from "../layer.js";
import { checkOptionNames } from "../../util/validate.js";
import { layerLabel } from "../errors.js";
import { layerName } from "../validate.js";

/** One example for sequenceAttentionLayer: input [n, d1] (keys = values) and query [m, d2]. */
export interface SequenceAttentionExample<T = TensorLike> {
  input: T;
  query: T;
}

/** Options of sequenceAttentionLayer: attentionLayer's, without the key/value port shapes and multiHead. */
export type SequenceAttentionLayerOptions = Omit<AttentionLayerOptions, "key" | "value" | "multiHead"> & {
  input?: AttentionLayerOptions["key"];
};

/** Wolfram's SequenceAttentionLayer: attention with key = value = input; ports input, query → output [m, d1]. */
export class SequenceAttentionLayer extends AttentionBase<SequenceAttentionExample> {
  readonly inputNames = ["input", "query"] as const;
  readonly roles = { key: "input", value: "input", query: "query" };

  constructor(scoring: Scoring = "Bilinear", options: SequenceAttentionLayerOptions = {}) {
    const name = layerName(options, "sequenceAttentionLayer");
    checkOptionNames(options, ["mask", "scoreRescaling", "dropout", "input", "query", "name"], layerLabel("sequenceAttentionLayer", name));
    const { input, ...rest } = options;
    super("sequenceAttentionLayer", scoring, { ...rest, key: input, value: input });
  }

  protected override portSpecs(): Record<string, ShapeSpec | undefined> {
    return { input: this.ports.key.describe(this.sizesIn()), query: this.ports.query.describe(this.sizesIn()) };
  }

  override config(): LayerConfig {
    const c = super.config();
    const { multiHead: _m, ...options } = c.args[1] as { readonly [key: string]: JsonValue };
    return { kind: this.kind, args: [c.args[0], options] };
  }

  override initialize(options: { seed?: number; inputSize?: number; querySize?: number } = {}): this {
    checkOptionNames(options, ["seed", "inputSize", "querySize"], `${this.label}.initialize`);
    const sizes = { keySize: options.inputSize, valueSize: options.inputSize, querySize: options.querySize };
    this.staged(undefined, (pending) => this.build(pending, options.seed, sizes));
    return this;
  }

  protected override portRanks() {
    return { key: 2, query: 2 };
  }
}

/**
 * Wolfram SequenceAttentionLayer[scoring, opts]: input [n, d1], query [m, d2] → [m, d1].
 * @example sequenceAttentionLayer("Bilinear").apply({ input: [[1, 2], [3, 4]], query: [[1, 0, 0]] })
 */
export function sequenceAttentionLayer(scoring?: Scoring, options?: SequenceAttentionLayerOptions): SequenceAttentionLayer {
  return new SequenceAttentionLayer(scoring, options);
}

import { defineLayerKind } from "../layerKind.js";
import { scoringFromConfig } from "./scoring.js";

/** The sequenceAttentionLayer kind: config args [scoring ("Dot", "Bilinear" or { net: config }), options]. */
export const sequenceAttentionLayerKind = defineLayerKind({ kind: "sequenceAttentionLayer", positional: ["scoring"], fromConfig: ([s, o], rebuild) => new SequenceAttentionLayer(scoringFromConfig(s, rebuild), o) });
