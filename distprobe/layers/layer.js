// The layer lifecycle (as in Keras and tfjs): a validating constructor, then `initialize` (explicit or
// lazy at the first apply, from the first shapes), `apply`, live `parameters`, and per-parameter
// learn-rate and L2 factors for the trainer. A parameter the user set is never re-initialized.
import { Random } from "../tensor/random.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { Tensor, asTensor, checkSize } from "../tensor/tensor.js";
import { checkOptionNames } from "../util/checkOptions.js";
import { checkInteger, checkOptionsObject, checkSeed } from "../util/validate.js";
import { describeLayer } from "./display.js";
import { layerLabel } from "./errors.js";
/** The base of every layer and net: validating constructor, lazy initialize, apply, live parameters, config for save/load, MATLAB-style display. */
export class Layer {
    name = "";
    values = new Map();
    userSet = new Set();
    /** The rank of a parameter (checked even while its sizes are unknown): 1 for biases, 2 for weight matrices. */
    parameterRank(name) {
        return this.parameterShape(name)?.length;
    }
    /** Lets a user-set parameter fix unknown sizes (e.g. inputSize from a weight's shape). */
    inferSizesFrom(_name, _shape) { }
    get label() {
        return layerLabel(this.kind, this.name);
    }
    error(message) {
        return new Error(`${this.label}: ${message}`);
    }
    /**
     * The layer's mutable state (parameters, sizes fixed from data) as a function that restores it. A call
     * that is refused restores it, so a rejected apply or initialize changes nothing (see `unchangedOnError`).
     */
    snapshot() {
        const values = new Map(this.values), userSet = new Set(this.userSet), sizes = this.saveSizes();
        return () => {
            this.values.clear();
            for (const [k, v] of values)
                this.values.set(k, v);
            this.userSet.clear();
            for (const k of userSet)
                this.userSet.add(k);
            sizes();
        };
    }
    /** Subclasses with sizes fixed from data return a function that puts them back. */
    saveSizes() {
        return () => { };
    }
    /** Runs `fn`; if it throws, the layer is restored to its state before the call. */
    unchangedOnError(fn) {
        const restore = this.snapshot();
        try {
            return fn();
        }
        catch (e) {
            restore();
            throw e;
        }
    }
    /** Live parameter tensors by name (only those that exist yet). */
    get parameters() {
        const out = {};
        for (const n of this.parameterNames) {
            const t = this.values.get(n);
            if (t)
                out[n] = t;
        }
        return out;
    }
    /** Every learnable parameter's shape by name; undefined while the layer's sizes are unknown. */
    get learnableShapes() {
        return Object.fromEntries(this.parameterNames.map((n) => [n, this.values.get(n)?.shape.slice() ?? this.parameterShape(n)]));
    }
    /** MATLAB-style display: name, hyperparameters, ports, learnable parameters with their sizes. */
    toString() {
        return describeLayer(this);
    }
    /** util.inspect (console.log in Node) shows the same display, not the private fields. */
    [Symbol.for("nodejs.util.inspect.custom")]() {
        return this.toString();
    }
    /** Sets a parameter after checking its shape; the value is copied and never re-initialized. */
    setParameter(name, value) {
        if (!this.parameterNames.includes(name)) {
            throw this.error(`unknown parameter "${name}" (parameters: ${this.parameterNames.join(", ") || "none"})`);
        }
        const t = asTensor(value, `${this.label}: parameter "${name}"`);
        const rank = this.parameterRank(name);
        if (rank !== undefined && t.rank !== rank)
            throw this.error(`parameter "${name}" must have rank ${rank}, got shape ${formatShape(t.shape)}`);
        this.inferSizesFrom(name, t.shape);
        const expected = this.parameterShape(name);
        if (expected && !sameShape(expected, t.shape)) {
            throw this.error(`parameter "${name}" must have shape ${formatShape(expected)}, got ${formatShape(t.shape)}`);
        }
        const current = this.values.get(name);
        if (current && sameShape(current.shape, t.shape))
            current.data.set(t.data); // keep the live tensor
        else
            this.values.set(name, new Tensor(Float32Array.from(t.data), t.shape));
        this.userSet.add(name);
    }
    /** The sizes initialize() accepts besides the seed. */
    sizeNames = ["inputSize"];
    /** Fills every unset parameter (sizes may be given here, e.g. inputSize); returns the layer. */
    initialize(options = {}) {
        checkOptionsObject(options, `${this.label}.initialize`);
        checkOptionNames(options, ["seed", ...this.sizeNames], `${this.label}.initialize`);
        const { seed, ...sizes } = options;
        if (seed !== undefined)
            checkSeed(seed, `${this.label}.initialize`);
        for (const [k, v] of Object.entries(sizes))
            if (v !== undefined)
                checkInteger(v, `${this.label}.initialize`, k);
        return this.unchangedOnError(() => this.initializeChecked(seed, sizes));
    }
    initializeChecked(seed, sizes) {
        const defined = Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined));
        this.setSizes(defined);
        const random = new Random(seed ?? 0);
        for (const n of this.parameterNames) {
            const shape = this.parameterShape(n);
            if (shape === undefined) {
                throw this.error(`cannot initialize "${n}" before its sizes are known; pass them to initialize() or apply the layer to data`);
            }
            checkSize(shape, `${this.label}: parameter "${n}"`);
            const existing = this.values.get(n);
            if (existing && this.userSet.has(n))
                continue;
            if (existing && sameShape(existing.shape, shape))
                continue; // already initialized
            this.values.set(n, this.initialValue(n, shape, random));
        }
        return this;
    }
    /** True once every parameter exists with the shape the layer's sizes call for. */
    get isInitialized() {
        return this.parameterNames.every((n) => {
            const t = this.values.get(n), shape = this.parameterShape(n);
            return t !== undefined && (shape === undefined || sameShape(shape, t.shape));
        });
    }
    /** Learn-rate and L2 factors of one parameter (the trainer multiplies its global values by them). */
    parameterFactors(_name) {
        return { learnRate: 1, l2: 1 };
    }
    /**
     * Net use: given the channel size (last axis) arriving at each input port, fix this layer's unknown
     * sizes, check the known ones, and return the channel size of each output port.
     */
    inferSizes(_inputs) {
        throw this.error("cannot be used inside a net");
    }
    /** The rank of one example at an input port ([T, C] → 2), when the layer fixes it; undefined: any. */
    exampleRank(_port) {
        return undefined;
    }
    /** Net use: a batch in, a batch out, by port. */
    forward(_inputs, _context) {
        throw this.error("cannot be used inside a net");
    }
    /** The constructor arguments as JSON, for saveNet / loadNet. */
    config() {
        throw this.error("cannot be saved");
    }
    parameter(name) {
        const t = this.values.get(name);
        if (!t)
            throw this.error(`parameter "${name}" is not initialized`);
        return t;
    }
    /** Lazily initializes (seed 0) when apply() runs before initialize(). */
    ensureInitialized() {
        if (!this.isInitialized)
            this.initialize();
    }
}
