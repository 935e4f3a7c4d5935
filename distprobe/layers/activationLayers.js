// Parameter-free layers that map each channel vector: softmax (over channels), relu, gelu, tanh, sigmoid.
import { layerName } from "./validate.js";
import { checkOptionNames } from "../util/checkOptions.js";
import * as ops from "../tensor/ops/index.js";
import { ParameterFreeLayer } from "./simpleLayer.js";
const FUNCTIONS = {
    softmaxLayer: (x) => ops.softmax(x, -1),
    reluLayer: ops.relu,
    geluLayer: ops.gelu,
    tanhLayer: ops.tanh,
    sigmoidLayer: ops.sigmoid,
};
/** An elementwise activation as a layer (softmax over the last axis, relu, gelu, tanh, sigmoid); port in → out, same shape. */
export class ActivationLayer extends ParameterFreeLayer {
    kind;
    constructor(kind, options = {}) {
        super();
        this.kind = kind;
        if (!Object.hasOwn(FUNCTIONS, kind))
            throw new Error(`activation layer: unknown kind ${JSON.stringify(kind)} (kinds: ${Object.keys(FUNCTIONS).join(", ")})`);
        this.name = layerName(options, this.kind);
        checkOptionNames(options, ["name"], this.label);
    }
    channelsOut(channelsIn) {
        return channelsIn;
    }
    compute(x, lengths, _c) {
        return { x: FUNCTIONS[this.kind](x), lengths };
    }
    config() {
        return { kind: this.kind, args: [{ name: this.name }] };
    }
}
/** MATLAB softmaxLayer: softmax over the channels (last axis), so a net's output is class probabilities. */
export const softmaxLayer = (options) => new ActivationLayer("softmaxLayer", options);
/** MATLAB reluLayer: max(x, 0) elementwise. */
export const reluLayer = (options) => new ActivationLayer("reluLayer", options);
/** MATLAB geluLayer: x·Φ(x) elementwise (the exact form). */
export const geluLayer = (options) => new ActivationLayer("geluLayer", options);
/** MATLAB tanhLayer: tanh(x) elementwise. */
export const tanhLayer = (options) => new ActivationLayer("tanhLayer", options);
/** MATLAB sigmoidLayer: 1 / (1 + e^−x) elementwise. */
export const sigmoidLayer = (options) => new ActivationLayer("sigmoidLayer", options);
