// fullyConnectedLayer (MATLAB): y = x Wᵀ + b on the channel axis (ops.linear: one GEMM reading W transposed). Weights [outputSize, inputSize], bias [outputSize].
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import { Random } from "../tensor/random.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { checkInitializer, initialize, type Initializer } from "./initializers.js";
import type { ForwardContext, LayerConfig, NetValue, ParameterFactors } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
import { booleanOption, checkFactor, checkPositiveInteger, fixInputSize, layerName, sizeOrAuto } from "./validate.js";

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
  readonly kind = "fullyConnectedLayer";
  readonly outputSize: number;
  inputSize: number | "auto";
  readonly hasBias: boolean;
  protected readonly parameterNames: readonly string[];
  private readonly options: FullyConnectedLayerOptions;

  constructor(outputSize: number, options: FullyConnectedLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["inputSize", "weightsInitializer", "biasInitializer", "weights", "bias", "hasBias", "weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor", "name"], this.label);
    this.options = options;
    this.outputSize = checkPositiveInteger(outputSize, "outputSize", this);
    this.inputSize = sizeOrAuto(options.inputSize, "inputSize", this);
    this.hasBias = booleanOption(options.hasBias, true, "hasBias", this);
    this.parameterNames = this.hasBias ? ["weights", "bias"] : ["weights"];
    checkInitializer(options.weightsInitializer ?? "glorot", ["glorot", "he", "narrow-normal", "zeros", "ones"], `${this.label}: weightsInitializer`);
    checkInitializer(options.biasInitializer ?? "zeros", ["glorot", "he", "narrow-normal", "zeros", "ones"], `${this.label}: biasInitializer`);
    for (const f of ["weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor"] as const) checkFactor(options[f], f, this);
    if (options.weights !== undefined) this.setParameter("weights", options.weights as never);
    if (options.bias !== undefined) this.setParameter("bias", options.bias as never);
  }

  protected parameterShape(name: string): number[] | undefined {
    if (name === "bias") return [this.outputSize];
    return this.inputSize === "auto" ? undefined : [this.outputSize, this.inputSize];
  }
  protected initialValue(name: string, shape: number[], random: Random): Tensor {
    const init = name === "bias" ? this.options.biasInitializer ?? "zeros" : this.options.weightsInitializer ?? "glorot";
    return initialize(init, shape, { numIn: this.inputSize as number, numOut: this.outputSize }, random, `${this.label}: ${name}`);
  }
  protected setSizes(sizes: Record<string, number>): void {
    if (sizes.inputSize !== undefined) this.channelsOut(sizes.inputSize);
  }
  protected override parameterRank(name: string): number {
    return name === "bias" ? 1 : 2;
  }
  protected override inferSizesFrom(name: string, shape: readonly number[]): void {
    if (name === "weights" && shape.length === 2 && this.inputSize === "auto") this.inputSize = shape[1];
  }
  protected override saveSizes(): () => void {
    const inputSize = this.inputSize;
    return () => { this.inputSize = inputSize; };
  }
  protected channelsOut(channelsIn: number): number {
    this.inputSize = fixInputSize(this, this.inputSize, channelsIn);
    return this.outputSize;
  }
  override parameterFactors(name: string): ParameterFactors {
    const o = this.options;
    return name === "bias"
      ? { learnRate: o.biasLearnRateFactor ?? 1, l2: o.biasL2Factor ?? 0 }
      : { learnRate: o.weightLearnRateFactor ?? 1, l2: o.weightL2Factor ?? 1 };
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, _c: ForwardContext): NetValue {
    const y = ops.linear(x, this.parameter("weights")); // [.., outputSize]
    return { x: this.hasBias ? ops.add(y, this.parameter("bias")) : y, lengths };
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
