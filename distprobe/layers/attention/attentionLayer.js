import { explicitAllows, keyRange, visibleKeyCount } from "../../kernels/attention/problem.js";
import { attend } from "../../functional/attentionNode.js";
import * as ops from "../../tensor/ops/index.js";
import { Random } from "../../tensor/random.js";
import { formatShape, sameShape, sizeOf } from "../../tensor/shape.js";
import { Tensor, asTensor } from "../../tensor/tensor.js";
import { checkOptionNames } from "../../util/checkOptions.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionsObject, checkSeed, checkString, describe, optional } from "../../util/validate.js";
import { Layer } from "../layer.js";
import { batchRow, padSequences } from "../sequenceBatch.js";
import { makeReadOnly } from "../validate.js";
import { scoringNetFor } from "./scoring.js";
import { PortShape } from "./shapeSpec.js";
/**
 * The attention computation shared by attentionLayer and sequenceAttentionLayer; a subclass says how
 * an example's ports map onto the key, value and query roles.
 */
export class AttentionBase extends Layer {
    kind;
    outputNames = ["output"];
    parameterNames = [];
    scoringNet;
    mask;
    scoreRescaling;
    dropout;
    multiHead;
    scoring;
    ports;
    dropoutSeeds = new Random(0x5eed);
    /** `kind` names the layer in messages (it must be known before the subclass's fields are) */
    constructor(kind, scoring = "Bilinear", options = {}) {
        super();
        this.kind = kind;
        checkOptionsObject(options, kind);
        this.name = optional(options.name, "", (v) => checkString(v, kind, "name"));
        checkOptionNames(options, ["mask", "scoreRescaling", "dropout", "multiHead", "key", "value", "query", "name"], this.label);
        this.scoringNet = scoringNetFor(scoring, this.label, () => this.label);
        this.scoring = scoring === "Dot" || scoring === "Bilinear" ? scoring : "custom";
        this.mask = checkMask(options.mask ?? "none", this.label);
        this.scoreRescaling = optional(options.scoreRescaling, "none", (v) => checkOneOf(v, ["none", "lengthSqrt", "dimensionSqrt"], this.label, "scoreRescaling"));
        this.dropout = optional(options.dropout, 0, (v) => checkNumber(v, this.label, "dropout", { min: 0, max: 1, maxExclusive: true }));
        this.multiHead = optional(options.multiHead, false, (v) => checkBoolean(v, this.label, "multiHead"));
        this.ports = {
            key: new PortShape("key", options.key, this.label),
            value: new PortShape("value", options.value, this.label),
            query: new PortShape("query", options.query, this.label),
        };
        makeReadOnly(this, ["scoringNet", "scoring", "mask", "scoreRescaling", "dropout", "multiHead"]);
    }
    /** The scoring net's parameters, prefixed "scoringNet/" for custom nets; "weights" for Bilinear. */
    get parameters() {
        const inner = this.scoringNet.parameters;
        if (this.scoring !== "custom")
            return { ...inner };
        return Object.fromEntries(Object.entries(inner).map(([n, t]) => [`scoringNet/${n}`, t]));
    }
    setParameter(name, value) {
        const inner = this.scoring === "custom" ? name.replace(/^scoringNet\//, "") : name;
        const [k, q] = [this.ports.key.vectorSize, this.ports.query.vectorSize];
        if (this.scoring === "Bilinear" && name === "weights" && k !== undefined && q !== undefined) {
            const shape = asTensor(value, `${this.label}: parameter "weights"`).shape;
            if (shape.length !== 2 || shape[0] !== q || shape[1] !== k) {
                throw this.error(`parameter "weights" must have shape ${formatShape([q, k])} [querySize, ${this.roles.key}Size], got ${formatShape(shape)}`);
            }
        }
        const net = this.scoringNet;
        if (!net.setParameter)
            throw this.error(`the scoring net has no settable parameter "${name}"`);
        net.setParameter(inner, value);
    }
    get isInitialized() {
        return this.scoringNet.isInitialized;
    }
    initialize(options = {}) {
        const where = `${this.label}.initialize`;
        checkOptionsObject(options, where);
        checkOptionNames(options, ["seed", "keySize", "valueSize", "querySize"], where);
        return this.unchangedOnError(() => this.initializeSizes(options, { keySize: "keySize", querySize: "querySize" }));
    }
    /** Validated initialize; `names` are the size options as the caller spells them (for messages). */
    initializeSizes(options, names) {
        const where = `${this.label}.initialize`;
        if (options.seed !== undefined)
            checkSeed(options.seed, where);
        for (const n of ["keySize", "valueSize", "querySize"]) {
            if (options[n] !== undefined)
                checkInteger(options[n], where, n === "keySize" ? names.keySize : n === "querySize" ? names.querySize : n);
        }
        const sizes = { keySize: options.keySize ?? this.ports.key.vectorSize, querySize: options.querySize ?? this.ports.query.vectorSize };
        if (this.scoring === "Bilinear" && !this.scoringNet.isInitialized && (sizes.keySize === undefined || sizes.querySize === undefined)) {
            throw this.error(`cannot initialize "weights" [querySize, ${this.roles.key}Size] before its sizes are known; pass { ${names.keySize}, ${names.querySize} } to initialize() or apply the layer to data`);
        }
        if (options.keySize !== undefined)
            this.ports.key.vectorSize = options.keySize;
        if (options.valueSize !== undefined)
            this.ports.value.vectorSize = options.valueSize;
        if (options.querySize !== undefined)
            this.ports.query.vectorSize = options.querySize;
        this.scoringNet.initialize({ seed: options.seed, inputSize: sizes.keySize, querySize: sizes.querySize });
        return this;
    }
    parameterFactors(name) {
        return this.scoringNet.parameterFactors?.(name.replace(/^scoringNet\//, "")) ?? { learnRate: 1, l2: 1 };
    }
    parameterShape() { return undefined; }
    initialValue() { throw this.error("parameters live in the scoring net"); }
    setSizes() { }
    apply(input, options = {}) {
        const where = `${this.label}.apply`;
        checkOptionsObject(options, where);
        checkOptionNames(options, ["returnWeights", "training", "seed"], where);
        if (options.returnWeights !== undefined)
            checkBoolean(options.returnWeights, where, "returnWeights");
        if (options.training !== undefined)
            checkBoolean(options.training, where, "training");
        if (options.seed !== undefined)
            checkSeed(options.seed, where);
        return this.unchangedOnError(() => {
            if (isExampleList(input))
                return input.map((ex, i) => this.applyOne(ex, options, ` (example ${i + 1})`));
            return this.applyOne(input, options, "");
        });
    }
    saveSizes() {
        const restores = [this.ports.key.snapshot(), this.ports.value.snapshot(), this.ports.query.snapshot()];
        if (this.scoringNet instanceof Layer)
            restores.push(this.scoringNet.snapshot());
        return () => restores.forEach((restore) => restore());
    }
    applyOne(example, options, which) {
        if (example === null || typeof example !== "object" || Array.isArray(example)) {
            throw this.error(`expected an example { ${this.inputNames.join(", ")} }${which}, got ${describe(example)}`);
        }
        for (const port of this.inputNames) {
            if (!Object.hasOwn(example, port))
                throw this.error(`the example${which} has no "${port}" port (ports: ${this.inputNames.join(", ")})`);
        }
        for (const port of Object.keys(example)) {
            if (!this.inputNames.includes(port))
                throw this.error(`the example${which} has an unknown port "${port}" (ports: ${this.inputNames.join(", ")})`);
        }
        const ports = this.examplePorts(example, which);
        const key = asTensor(ports.key, `${this.label}: ${this.roles.key}`);
        const value = ports.value === ports.key ? key : asTensor(ports.value, `${this.label}: ${this.roles.value}`);
        const query = asTensor(ports.query, `${this.label}: ${this.roles.query}`);
        const { output, weights } = this.attendExample(key, value, query, options, which);
        const tensorIn = [ports.key, ports.value, ports.query].some((x) => x instanceof Tensor);
        const mirror = (t) => (tensorIn ? t : t.toArray());
        return options.returnWeights ? { output: mirror(output), weights: mirror(weights) } : mirror(output);
    }
    /** The whole computation on tensors; used by apply and by nets. */
    attendExample(key, value, query, options = {}, which = "") {
        const g = this.checkExample(key, value, query, which);
        this.ensureInitialized();
        const K = toHeadsFirst(key, 1, g.h, g.N, g.k, this.multiHead); // [1, h, N, k]
        const V = toHeadsFirst(value, 1, g.h, g.N, g.v, this.multiHead); // [1, h, N, v]
        const Q = toHeadsFirst(query, 1, g.h, g.M, g.q, this.multiHead); // [1, h, M, q]
        const maskSpec = this.maskSpec();
        const rowFactor = this.rowRescaling(g.M, g.N, maskSpec, g.k); // [M, 1] constant, or a number
        const dropoutRate = options.training ? this.dropout : 0;
        const seed = options.seed ?? this.dropoutSeeds.seed();
        let out, weights;
        const form = this.scoringNet.dotProductForm?.();
        if (form) {
            const r = this.attendDotProduct(form, K, V, Q, rowFactor, maskSpec, dropoutRate, seed, options.returnWeights === true);
            out = ops.reshape(r.output, [g.h, g.M, g.v]);
            weights = r.weights && ops.reshape(r.weights, [g.h, g.M, g.N]);
        }
        else {
            // The net scores every (key, query) pair; masked pairs see zero vectors and their scores are zeroed, so
            // a NaN there reaches nothing. The kernel then runs on the scores as queries against identity keys
            // (S·Iᵀ = S), which skips masked keys and their values exactly as the Dot path does (no 0·NaN).
            const allowed = maskSpec.causal ? allowedMatrix(maskSpec, g.h, g.M, g.N) : undefined; // [h, M, N]
            const scores = this.pairwiseScores(ops.reshape(K, [g.h, g.N, g.k]), ops.reshape(Q, [g.h, g.M, g.q]), g, allowed); // [h, M, N]
            const rescaled = ops.mul(scores, typeof rowFactor === "number" ? rowFactor : ops.reshape(rowFactor, [1, g.M, 1]));
            const finite = allowed ? ops.keepWhere(rescaled, allowed) : rescaled;
            const r = attend(ops.reshape(finite, [1, g.h, g.M, g.N]), identityKeys(g.h, g.N), V, { scale: 1, mask: maskSpec, dropout: dropoutRate > 0 ? { rate: dropoutRate, seed } : undefined }, options.returnWeights === true);
            out = ops.reshape(r.output, [g.h, g.M, g.v]);
            weights = r.weights && ops.reshape(r.weights, [g.h, g.M, g.N]);
        }
        return {
            output: fromHeadsFirst(ops.reshape(out, [1, g.h, g.M, g.v]), [], g.queryPositions, this.multiHead),
            weights: weights && weightsShape(weights, g, this.multiHead),
        };
    }
    /**
     * "Dot" and "Bilinear" scoring on [B, h, ·, ·] tensors: s = q·(P k) through the attention kernel, with the
     * rescaling folded into the kernel's scale (a number) or into the query rows (an [M, 1] column).
     */
    attendDotProduct(form, K, V, Q, rowFactor, mask, dropoutRate, seed, returnWeights) {
        const Qs = typeof rowFactor === "number" ? Q : ops.mul(Q, rowFactor);
        const Kp = form.keyProjection ? ops.linear(K, form.keyProjection) : K; // [B, h, N, q]
        return attend(Qs, Kp, V, {
            scale: typeof rowFactor === "number" ? rowFactor : 1, mask, dropout: dropoutRate > 0 ? { rate: dropoutRate, seed } : undefined,
        }, returnWeights);
    }
    /** One example's rank at a port: fixed by a subclass (sequenceAttentionLayer) or by a declared port shape. */
    exampleRank(port) {
        const role = ["key", "value", "query"].find((r) => this.roles[r] === port);
        if (role === undefined)
            return undefined;
        const fixed = this.portRanks()[role];
        return fixed ?? this.ports[role].rank;
    }
    /** Net use: the output channel count is the value size. */
    inferSizes(inputs) {
        const [k, v, q] = [inputs[this.roles.key], inputs[this.roles.value], inputs[this.roles.query]];
        this.initializeSizes({ keySize: k, valueSize: v, querySize: q }, { keySize: `${this.roles.key}Size`, querySize: "querySize" });
        if (this.ports.value.vectorSize !== undefined && this.ports.value.vectorSize !== v) {
            throw this.error(`input "${this.roles.value}" has ${v} channels but the layer expects ${this.ports.value.vectorSize}`);
        }
        return { output: v };
    }
    /**
     * Net use: every batch row is an example of its own length (validated as such). "Dot" and "Bilinear"
     * run the whole padded batch in one kernel call, padded keys blocked by per-row key lengths; each row's
     * result is the one it gets alone (padded query positions are zeroed). Custom scoring nets, and
     * lengthSqrt without a mask on rows of different key counts (a scale per row), run row by row.
     */
    forward(inputs, context) {
        const key = inputs[this.roles.key], value = inputs[this.roles.value], query = inputs[this.roles.query];
        return { output: this.forwardBatched(key, value, query, context) ?? this.forwardRows(key, value, query, context) };
    }
    forwardRows(key, value, query, context) {
        const B = query.x.shape[0];
        if (key.x.shape[0] !== B || value.x.shape[0] !== B) {
            throw this.error(`inputs must have the same batch size: ${this.roles.key} ${formatShape(key.x.shape)}, ${this.roles.value} ${formatShape(value.x.shape)}, query ${formatShape(query.x.shape)}`);
        }
        const outputs = [];
        for (let b = 0; b < B; b++) {
            const r = this.attendExample(batchRow(key.x, b, key.lengths), batchRow(value.x, b, value.lengths), batchRow(query.x, b, query.lengths), { training: context.training, seed: context.random.seed() }, ` (batch row ${b + 1})`);
            outputs.push(r.output);
        }
        if (!query.lengths)
            return { x: ops.stack(outputs, 0) };
        return padSequences(outputs);
    }
    /** The whole batch at once, or null where that would not give each row its own result. */
    forwardBatched(key, value, query, context) {
        const form = this.scoringNet.dotProductForm?.();
        if (!form)
            return null;
        const B = query.x.shape[0];
        // forwardRows reports mismatched batches; keys and values must share their padded positions
        if (key.x.shape[0] !== B || !sameShape(key.x.shape.slice(0, -1), value.x.shape.slice(0, -1)))
            return null;
        const rowShape = (v, b) => ({ shape: [v.lengths ? v.lengths[b] : v.x.shape[1], ...v.x.shape.slice(2)], rank: v.x.rank - 1 });
        let g;
        const keyCounts = [];
        for (let b = 0; b < B; b++) {
            g = this.checkExample(rowShape(key, b), rowShape(value, b), rowShape(query, b), ` (batch row ${b + 1})`);
            keyCounts.push(g.N);
        }
        if (g === undefined)
            return null;
        this.ensureInitialized();
        const headAxes = this.multiHead ? 1 : 0;
        const positions = (x) => x.shape.slice(1, x.rank - 1 - headAxes);
        const keyPositions = positions(key.x), queryPositions = positions(query.x);
        const N = sizeOf(keyPositions), M = sizeOf(queryPositions);
        const rowMask = this.maskSpec(); // the rule of one example; the batch adds per-row key lengths
        let rowFactor;
        if (this.scoreRescaling === "lengthSqrt" && !rowMask.causal) {
            if (keyCounts.some((n) => n !== keyCounts[0]))
                return null; // 1/√N differs per row
            rowFactor = this.rowRescaling(M, keyCounts[0], rowMask, g.k);
        }
        else
            rowFactor = this.rowRescaling(M, N, rowMask, g.k); // under a causal mask, row i's count is the same in every batch row
        const maskSpec = { ...rowMask, keyLengths: keyCounts };
        const r = this.attendDotProduct(form, toHeadsFirst(key.x, B, g.h, N, g.k, this.multiHead), toHeadsFirst(value.x, B, g.h, N, g.v, this.multiHead), toHeadsFirst(query.x, B, g.h, M, g.q, this.multiHead), rowFactor, maskSpec, context.training ? this.dropout : 0, context.random.seed(), false);
        const output = fromHeadsFirst(r.output, [B], queryPositions, this.multiHead); // [B, q…, (h,) v]
        if (!query.lengths || query.lengths.every((len) => len === query.x.shape[1]))
            return { x: output, lengths: query.lengths };
        // zero the padded query positions, as padding the rows' own results would
        const T = query.x.shape[1];
        const valid = new Float32Array(B * T);
        query.lengths.forEach((len, b) => valid.fill(1, b * T, b * T + len));
        return { x: ops.mul(output, new Tensor(valid, [B, T, ...new Array(output.rank - 2).fill(1)])), lengths: query.lengths };
    }
    config() {
        const scoring = this.scoring === "custom" ? { net: this.scoringNet.config() } : this.scoring;
        return {
            kind: this.kind,
            args: [scoring, {
                    mask: this.mask, scoreRescaling: this.scoreRescaling, dropout: this.dropout, multiHead: this.multiHead, name: this.name,
                    ...this.portSpecs(),
                }],
        };
    }
    portSpecs() {
        return { key: this.ports.key.describe(), value: this.ports.value.describe(), query: this.ports.query.describe() };
    }
    /** Exact ranks a subclass requires of its ports (sequenceAttentionLayer: [n, d1] and [m, d2]). */
    portRanks() {
        return {};
    }
    /** Evaluates the custom scoring net on every (key, query) pair: [h, M, N]. */
    pairwiseScores(K, Q, g, allowed) {
        let input = ops.broadcastTo(ops.reshape(K, [g.h, 1, g.N, g.k]), [g.h, g.M, g.N, g.k]);
        let query = ops.broadcastTo(ops.reshape(Q, [g.h, g.M, 1, g.q]), [g.h, g.M, g.N, g.q]);
        if (allowed) {
            const keep = ops.reshape(allowed, [g.h, g.M, g.N, 1]);
            input = ops.keepWhere(input, keep);
            query = ops.keepWhere(query, keep);
        }
        const s = this.scoringNet.apply({ input, query }, {});
        if (!(s instanceof Tensor) || s.size !== g.h * g.M * g.N) {
            const got = s instanceof Tensor ? formatShape(s.shape) : typeof s;
            throw this.error(`the scoring net must return one scalar per (key, query) pair, shape ${formatShape([g.h, g.M, g.N])} or with a trailing 1, got ${got}`);
        }
        return ops.reshape(s, [g.h, g.M, g.N]);
    }
    /** Checks one example's port shapes (tensors, or shapes of batch rows) and returns its geometry. */
    checkExample(key, value, query, which) {
        const where = `${this.label}${which}`;
        const headAxes = this.multiHead ? 1 : 0;
        if (key.rank < 2 + headAxes) {
            throw this.error(`${this.roles.key}${which} must be an array of vectors${this.multiHead ? " per head [d…, h, k]" : " [d1…dn, k]"} (rank ≥ ${2 + headAxes}), got shape ${formatShape(key.shape)}`);
        }
        const ranks = this.portRanks();
        for (const [role, t] of [["key", key], ["query", query]]) {
            const r = ranks[role];
            if (r !== undefined && t.rank !== r)
                throw this.error(`${this.roles[role]}${which} must have rank ${r}, got shape ${formatShape(t.shape)}`);
        }
        if (query.rank < 1 + headAxes)
            throw this.error(`${this.roles.query}${which} must have rank ≥ ${1 + headAxes}, got shape ${formatShape(query.shape)}`);
        const keyPositions = key.shape.slice(0, -1), valuePositions = value.shape.slice(0, -1);
        if (value.rank !== key.rank || keyPositions.some((d, i) => d !== valuePositions[i])) {
            throw this.error(`${this.roles.key} and ${this.roles.value}${which} must have the same positions: ${this.roles.key} ${formatShape(key.shape)}, ${this.roles.value} ${formatShape(value.shape)}`);
        }
        this.ports.key.check(key.shape, where, this.roles.key);
        this.ports.value.check(value.shape, where, this.roles.value);
        this.ports.query.check(query.shape, where, this.roles.query);
        const h = this.multiHead ? key.shape[key.rank - 2] : 1;
        if (this.multiHead && query.shape[query.rank - 2] !== h) {
            throw this.error(`with multiHead, query${which} ${formatShape(query.shape)} must have ${h} heads on its second-to-last axis like key ${formatShape(key.shape)}`);
        }
        const keyPos = key.shape.slice(0, key.rank - 1 - headAxes);
        const queryPositions = query.shape.slice(0, query.rank - 1 - headAxes);
        const g = {
            h, N: sizeOf(keyPos), M: sizeOf(queryPositions), k: key.shape[key.rank - 1], v: value.shape[value.rank - 1],
            q: query.shape[query.rank - 1], keyPositions: keyPos, queryPositions,
        };
        if (g.k === 0 || g.q === 0)
            throw this.error(`${this.roles.key} and query vectors${which} must have size ≥ 1, got ${this.roles.key} ${formatShape(key.shape)} and query ${formatShape(query.shape)}`);
        if (this.scoring === "Dot" && g.k !== g.q) {
            throw this.error(`"Dot" scoring needs equal key and query sizes, got ${this.roles.key} size ${g.k} (${this.roles.key} ${formatShape(key.shape)}) and query size ${g.q} (query ${formatShape(query.shape)})`);
        }
        if (this.mask !== "none") {
            if (keyPos.length !== 1 || queryPositions.length !== 1 || g.N !== g.M) {
                throw this.error(`a causal mask needs ${this.roles.key} and query sequences of equal length, got ${this.roles.key} ${formatShape(key.shape)} and query ${formatShape(query.shape)}`);
            }
        }
        return g;
    }
    maskSpec() {
        if (this.mask === "none")
            return { causal: false };
        return this.mask === "causal" ? { causal: "topLeft" } : { causal: "topLeft", window: this.mask.causal };
    }
    /**
     * The score multiplier: 1 ("none"), 1/√k ("dimensionSqrt"), or per query row 1/√(number of keys that
     * row can see) ("lengthSqrt": √N without a mask, √i for row i under a causal mask), as an [M, 1] column.
     */
    rowRescaling(M, N, mask, k) {
        if (this.scoreRescaling === "dimensionSqrt")
            return 1 / Math.sqrt(k);
        if (this.scoreRescaling === "none")
            return 1;
        if (!mask.causal)
            return N === 0 ? 1 : 1 / Math.sqrt(N);
        const col = new Float32Array(M);
        for (let i = 0; i < M; i++)
            col[i] = 1 / Math.sqrt(Math.max(1, visibleKeyCount({ Tq: M, Tk: N, mask }, 0, 0, i)));
        return new Tensor(col, [M, 1]);
    }
}
/** B examples [B, d…, k] → [B, 1, N, k], or with heads [B, d…, h, k] → [B, h, N, k]. */
function toHeadsFirst(x, B, h, n, size, multiHead) {
    if (!multiHead)
        return ops.reshape(x, [B, 1, n, size]);
    return ops.transpose(ops.reshape(x, [B, n, h, size]), [0, 2, 1, 3]);
}
/** [B, h, M, v] → [...batch, q…, v] or [...batch, q…, h, v] (batch = [B], or [] for one example). */
function fromHeadsFirst(x, batch, positions, multiHead) {
    const [, h, , v] = x.shape;
    if (!multiHead)
        return ops.reshape(x, [...batch, ...positions, v]);
    return ops.reshape(ops.transpose(x, [0, 2, 1, 3]), [...batch, ...positions, h, v]);
}
/** [h, M, N] → [q…, d…] or [q…, h, d…]. */
function weightsShape(w, g, multiHead) {
    if (!multiHead)
        return ops.reshape(w, [...g.queryPositions, ...g.keyPositions]);
    return ops.reshape(ops.transpose(w, [1, 0, 2]), [...g.queryPositions, g.h, ...g.keyPositions]);
}
/** Keys [1, h, N, N] that are the identity in every head, so that S·Iᵀ = S. */
function identityKeys(h, N) {
    const data = new Float32Array(h * N * N);
    for (let head = 0; head < h; head++)
        for (let j = 0; j < N; j++)
            data[(head * N + j) * N + j] = 1;
    return new Tensor(data, [1, h, N, N]);
}
/** 1 where query i may see key j under the mask (the kernels' own rule), as an [h, M, N] constant. */
function allowedMatrix(mask, h, M, N) {
    const data = new Float32Array(h * M * N);
    const geometry = { Tq: M, Tk: N, mask };
    for (let i = 0; i < M; i++) {
        const [lo, hi] = keyRange(geometry, 0, i);
        for (let j = lo; j < hi; j++)
            if (explicitAllows(geometry, 0, 0, i, j))
                data[i * N + j] = 1;
    }
    for (let head = 1; head < h; head++)
        data.copyWithin(head * M * N, 0, M * N);
    return new Tensor(data, [h, M, N]);
}
function checkMask(mask, where) {
    if (mask === "none" || mask === "causal")
        return mask;
    if (mask && typeof mask === "object" && !Array.isArray(mask) && Object.keys(mask).length === 1 && Number.isInteger(mask.causal) && mask.causal >= 1)
        return { causal: mask.causal };
    const got = mask && typeof mask === "object" && !Array.isArray(mask) ? `{ ${Object.entries(mask).map(([k, v]) => `${k}: ${describe(v)}`).join(", ")} }` : describe(mask);
    throw new Error(`${where}: mask must be "none", "causal" or { causal: w } with a positive integer w, got ${got}`);
}
/** Wolfram's AttentionLayer: ports key, value, query → output; scoring by "Dot", "Bilinear" (learned weights [q, k]) or a scoring net. */
export class AttentionLayer extends AttentionBase {
    constructor(scoring, options) {
        super("attentionLayer", scoring, options);
    }
    inputNames = ["key", "value", "query"];
    roles = { key: "key", value: "value", query: "query" };
    examplePorts(example) {
        return example;
    }
}
/**
 * Wolfram AttentionLayer[scoring, opts]: keys [n, k], values [n, v], queries [m, q] → [m, v]; scoring "Bilinear" (default), "Dot" or a net.
 * @example attentionLayer("Dot", { mask: "causal" }).apply({ key, value, query })
 */
export function attentionLayer(scoring, options) {
    return new AttentionLayer(scoring, options);
}
function isExampleList(input) {
    return Array.isArray(input);
}
