// Learned lookup tables.
// embeddingLayer(dimension, numWords): integer indices (0-based) [.., T] or [.., T, 1] → [.., T, dimension],
//   y[t] = weights[index_t]; weights [numWords, dimension].
// positionEmbeddingLayer(outputSize, maxPosition): any [.., T, C] → [.., T, outputSize], y[t] = weights[t]
//   (the position, not the value, selects the row; add it to the input with additionLayer). weights [maxPosition, outputSize].
import { checkOptionNames } from "../util/checkOptions.js";
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import { initialize } from "./initializers.js";
import { SimpleLayer } from "./simpleLayer.js";
import { checkPositiveInteger, layerName } from "./validate.js";
class TableLayer extends SimpleLayer {
    rows;
    width;
    kind;
    parameterNames = ["weights"];
    sizeNames = [];
    /** `kind` names the layer in messages (it must be known before the subclass's fields are) */
    constructor(kind, rows, width, options, rowsName, widthName) {
        super();
        this.rows = rows;
        this.width = width;
        this.kind = kind;
        checkOptionNames(options, ["name"], kind);
        this.name = layerName(options, this.kind);
        checkPositiveInteger(rows, rowsName, this);
        checkPositiveInteger(width, widthName, this);
    }
    parameterShape() {
        return [this.rows, this.width];
    }
    initialValue(name, shape, random) {
        return initialize("narrow-normal", shape, { numIn: shape[0], numOut: shape[1] }, random, `${this.label}: ${name}`);
    }
    setSizes() { }
    /** every row of the table is one output vector, whatever the input's channel count */
    channelsOut() {
        return this.width;
    }
}
/** A lookup table: 0-based indices [.., T] → rows of weights [numWords, dimension], so [.., T, dimension]. */
export class EmbeddingLayer extends TableLayer {
    dimension;
    numWords;
    constructor(dimension, numWords, options = {}) {
        super("embeddingLayer", numWords, dimension, options, "numWords", "dimension");
        this.dimension = dimension;
        this.numWords = numWords;
    }
    compute(x, lengths, _c) {
        const positions = x.shape[x.rank - 1] === 1 && x.rank > 1 ? x.shape.slice(0, -1) : [...x.shape];
        const indices = Array.from(x.data, (v, i) => {
            if (!Number.isInteger(v) || v < 0 || v >= this.numWords) {
                if (lengths && isPadding(i, positions, lengths))
                    return 0; // padded steps may hold anything
                throw this.error(`input "in" holds ${v} at position ${i}; indices must be integers in [0, ${this.numWords})`);
            }
            return v;
        });
        return { x: ops.gather(this.parameter("weights"), indices, positions), lengths };
    }
    config() {
        return { kind: this.kind, args: [this.dimension, this.numWords, { name: this.name }] };
    }
}
function isPadding(flat, positions, lengths) {
    if (positions.length < 2)
        return false;
    const T = positions[positions.length - 1];
    return flat % T >= lengths[Math.floor(flat / T)];
}
/** Learned position embeddings: x [.., T, C] → weights rows 0 … T − 1 [T, outputSize], broadcast over the batch. */
export class PositionEmbeddingLayer extends TableLayer {
    outputSize;
    maxPosition;
    constructor(outputSize, maxPosition, options = {}) {
        super("positionEmbeddingLayer", maxPosition, outputSize, options, "maxPosition", "outputSize");
        this.outputSize = outputSize;
        this.maxPosition = maxPosition;
    }
    compute(x, lengths, _c) {
        if (x.rank < 2)
            throw this.error(`input "in" must be [T, C] or [B, T, C], got ${formatShape(x.shape)}`);
        const T = x.shape[x.rank - 2];
        if (T > this.maxPosition)
            throw this.error(`input "in" has ${T} time steps but maxPosition is ${this.maxPosition}`);
        const table = ops.slice(this.parameter("weights"), 0, 0, T); // [T, outputSize]
        return { x: ops.broadcastTo(table, [...x.shape.slice(0, -1), this.outputSize]), lengths };
    }
    config() {
        return { kind: this.kind, args: [this.outputSize, this.maxPosition, { name: this.name }] };
    }
}
/** MATLAB wordEmbeddingLayer-style embeddingLayer(dimension, numWords): integer indices → learned vectors. */
export const embeddingLayer = (dimension, numWords, options) => new EmbeddingLayer(dimension, numWords, options);
/** MATLAB positionEmbeddingLayer(outputSize, maxPosition): one learned vector per time step. */
export const positionEmbeddingLayer = (outputSize, maxPosition, options) => new PositionEmbeddingLayer(outputSize, maxPosition, options);
