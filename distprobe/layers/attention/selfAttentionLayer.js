import { attend } from "../../functional/attentionNode.js";
import { checkMaskValues, explicitMask } from "../../functional/dotProductAttention.js";
import * as ops from "../../tensor/ops/index.js";
import { Random } from "../../tensor/random.js";
import { formatShape, sameShape } from "../../tensor/shape.js";
import { Tensor, asTensor, isRectangular } from "../../tensor/tensor.js";
import { checkInitializer, initialize } from "../initializers.js";
import { checkOptionNames } from "../../util/checkOptions.js";
import { Layer } from "../layer.js";
import { booleanOption, checkFactor, checkPositiveInteger, checkProbability, fixInputSize, layerName, makeReadOnly, sizeOrAuto } from "../validate.js";
import { checkBoolean, checkOptionsObject, checkSeed, describe } from "../../util/validate.js";
const PARAMETERS = ["queryWeights", "keyWeights", "valueWeights", "outputWeights", "queryBias", "keyBias", "valueBias", "outputBias"];
const OPTIONS = new Set([
    "numValueChannels", "outputSize", "inputSize", "hasPaddingMaskInput", "attentionMask", "dropoutProbability",
    "hasScoresOutput", "weightsInitializer", "biasInitializer", ...PARAMETERS,
    "weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor", "name",
]);
/** S: the layer's hasScoresOutput, so apply's result type follows it. */
export class SelfAttentionLayer extends Layer {
    kind = "selfAttentionLayer";
    numHeads;
    numKeyChannels;
    numValueChannels;
    _inputSize;
    requestedOutputSize;
    hasPaddingMaskInput;
    attentionMask;
    dropoutProbability;
    hasScoresOutput;
    weightsInitializer;
    biasInitializer;
    weightLearnRateFactor;
    biasLearnRateFactor;
    weightL2Factor;
    biasL2Factor;
    parameterNames = PARAMETERS;
    dropoutSeeds = new Random(0xd20);
    constructor(numHeads, numKeyChannels, options = {}) {
        super();
        this.name = layerName(options, this.kind);
        for (const key of Object.keys(options)) {
            if (!OPTIONS.has(key))
                throw this.error(`unknown option "${key}" (options: ${[...OPTIONS].join(", ")})`);
        }
        this.numHeads = checkPositiveInteger(numHeads, "numHeads", this);
        this.numKeyChannels = checkPositiveInteger(numKeyChannels, "numKeyChannels", this);
        const nv = sizeOrAuto(options.numValueChannels, "numValueChannels", this);
        this.numValueChannels = nv === "auto" ? this.numKeyChannels : nv;
        for (const [what, n] of [["numKeyChannels", this.numKeyChannels], ["numValueChannels", this.numValueChannels]]) {
            if (n % this.numHeads !== 0)
                throw this.error(`numHeads (${this.numHeads}) must divide ${what} (${n})`);
        }
        this._inputSize = sizeOrAuto(options.inputSize, "inputSize", this);
        this.requestedOutputSize = sizeOrAuto(options.outputSize, "outputSize", this);
        this.hasPaddingMaskInput = booleanOption(options.hasPaddingMaskInput, false, "hasPaddingMaskInput", this);
        this.hasScoresOutput = booleanOption(options.hasScoresOutput, false, "hasScoresOutput", this);
        this.attentionMask = checkAttentionMask(options.attentionMask ?? "none", this);
        this.dropoutProbability = options.dropoutProbability === undefined ? 0 : checkProbability(options.dropoutProbability, "dropoutProbability", this);
        this.weightsInitializer = options.weightsInitializer ?? "glorot";
        checkInitializer(this.weightsInitializer, ["glorot", "he", "narrow-normal", "zeros", "ones"], `${this.label}: weightsInitializer`);
        this.biasInitializer = options.biasInitializer ?? "zeros";
        checkInitializer(this.biasInitializer, ["zeros", "narrow-normal", "ones"], `${this.label}: biasInitializer`);
        checkFactor(options.weightLearnRateFactor, "weightLearnRateFactor", this);
        this.weightLearnRateFactor = options.weightLearnRateFactor ?? 1;
        checkFactor(options.biasLearnRateFactor, "biasLearnRateFactor", this);
        this.biasLearnRateFactor = options.biasLearnRateFactor ?? 1;
        checkFactor(options.weightL2Factor, "weightL2Factor", this);
        this.weightL2Factor = options.weightL2Factor ?? 1;
        checkFactor(options.biasL2Factor, "biasL2Factor", this);
        this.biasL2Factor = options.biasL2Factor ?? 0;
        for (const p of PARAMETERS)
            if (options[p] !== undefined)
                this.setParameter(p, options[p]);
        makeReadOnly(this, ["numHeads", "numKeyChannels", "numValueChannels", "hasPaddingMaskInput", "attentionMask", "dropoutProbability",
            "hasScoresOutput", "weightsInitializer", "biasInitializer", "weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor"]);
    }
    get inputSize() { return this._inputSize; }
    get outputSize() {
        return this.requestedOutputSize === "auto" ? this._inputSize : this.requestedOutputSize;
    }
    get numInputs() { return this.hasPaddingMaskInput ? 2 : 1; }
    get inputNames() { return this.hasPaddingMaskInput ? ["in", "mask"] : ["in"]; }
    get numOutputs() { return this.hasScoresOutput ? 2 : 1; }
    get outputNames() { return this.hasScoresOutput ? ["out", "scores"] : ["out"]; }
    parameterShape(name) {
        const C = this._inputSize, O = this.outputSize;
        const [K, V] = [this.numKeyChannels, this.numValueChannels];
        switch (name) {
            case "queryWeights":
            case "keyWeights": return C === "auto" ? undefined : [K, C];
            case "valueWeights": return C === "auto" ? undefined : [V, C];
            case "outputWeights": return O === "auto" ? undefined : [O, V];
            case "queryBias":
            case "keyBias": return [K];
            case "valueBias": return [V];
            case "outputBias": return O === "auto" ? undefined : [O];
        }
    }
    initialValue(name, shape, random) {
        const isBias = name.endsWith("Bias");
        // fan-in / fan-out per weight: query/key C → K, value C → V, output V → O
        const fan = { numIn: isBias ? shape[0] : shape[1], numOut: shape[0] };
        return initialize(isBias ? this.biasInitializer : this.weightsInitializer, shape, fan, random, `${this.label}: ${name}`);
    }
    setSizes(sizes) {
        for (const key of Object.keys(sizes)) {
            if (key !== "inputSize")
                throw this.error(`initialize() takes seed and inputSize, got "${key}"`);
        }
        if (sizes.inputSize !== undefined)
            this.fixInputSize(sizes.inputSize, "given to initialize()");
    }
    parameterRank(name) {
        return name.endsWith("Bias") ? 1 : 2;
    }
    inferSizesFrom(name, shape) {
        if ((name === "queryWeights" || name === "keyWeights" || name === "valueWeights") && shape.length === 2 && this._inputSize === "auto") {
            this._inputSize = shape[1];
        }
        // a user-set output parameter fixes an "auto" outputSize (which otherwise follows inputSize)
        if ((name === "outputWeights" || name === "outputBias") && this.requestedOutputSize === "auto" && shape.length >= 1) {
            this.requestedOutputSize = shape[0];
        }
    }
    fixInputSize(C, source) {
        this._inputSize = fixInputSize(this, this._inputSize, C, source);
    }
    parameterFactors(name) {
        return name.endsWith("Bias")
            ? { learnRate: this.biasLearnRateFactor, l2: this.biasL2Factor }
            : { learnRate: this.weightLearnRateFactor, l2: this.weightL2Factor };
    }
    apply(input, options = {}) {
        const where = `${this.label}.apply`;
        checkOptionsObject(options, where);
        checkOptionNames(options, ["training", "seed"], where);
        if (options.training !== undefined)
            checkBoolean(options.training, where, "training");
        if (options.seed !== undefined)
            checkSeed(options.seed, where);
        return this.unchangedOnError(() => this.applyChecked(input, options));
    }
    saveSizes() {
        const { _inputSize, requestedOutputSize } = this;
        return () => {
            this._inputSize = _inputSize;
            this.requestedOutputSize = requestedOutputSize;
        };
    }
    applyChecked(input, options) {
        const { x, mask } = this.splitPorts(input);
        if (isList(x)) {
            const masks = mask === undefined ? undefined : mask;
            if (masks !== undefined && (!Array.isArray(masks) || masks.length !== x.length)) {
                throw this.error(`input "mask" must be a list of ${x.length} masks to go with the list of ${x.length} sequences`);
            }
            return x.map((seq, i) => this.applyOne(seq, masks?.[i], options, ` (sequence ${i + 1})`));
        }
        return this.applyOne(x, mask, options, "");
    }
    splitPorts(input) {
        const isRecord = input !== null && typeof input === "object" && !Array.isArray(input) && !(input instanceof Tensor) && !(input instanceof Float32Array);
        if (!isRecord) {
            if (this.hasPaddingMaskInput)
                throw this.error(`has a padding mask input; call apply({ in: x, mask })`);
            return { x: input };
        }
        const ports = input;
        for (const k of Object.keys(ports)) {
            if (!this.inputNames.includes(k))
                throw this.error(`unknown input port "${k}" (inputs: ${this.inputNames.join(", ")})`);
        }
        if (!Object.hasOwn(ports, "in"))
            throw this.error(`missing input "in"`);
        if (this.hasPaddingMaskInput && !Object.hasOwn(ports, "mask"))
            throw this.error(`missing input "mask" (hasPaddingMaskInput is true)`);
        return { x: ports.in, mask: ports.mask };
    }
    applyOne(xIn, maskIn, options, which) {
        const x0 = asTensor(xIn, `${this.label}: input "in"${which}`);
        if ((x0.rank !== 2 && x0.rank !== 3) || x0.shape[x0.rank - 1] === 0) {
            throw this.error(`input "in"${which} must be [T, C] or [B, T, C] with C ≥ 1, got shape ${formatShape(x0.shape)}`);
        }
        const single = x0.rank === 2;
        const x = single ? ops.reshape(x0, [1, ...x0.shape]) : x0;
        const [B, T] = x.shape;
        let paddingMask;
        if (maskIn !== undefined) {
            const m = asTensor(maskIn, `${this.label}: input "mask"${which}`);
            if (!sameShape(m.shape, [B, T]) && !(single && sameShape(m.shape, [T]))) {
                throw this.error(`input "mask"${which} must have shape ${formatShape(single ? [T] : [B, T])} to match input "in" ${formatShape(x0.shape)}, got ${formatShape(m.shape)}`);
            }
            paddingMask = ops.reshape(m, [B, T]);
        }
        const { out, scores } = this.forwardBatch({ x, paddingMask }, options, which);
        const outShaped = single ? ops.reshape(out, out.shape.slice(1)) : out;
        const tensorIn = xIn instanceof Tensor;
        const mirror = (t) => (tensorIn ? t : t.toArray());
        if (!this.hasScoresOutput)
            return mirror(outShaped);
        const scoresShaped = single ? ops.reshape(scores, scores.shape.slice(1)) : scores;
        return { out: mirror(outShaped), scores: mirror(scoresShaped) };
    }
    /** The computation on a batch; nets call this directly with keyLengths for padded sequences. */
    forwardBatch(batch, options = {}, which = "") {
        const [B, T, C] = batch.x.shape;
        const mask = this.maskSpec(B, T, batch, which); // validated before any size is fixed from this call
        this.fixInputSize(C, `input shape ${formatShape(batch.x.shape)}${which}`);
        this.ensureInitialized();
        const { queries, keys } = withoutPaddingValues(batch.x, batch.keyLengths, batch.paddingMask); // [B, T, C] each
        const H = this.numHeads, D = this.numKeyChannels / H, Dv = this.numValueChannels / H;
        const project = (x, w, b, size) => ops.transpose(ops.reshape(ops.add(ops.linear(x, this.parameter(w)), this.parameter(b)), [B, T, H, size]), [0, 2, 1, 3]); // [B, H, T, size]
        const q = project(queries, "queryWeights", "queryBias", D);
        const k = project(keys, "keyWeights", "keyBias", D);
        const v = project(keys, "valueWeights", "valueBias", Dv);
        const rate = options.training ? this.dropoutProbability : 0;
        const seed = options.seed ?? this.dropoutSeeds.seed();
        const { output, weights } = attend(q, k, v, {
            scale: 1 / Math.sqrt(D),
            mask,
            dropout: rate > 0 ? { rate, seed } : undefined,
        }, this.hasScoresOutput || options.returnScores === true);
        const joined = ops.reshape(ops.transpose(output, [0, 2, 1, 3]), [B, T, this.numValueChannels]); // [B, T, H·Dv]
        const out = ops.add(ops.linear(joined, this.parameter("outputWeights")), this.parameter("outputBias"));
        return { out, scores: weights };
    }
    exampleRank(port) {
        return port === "mask" ? 1 : 2; // in [T, C], mask [T]
    }
    /** Net use: in → out (outputSize channels); scores have no channel axis. */
    inferSizes(inputs) {
        this.fixInputSize(inputs.in, "");
        const sizes = { out: this.outputSize };
        if (this.hasScoresOutput)
            sizes.scores = NaN;
        return sizes;
    }
    /** Net use: padded sequences [B, T, C] with lengths; padded keys are blocked like a padding mask. */
    forward(inputs, context) {
        const { x, lengths } = inputs.in;
        if (x.rank !== 3)
            throw this.error(`input "in" must be a batch [B, T, C] inside a net, got ${formatShape(x.shape)}`);
        const paddingMask = this.hasPaddingMaskInput ? inputs.mask?.x : undefined;
        if (this.hasPaddingMaskInput && !paddingMask)
            throw this.error(`input "mask" is not connected`);
        const { out, scores } = this.forwardBatch({ x, keyLengths: lengths, paddingMask }, { training: context.training, seed: context.random.seed() });
        const result = { out: { x: out, lengths } };
        if (scores)
            result.scores = { x: scores, steps: lengths && { lengths, axes: [1, 2] } }; // row [H, T, T]
        return result;
    }
    config() {
        const plain = (i) => (typeof i === "string" ? i : undefined);
        return {
            kind: this.kind,
            args: [this.numHeads, this.numKeyChannels, {
                    numValueChannels: this.numValueChannels, outputSize: this.requestedOutputSize, inputSize: this._inputSize,
                    hasPaddingMaskInput: this.hasPaddingMaskInput, hasScoresOutput: this.hasScoresOutput,
                    attentionMask: this.attentionMask instanceof Tensor ? this.attentionMask.toArray() : this.attentionMask,
                    dropoutProbability: this.dropoutProbability,
                    weightsInitializer: plain(this.weightsInitializer), biasInitializer: plain(this.biasInitializer),
                    weightLearnRateFactor: this.weightLearnRateFactor, biasLearnRateFactor: this.biasLearnRateFactor,
                    weightL2Factor: this.weightL2Factor, biasL2Factor: this.biasL2Factor, name: this.name,
                }],
        };
    }
    maskSpec(B, T, batch, which) {
        const spec = { causal: this.attentionMask === "causal" ? "topLeft" : false, keyLengths: batch.keyLengths };
        let explicit;
        if (this.attentionMask instanceof Tensor) {
            const m = this.attentionMask;
            const ok = (m.rank === 2 && sameShape(m.shape, [T, T])) || (m.rank === 3 && sameShape(m.shape, [B, T, T]));
            if (!ok)
                throw this.error(`attentionMask of shape ${formatShape(m.shape)} does not fit input "in"${which} with B = ${B}, T = ${T} (expected ${formatShape([T, T])} or ${formatShape([B, T, T])})`);
            explicit = explicitMask(m.rank === 2 ? m : ops.reshape(m, [B, 1, T, T]), [B, this.numHeads, T, T], this.label, "attentionMask");
        }
        if (batch.paddingMask) {
            checkMaskValues(batch.paddingMask, this.label, `input "mask"${which}`);
            // padding blocks keys: allowed(b, i, j) = mask[b, j] (and the custom mask, if any)
            const pad = batch.paddingMask.data;
            if (!explicit) {
                explicit = explicitMask(new Tensor(pad, [B, 1, 1, T]), [B, this.numHeads, T, T]);
            }
            else {
                const both = new Uint8Array(B * T * T);
                const [sb, , si, sj] = explicit.strides;
                for (let b = 0; b < B; b++)
                    for (let i = 0; i < T; i++)
                        for (let j = 0; j < T; j++) {
                            both[(b * T + i) * T + j] = pad[b * T + j] !== 0 && explicit.data[b * sb + i * si + j * sj] !== 0 ? 1 : 0;
                        }
                explicit = { data: both, strides: [T * T, 0, T, 1] };
            }
        }
        spec.explicit = explicit;
        return spec;
    }
}
/**
 * The inputs of the projections with padded steps (t ≥ keyLengths[b], or paddingMask[b, t] = 0) cleaned,
 * differentiably, so that a NaN or ∞ there reaches nothing (outputs of other steps, weight gradients, dx):
 * - keys and values: padded steps are exactly 0 (they are masked, so this changes no result, but it removes
 *   the 0·NaN of Xᵀ·dK and Xᵀ·dV);
 * - queries: non-finite values of padded steps are 0; finite ones are kept, so a padded step's own output row
 *   is what PyTorch gives for finite data.
 */
