import { AttentionBase } from "./attentionLayer.js";
import { checkOptionNames } from "../../util/checkOptions.js";
import { checkOptionsObject } from "../../util/validate.js";
/** Wolfram's SequenceAttentionLayer: attention with key = value = input; ports input, query → output [m, d1]. */
export class SequenceAttentionLayer extends AttentionBase {
    inputNames = ["input", "query"];
    roles = { key: "input", value: "input", query: "query" };
    constructor(scoring = "Bilinear", options = {}) {
        checkOptionsObject(options, "sequenceAttentionLayer");
        checkOptionNames(options, ["mask", "scoreRescaling", "dropout", "input", "query", "name"], typeof options.name === "string" && options.name ? `sequenceAttentionLayer "${options.name}"` : "sequenceAttentionLayer");
        const { input, ...rest } = options;
        super("sequenceAttentionLayer", scoring, { ...rest, key: input, value: input });
    }
    portSpecs() {
        return { input: this.ports.key.describe(), query: this.ports.query.describe() };
    }
    config() {
        const c = super.config();
        const { multiHead: _m, ...options } = c.args[1];
        return { kind: this.kind, args: [c.args[0], options] };
    }
    examplePorts(example) {
        return { key: example.input, value: example.input, query: example.query };
    }
    initialize(options = {}) {
        checkOptionsObject(options, `${this.label}.initialize`);
        checkOptionNames(options, ["seed", "inputSize", "querySize"], `${this.label}.initialize`);
        const sizes = { seed: options.seed, keySize: options.inputSize, valueSize: options.inputSize, querySize: options.querySize };
        return this.unchangedOnError(() => this.initializeSizes(sizes, { keySize: "inputSize", querySize: "querySize" }));
    }
    portRanks() {
        return { key: 2, query: 2 };
    }
}
/**
 * Wolfram SequenceAttentionLayer[scoring, opts]: input [n, d1], query [m, d2] → [m, d1].
 * @example sequenceAttentionLayer("Bilinear").apply({ input: [[1, 2], [3, 4]], query: [[1, 0, 0]] })
 */
export function sequenceAttentionLayer(scoring, options) {
    return new SequenceAttentionLayer(scoring, options);
}
