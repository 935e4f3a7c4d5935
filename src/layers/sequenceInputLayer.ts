// sequenceInputLayer (MATLAB): the entry of a sequence net; checks the channel count and optionally
// standardizes each channel, y = (x − mean) / standardDeviation ("zscore"; trainNet computes the
// statistics from the training data when they are not given, as MATLAB's trainnet does).
import * as ops from "../tensor/ops/index.js";
import { Tensor } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import type { ForwardContext, LayerConfig, NetValue } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
import { checkPositiveInteger, enumOption, layerName } from "./validate.js";
import { checkNumber, checkOptionNames, describe } from "../util/validate.js";

/** Options of sequenceInputLayer: normalization ("none" or "zscore" with statistics from the training data), mean, standardDeviation, name. */
export interface SequenceInputLayerOptions {
  normalization?: "none" | "zscore";
  mean?: number[];
  standardDeviation?: number[];
  name?: string;
}

/** The input of a sequence net: declares the channel count C and optionally z-scores each channel. */
export class SequenceInputLayer extends SimpleLayer {
  protected override readonly positionWise = true;
  readonly kind = "sequenceInputLayer";
  readonly inputSize: number;
  readonly normalization: "none" | "zscore";
  mean?: Float32Array;
  standardDeviation?: Float32Array;

  constructor(inputSize: number, options: SequenceInputLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["normalization", "mean", "standardDeviation", "name"], this.label);
    this.inputSize = checkPositiveInteger(inputSize, "inputSize", this);
    this.normalization = enumOption(options.normalization, ["none", "zscore"] as const, "normalization", this);
    if ((options.mean === undefined) !== (options.standardDeviation === undefined)) {
      throw this.error(`mean and standardDeviation go together: give both or neither (got only ${options.mean === undefined ? "standardDeviation" : "mean"})`);
    }
    if (options.mean !== undefined) this.setStatistics(options.mean, options.standardDeviation!);
  }

  /** Sets the z-score statistics (one value per channel). */
  setStatistics(mean: ArrayLike<number>, standardDeviation: ArrayLike<number>): void {
    for (const [what, values] of [["mean", mean], ["standardDeviation", standardDeviation]] as const) {
      if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw this.error(`${what} must be an array of ${this.inputSize} numbers, got ${describe(values)}`);
      if (values.length !== this.inputSize) throw this.error(`${what} needs ${this.inputSize} values (one per channel), got ${values.length}`);
      Array.from(values as ArrayLike<unknown>).forEach((v, c) => {
        if (what === "mean") checkNumber(v, this.label, `mean[${c}]`);
        else checkNumber(v, this.label, `standardDeviation[${c}]`, { min: 0, minExclusive: true });
      });
    }
    this.mean = Float32Array.from(mean);
    this.standardDeviation = Float32Array.from(standardDeviation);
  }

  override exampleRank(): number {
    return 2; // [T, C]
  }

  get needsStatistics(): boolean {
    return this.normalization === "zscore" && !this.mean;
  }

  protected channelsOut(channelsIn: number): number {
    if (channelsIn !== this.inputSize) throw this.error(`input has ${channelsIn} channels but inputSize is ${this.inputSize}`);
    return channelsIn;
  }

  protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue {
    if (x.rank < 2) throw this.error(`input "in" must be a sequence [T, C] or a batch [B, T, C], got shape ${formatShape(x.shape)}`);
    if (this.normalization === "none") return { x, lengths };
    if (!this.mean || !this.standardDeviation) {
      throw this.error(`normalization "zscore" needs statistics: train the net with trainNet, or call setStatistics(mean, standardDeviation)`);
    }
    const C = this.inputSize;
    return { x: ops.div(ops.sub(x, new Tensor(this.mean, [C])), new Tensor(this.standardDeviation, [C])), lengths };
  }

  override config(): LayerConfig {
    return {
      kind: this.kind,
      args: [this.inputSize, {
        normalization: this.normalization, name: this.name,
        mean: this.mean && Array.from(this.mean), standardDeviation: this.standardDeviation && Array.from(this.standardDeviation),
      }],
    };
  }
}

/**
 * MATLAB sequenceInputLayer(inputSize, options): sequences [T, inputSize] enter the net here.
 * @example sequenceInputLayer(12, { normalization: "zscore" })
 */
export function sequenceInputLayer(inputSize: number, options?: SequenceInputLayerOptions): SequenceInputLayer {
  return new SequenceInputLayer(inputSize, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The sequenceInputLayer kind: config args [inputSize, options]. */
export const sequenceInputLayerKind = defineLayerKind({ kind: "sequenceInputLayer", positional: ["inputSize"], fromConfig: ([n, o]) => new SequenceInputLayer(n, o) });
