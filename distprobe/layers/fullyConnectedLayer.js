// fullyConnectedLayer (MATLAB): y = x Wᵀ + b on the channel axis (ops.linear: one GEMM reading W transposed). Weights [outputSize, inputSize], bias [outputSize].
import { checkOptionNames } from "../util/checkOptions.js";
import * as ops from "../tensor/ops/index.js";
import { checkInitializer, initialize } from "./initializers.js";
import { SimpleLayer } from "./simpleLayer.js";
import { booleanOption, checkFactor, checkPositiveInteger, fixInputSize, layerName, sizeOrAuto } from "./validate.js";
/** y = x·Wᵀ + b over the last axis: [.., inputSize] → [.., outputSize], W [outputSize, inputSize]. */
export class FullyConnectedLayer extends SimpleLayer {
    kind = "fullyConnectedLayer";
    outputSize;
    inputSize;
    hasBias;
    parameterNames;
    options;
    constructor(outputSize, options = {}) {
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
        for (const f of ["weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor"])
            checkFactor(options[f], f, this);
        if (options.weights !== undefined)
            this.setParameter("weights", options.weights);
        if (options.bias !== undefined)
            this.setParameter("bias", options.bias);
    }
    parameterShape(name) {
        if (name === "bias")
            return [this.outputSize];
        return this.inputSize === "auto" ? undefined : [this.outputSize, this.inputSize];
    }
    initialValue(name, shape, random) {
        const init = name === "bias" ? this.options.biasInitializer ?? "zeros" : this.options.weightsInitializer ?? "glorot";
        return initialize(init, shape, { numIn: this.inputSize, numOut: this.outputSize }, random, `${this.label}: ${name}`);
    }
    setSizes(sizes) {
        if (sizes.inputSize !== undefined)
            this.channelsOut(sizes.inputSize);
    }
    parameterRank(name) {
        return name === "bias" ? 1 : 2;
    }
    inferSizesFrom(name, shape) {
        if (name === "weights" && shape.length === 2 && this.inputSize === "auto")
            this.inputSize = shape[1];
    }
    saveSizes() {
        const inputSize = this.inputSize;
        return () => { this.inputSize = inputSize; };
    }
    channelsOut(channelsIn) {
        this.inputSize = fixInputSize(this, this.inputSize, channelsIn);
        return this.outputSize;
    }
    parameterFactors(name) {
        const o = this.options;
        return name === "bias"
            ? { learnRate: o.biasLearnRateFactor ?? 1, l2: o.biasL2Factor ?? 0 }
            : { learnRate: o.weightLearnRateFactor ?? 1, l2: o.weightL2Factor ?? 1 };
    }
    compute(x, lengths, _c) {
        const y = ops.linear(x, this.parameter("weights")); // [.., outputSize]
        return { x: this.hasBias ? ops.add(y, this.parameter("bias")) : y, lengths };
    }
    config() {
        const { weights: _w, bias: _b, weightsInitializer, biasInitializer, ...rest } = this.options;
        const serializable = (i) => (typeof i === "string" ? i : undefined);
        return { kind: this.kind, args: [this.outputSize, { ...rest, inputSize: this.inputSize, weightsInitializer: serializable(weightsInitializer), biasInitializer: serializable(biasInitializer), name: this.name }] };
    }
}
/**
 * MATLAB fullyConnectedLayer(outputSize, options): a dense map of the channels.
 * @example fullyConnectedLayer(9).apply(tensor([[1, 2, 3]])) // [1, 9]
 */
export function fullyConnectedLayer(outputSize, options) {
    return new FullyConnectedLayer(outputSize, options);
}