function withoutPaddingValues(x, keyLengths, paddingMask) {
    if (!keyLengths && !paddingMask)
        return { queries: x, keys: x };
    const [B, T, C] = x.shape;
    const keepStep = new Float32Array(B * T).fill(1);
    const keepValue = new Float32Array(B * T * C).fill(1);
    let padded = false, nonFinite = false;
    for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) {
            if (!((keyLengths && t >= keyLengths[b]) || (paddingMask && paddingMask.data[b * T + t] === 0)))
                continue;
            keepStep[b * T + t] = 0;
            padded = true;
            for (let c = 0; c < C; c++) {
                const i = (b * T + t) * C + c;
                if (!Number.isFinite(x.data[i])) {
                    keepValue[i] = 0;
                    nonFinite = true;
                }
            }
        }
    }
    return {
        queries: nonFinite ? ops.keepWhere(x, new Tensor(keepValue, [B, T, C])) : x,
        keys: padded ? ops.keepWhere(x, new Tensor(keepStep, [B, T, 1])) : x,
    };
}
/** A list of sequences: an array of tensors, or a ragged nested array of [Tᵢ, C] arrays. */
function isList(x) {
    if (!Array.isArray(x))
        return false;
    if (x.length > 0 && x.every((e) => e instanceof Tensor))
        return true;
    return !isRectangular(x) && x.every((e) => Array.isArray(e));
}
function checkAttentionMask(mask, layer) {
    if (mask === "none" || mask === "causal")
        return mask;
    if (mask instanceof Tensor || Array.isArray(mask)) {
        const t = asTensor(mask, `${layer.label}: attentionMask`);
        if (t.rank !== 2 && t.rank !== 3)
            throw layer.error(`attentionMask must be "none", "causal", or a boolean [T, T] or [B, T, T] array, got shape ${formatShape(t.shape)}`);
        if (t.shape[t.rank - 1] !== t.shape[t.rank - 2] || t.shape[t.rank - 1] === 0) {
            throw layer.error(`attentionMask must be square over the time steps ([T, T] or [B, T, T]: self-attention has as many keys as queries), got shape ${formatShape(t.shape)}`);
        }
        checkMaskValues(t, layer.label, "attentionMask");
        return t;
    }
    throw layer.error(`attentionMask must be "none", "causal", or a boolean [T, T] or [B, T, T] array, got ${describe(mask)}`);
}
export function selfAttentionLayer(numHeads, numKeyChannels, options) {
    return new SelfAttentionLayer(numHeads, numKeyChannels, options);
}
