// fullyConnectedLayer (MATLAB): y = x Wᵀ + b on the channel axis (ops.linear: one GEMM reading W transposed). Weights [outputSize, inputSize], bias [outputSize].
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { checkInitializer, initialize, WEIGHT_INITIALIZERS, type Initializer } from "./initializers.js";
import type { LayerConfig, NetValue, Pending, WeightSpec } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
import { booleanOption, checkFactor, checkPositiveInteger, layerName, sizeOrAuto } from "./validate.js";

/** Options of fullyConnectedLayer: bias on/off, input size, initializers, initial weights [out, in] and bias, learn-rate and L2 factors, name. */
export interface FullyConnectedLayerOptions {
  inputSize?: number | "auto";
  weightsInitializer?: Initializer;
  biasInitializer?: Initializer;
  weights?: TensorLike;
  bias?: TensorLike;
  /** false: no bias parameter (for scoring nets such as wᵀ tanh(W₁k + W₂q)) */
  hasBias?: boolean;
  weightLearnRateFactor?: number; biasLearnRateFactor?: number; weightL2Factor?: number; biasL2Factor?: number;
  name?: string;
}

/** y = x·Wᵀ + b over the last axis: [.., inputSize] → [.., outputSize], W [outputSize, inputSize]. */
export class FullyConnectedLayer extends SimpleLayer {
  protected override readonly positionWise = true;
  readonly kind = "fullyConnectedLayer";
  readonly outputSize: number;
  readonly hasBias: boolean;
  private readonly options: FullyConnectedLayerOptions;

  constructor(outputSize: number, options: FullyConnectedLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["inputSize", "weightsInitializer", "biasInitializer", "weights", "bias", "hasBias", "weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor", "name"], this.label);
    this.options = options;
    this.outputSize = checkPositiveInteger(outputSize, "outputSize", this);
    this.declareSizes({ inputSize: sizeOrAuto(options.inputSize, "inputSize", this) });
    this.hasBias = booleanOption(options.hasBias, true, "hasBias", this);
    checkInitializer(options.weightsInitializer ?? "glorot", WEIGHT_INITIALIZERS, `${this.label}: weightsInitializer`);
    checkInitializer(options.biasInitializer ?? "zeros", ["glorot", "he", "narrow-normal", "zeros", "ones"], `${this.label}: biasInitializer`);
    for (const f of ["weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor"] as const) checkFactor(options[f], f, this);
    if (options.weights !== undefined) this.setParameter("weights", options.weights as never);
    if (options.bias !== undefined) this.setParameter("bias", options.bias as never);
  }

  get inputSize(): number | "auto" {
    return this.size(this.sizesIn(), "inputSize");
  }
  protected override weights(): WeightSpec[] {
    const o = this.options;
    const weights: WeightSpec = {
      name: "weights", shape: [this.outputSize, "inputSize"], learnRate: o.weightLearnRateFactor, l2: o.weightL2Factor,
      initializer: (shape, random) => initialize(o.weightsInitializer ?? "glorot", shape, { numIn: shape[1], numOut: shape[0] }, random, `${this.label}: weights`),
    };
    const bias: WeightSpec = {
      name: "bias", shape: [this.outputSize], learnRate: o.biasLearnRateFactor, l2: o.biasL2Factor ?? 0,
      initializer: (shape, random, sizes) => initialize(o.biasInitializer ?? "zeros", shape, { numIn: sizes.inputSize as number, numOut: shape[0] }, random, `${this.label}: bias`),
    };
    return this.hasBias ? [weights, bias] : [weights];
  }
  protected channelsOut(channelsIn: number, pending: Pending): number {
    this.fixInputSize(pending, channelsIn);
    return this.outputSize;
  }
  /** Its weights and (when it has one) bias as a call sees them (attention's additive scoring form reads them). */
  affineParameters(pending?: Pending): { weights: Tensor; bias?: Tensor } {
    return { weights: this.parameter("weights", pending), bias: this.hasBias ? this.parameter("bias", pending) : undefined };
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, { pending }: { pending: Pending }): NetValue {
    const bias = this.hasBias ? this.parameter("bias", pending) : undefined;
    return { x: ops.linear(x, this.parameter("weights", pending), bias), lengths }; // [.., outputSize]
  }
  override config(): LayerConfig {
    const { weights: _w, bias: _b, weightsInitializer, biasInitializer, ...rest } = this.options;
    const serializable = (i: unknown) => (typeof i === "string" ? i : undefined);
    return { kind: this.kind, args: [this.outputSize, { ...rest, inputSize: this.inputSize, weightsInitializer: serializable(weightsInitializer), biasInitializer: serializable(biasInitializer), name: this.name }] };
  }
}

/**
 * MATLAB fullyConnectedLayer(outputSize, options): a dense map of the channels.
 * @example fullyConnectedLayer(9).apply(tensor([[1, 2, 3]])) // [1, 9]
 */
export function fullyConnectedLayer(outputSize: number, options?: FullyConnectedLayerOptions): FullyConnectedLayer {
  return new FullyConnectedLayer(outputSize, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The fullyConnectedLayer kind: config args [outputSize, options]. */
export const fullyConnectedLayerKind = defineLayerKind({ kind: "fullyConnectedLayer", positional: ["outputSize"], fromConfig: ([n, o]) => new FullyConnectedLayer(n, o) });
