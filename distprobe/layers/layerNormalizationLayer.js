// layerNormalizationLayer (MATLAB): over the channel axis, y = (x − μ) / √(σ² + ε) · scale + offset.
import { layerName } from "./validate.js";
import { checkNumber } from "../util/validate.js";
import { checkOptionNames } from "../util/checkOptions.js";
import { layerNorm } from "../tensor/ops/layerNorm.js";
import { Tensor } from "../tensor/tensor.js";
import { SimpleLayer } from "./simpleLayer.js";
/** Normalizes each position over its channels, then scales and offsets them (learned scale and offset [C]). */
export class LayerNormalizationLayer extends SimpleLayer {
    kind = "layerNormalizationLayer";
    epsilon;
    numChannels = "auto";
    parameterNames = ["scale", "offset"];
    constructor(options = {}) {
        super();
        this.name = layerName(options, this.kind);
        checkOptionNames(options, ["epsilon", "name"], this.label);
        this.epsilon = options.epsilon === undefined ? 1e-5 : checkNumber(options.epsilon, this.label, "epsilon", { min: 0, minExclusive: true });
    }
    parameterShape() {
        return this.numChannels === "auto" ? undefined : [this.numChannels];
    }
    initialValue(name, shape) {
        return new Tensor(new Float32Array(shape[0]).fill(name === "scale" ? 1 : 0), shape);
    }
    setSizes(sizes) {
        if (sizes.inputSize !== undefined)
            this.channelsOut(sizes.inputSize);
    }
    parameterRank(_name) {
        return 1;
    }
    inferSizesFrom(_name, shape) {
        if (shape.length === 1 && this.numChannels === "auto")
            this.numChannels = shape[0];
    }
    saveSizes() {
        const numChannels = this.numChannels;
        return () => { this.numChannels = numChannels; };
    }
    channelsOut(channelsIn) {
        if (this.numChannels === "auto")
            this.numChannels = channelsIn;
        else if (this.numChannels !== channelsIn)
            throw this.error(`input "in" has ${channelsIn} channels but the layer was built for ${this.numChannels}`);
        return channelsIn;
    }
    parameterFactors(name) {
        return { learnRate: 1, l2: name === "scale" ? 1 : 0 };
    }
    compute(x, lengths, _c) {
        return { x: layerNorm(x, this.parameter("scale"), this.parameter("offset"), this.epsilon), lengths };
    }
    config() {
        return { kind: this.kind, args: [{ epsilon: this.epsilon, name: this.name }] };
    }
}
/** MATLAB layerNormalizationLayer(options): (x − mean)/√(var + ε)·scale + offset over the last axis. */
export function layerNormalizationLayer(options) {
    return new LayerNormalizationLayer(options);
}
