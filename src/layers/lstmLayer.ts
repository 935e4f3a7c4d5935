// lstmLayer (MATLAB): gates in MATLAB's order i (input), f (forget), g (cell candidate), o (output).
//   z_t = W x_t + R h_{t−1} + b   (W [4H, C], R [4H, H], b [4H])
//   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o);  c_t = f ∘ c_{t−1} + i ∘ g;  h_t = o ∘ tanh(c_t)
// outputMode "sequence": [B, T, H]; "last": h at each sequence's own last valid step, [B, H].
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import { lstmRecurrence } from "../tensor/ops/lstm.js";
import { Random } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { initialize } from "./initializers.js";
import type { LayerConfig, NetValue, Pending, WeightSpec } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
import { checkPositiveInteger, enumOption, layerName, sizeOrAuto } from "./validate.js";

/** Options of lstmLayer: output mode (every step or the last), input size, name. */
export interface LstmLayerOptions {
  outputMode?: "sequence" | "last";
  inputSize?: number | "auto";
  name?: string;
}

/** A long short-term memory layer (MATLAB gate order i, f, g, o): [.., T, C] → [.., T, H] or the last step [.., H]. */
export class LstmLayer extends SimpleLayer {
  readonly kind = "lstmLayer";
  readonly outputMode: "sequence" | "last";

  constructor(readonly numHiddenUnits: number, options: LstmLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["outputMode", "inputSize", "name"], this.label);
    checkPositiveInteger(numHiddenUnits, "numHiddenUnits", this);
    this.outputMode = enumOption(options.outputMode, ["sequence", "last"] as const, "outputMode", this);
    this.declareSizes({ inputSize: sizeOrAuto(options.inputSize, "inputSize", this) });
  }

  get inputSize(): number | "auto" {
    return this.size(this.sizesIn(), "inputSize");
  }
  protected override weights(): WeightSpec[] {
    const H = this.numHiddenUnits;
    const glorot = (name: string) => (shape: number[], random: Random) => initialize("glorot", shape, { numIn: shape[1], numOut: shape[0] }, random, `${this.label}: ${name}`);
    return [
      { name: "inputWeights", shape: [4 * H, "inputSize"], initializer: glorot("inputWeights") },
      { name: "recurrentWeights", shape: [4 * H, H], initializer: glorot("recurrentWeights") },
      // MATLAB's "unit-forget-gate": forget-gate bias 1, the rest 0
      { name: "bias", shape: [4 * H], initializer: (shape) => new Tensor(new Float32Array(shape[0]).fill(1, H, 2 * H), shape) },
    ];
  }
  protected channelsOut(channelsIn: number, pending: Pending): number {
    this.fixInputSize(pending, channelsIn);
    return this.numHiddenUnits;
  }

  protected compute(x0: Tensor, lengths: readonly number[] | undefined, { pending }: { pending: Pending }): NetValue {
    const single = x0.rank === 2;
    if (!single && x0.rank !== 3) throw this.error(`input "in" must be [T, C] or [B, T, C], got rank ${x0.rank}`);
    const x = single ? ops.reshape(x0, [1, ...x0.shape]) : x0;
    const [B, T] = x.shape, H = this.numHiddenUnits;
    // the input part of every gate for all steps at once (one GEMM over B·T rows), then the recurrence
    // as one node (one GEMM per step for all four gates of all rows)
    const inputPart = ops.linear(x, this.parameter("inputWeights", pending)); // [B, T, 4H]
    const R = this.parameter("recurrentWeights", pending), bias = this.parameter("bias", pending); // [4H, H], [4H]
    if (this.outputMode === "sequence") {
      const y = lstmRecurrence(inputPart, R, bias); // [B, T, H]
      return { x: single ? ops.reshape(y, [T, H]) : y, lengths };
    }
    const lastSteps = (lengths ?? new Array(B).fill(T)).map((len) => len - 1);
    const y = lstmRecurrence(inputPart, R, bias, lastSteps); // [B, H]
    return { x: single ? ops.reshape(y, [H]) : y };
  }

  /** Refuses for now: its hidden and cell state are not yet kept between decoding steps. */
  override startState(): never {
    throw this.error("cannot decode step by step yet: its hidden and cell state are not kept between steps (run net.predict on the whole sequence)");
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [this.numHiddenUnits, { outputMode: this.outputMode, inputSize: this.inputSize, name: this.name }] };
  }
}

/**
 * MATLAB lstmLayer(numHiddenUnits, options).
 * @example lstmLayer(100, { outputMode: "last" })
 */
export function lstmLayer(numHiddenUnits: number, options?: LstmLayerOptions): LstmLayer {
  return new LstmLayer(numHiddenUnits, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The lstmLayer kind: config args [numHiddenUnits, options]. */
export const lstmLayerKind = defineLayerKind({ kind: "lstmLayer", positional: ["numHiddenUnits"], fromConfig: ([n, o]) => new LstmLayer(n, o) });
