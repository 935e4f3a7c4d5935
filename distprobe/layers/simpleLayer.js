// A layer with one input "in" and one output "out" that acts on the last (channel) axis, so it serves
// single vectors, sequences [T, C] and batches [B, T, C] alike. Subclasses give the channel map and the
// computation; `apply` mirrors the input's kind (tensor in, tensor out; nested arrays in, arrays out).
import { formatShape } from "../tensor/shape.js";
import { Random } from "../tensor/random.js";
import { Tensor, asTensor } from "../tensor/tensor.js";
import { checkOptionNames } from "../util/checkOptions.js";
import { checkBoolean, checkOptionsObject, checkSeed } from "../util/validate.js";
import { Layer } from "./layer.js";
/** The base of one-input, one-output layers acting on the last (channel) axis: vectors, sequences [T, C] and batches [B, T, C] alike. */
export class SimpleLayer extends Layer {
    inputNames = ["in"];
    outputNames = ["out"];
    applySeeds = new Random(0xa11);
    inferSizes(inputs) {
        return { out: this.channelsOut(inputs.in) };
    }
    forward(inputs, context) {
        const { x, lengths } = inputs.in;
        if (x.rank === 0)
            throw this.error(`input "in" must have a channel axis, got a scalar`);
        this.channelsOut(x.shape[x.rank - 1]);
        this.ensureInitialized();
        return { out: this.compute(x, lengths, context) };
    }
    /** Applies the layer to one array (any leading axes, channels last). */
    apply(input, options = {}) {
        const where = `${this.label}.apply`;
        checkOptionsObject(options, where);
        checkOptionNames(options, ["training", "seed"], where);
        if (options.training !== undefined)
            checkBoolean(options.training, where, "training");
        if (options.seed !== undefined)
            checkSeed(options.seed, where);
        const x = asTensor(input, `${this.label}: input "in"`);
        if (x.rank === 0 || x.shape[x.rank - 1] === 0)
            throw this.error(`input "in" must have a channel axis of size ≥ 1, got shape ${formatShape(x.shape)}`);
        const random = new Random(options.seed ?? this.applySeeds.seed());
        const { out } = this.unchangedOnError(() => this.forward({ in: { x } }, { training: options.training ?? false, random }));
        return input instanceof Tensor ? out.x : out.x.toArray();
    }
}
/** Sizes of a layer without parameters: nothing to fix. */
export class ParameterFreeLayer extends SimpleLayer {
    parameterNames = [];
    parameterShape() { return undefined; }
    initialValue() { throw this.error("has no parameters"); }
    setSizes() { }
}
