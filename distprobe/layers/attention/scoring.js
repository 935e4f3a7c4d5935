import * as ops from "../../tensor/ops/index.js";
import { formatShape } from "../../tensor/shape.js";
import { describe } from "../../util/validate.js";
import { initialize } from "../initializers.js";
import { Layer } from "../layer.js";
/** The built-in scoring nets report errors as the attention layer that owns them. */
class BuiltInScoring extends Layer {
    owner;
    constructor(owner) {
        super();
        this.owner = owner;
    }
    get label() {
        return this.owner?.() ?? super.label;
    }
}
/** "Dot": s = k·q (needs k = q). */
export class DotScoring extends BuiltInScoring {
    kind = "DotScoring";
    sizeNames = ["inputSize", "querySize"];
    inputNames = ["input", "query"];
    outputNames = ["output"];
    parameterNames = [];
    parameterShape() { return undefined; }
    initialValue() { throw this.error("has no parameters"); }
    setSizes(sizes) {
        if (sizes.inputSize !== undefined && sizes.querySize !== undefined && sizes.inputSize !== sizes.querySize) {
            throw this.error(`"Dot" scoring needs equal key and query sizes, got key size ${sizes.inputSize} and query size ${sizes.querySize}`);
        }
    }
    apply(ports) {
        const { input, query } = ports;
        if (input.shape.at(-1) !== query.shape.at(-1)) {
            throw this.error(`"Dot" scoring needs equal sizes: input ${formatShape(input.shape)}, query ${formatShape(query.shape)}`);
        }
        return ops.sum(ops.mul(input, query), -1);
    }
    dotProductForm() { return { keyProjection: null }; }
}
/** "Bilinear": s = q·(W k), W [querySize, keySize], no bias. */
export class BilinearScoring extends BuiltInScoring {
    kind = "BilinearScoring";
    sizeNames = ["inputSize", "querySize"];
    inputNames = ["input", "query"];
    outputNames = ["output"];
    parameterNames = ["weights"];
    keySize;
    querySize;
    parameterShape() {
        return this.keySize !== undefined && this.querySize !== undefined ? [this.querySize, this.keySize] : undefined;
    }
    initialValue(_name, shape, random) {
        return initialize("glorot", shape, { numIn: shape[1], numOut: shape[0] }, random, this.label);
    }
    setSizes(sizes) {
        this.keySize = this.fixSize("key size", this.keySize, sizes.inputSize);
        this.querySize = this.fixSize("query size", this.querySize, sizes.querySize);
    }
    parameterRank(_name) {
        return 2;
    }
    inferSizesFrom(_name, shape) {
        if (shape.length === 2)
            this.setSizes({ querySize: shape[0], inputSize: shape[1] });
    }
    saveSizes() {
        const { keySize, querySize } = this;
        return () => { this.keySize = keySize; this.querySize = querySize; };
    }
    fixSize(what, had, got) {
        if (got === undefined)
            return had;
        if (had !== undefined && had !== got)
            throw this.error(`${what} is ${had} (from the weights [querySize, keySize]) but data has ${got}`);
        return got;
    }
    apply(ports) {
        this.initialize({ inputSize: ports.input.shape.at(-1), querySize: ports.query.shape.at(-1) });
        const wk = ops.linear(ports.input, this.parameter("weights")); // [..., q] = (W k)ᵀ
        return ops.sum(ops.mul(wk, ports.query), -1);
    }
    dotProductForm() { return { keyProjection: this.parameter("weights") }; }
}
/** The scoring net of a layer; `owner` gives the layer's label for messages. */
export function scoringNetFor(scoring, where, owner) {
    if (scoring === "Dot")
        return new DotScoring(owner);
    if (scoring === "Bilinear")
        return new BilinearScoring(owner);
    if (scoring && typeof scoring === "object" && typeof scoring.apply === "function") {
        const names = scoring.inputNames ?? [];
        if (!names.includes("input") || !names.includes("query")) {
            throw new Error(`${where}: a scoring net needs input ports "input" and "query", got ${JSON.stringify(names)}`);
        }
        return scoring;
    }
    throw new Error(`${where}: scoring must be "Dot", "Bilinear" or a net with ports input and query, got ${describe(scoring)}`);
}
