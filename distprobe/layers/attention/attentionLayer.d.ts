import { Tensor, type Mirror, type NestedArray, type TensorLike } from "../../tensor/tensor.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue } from "../layer.js";
import { type Scoring, type ScoringNet } from "./scoring.js";
import { PortShape, type ShapeSpec } from "./shapeSpec.js";
/** Wolfram's "Mask": none, causal (query i sees keys j ≤ i), or causal within a window of w keys. */
export type AttentionMask = "none" | "causal" | {
    causal: number;
};
/** Wolfram's "ScoreRescaling": divide scores by nothing, √(number of visible keys), or √(key size). */
export type ScoreRescaling = "none" | "lengthSqrt" | "dimensionSqrt";
/** Options of attentionLayer, with Wolfram's meanings: mask, scoreRescaling, dropout, multiHead, port shapes, name. */
export interface AttentionLayerOptions {
    mask?: AttentionMask;
    scoreRescaling?: ScoreRescaling;
    dropout?: number;
    multiHead?: boolean;
    key?: ShapeSpec;
    value?: ShapeSpec;
    query?: ShapeSpec;
    name?: string;
}
/** Options of an attention layer's apply: return the weights too, training mode (dropout), dropout seed. */
export interface ApplyOptions {
    /** also return the attention weights [q1…qm, d1…dn] (multiHead: [q1…qm, h, d1…dn]) */
    returnWeights?: boolean;
    /** dropout is active only in training */
    training?: boolean;
    /** seed of the dropout mask (default: drawn from the layer's own generator) */
    seed?: number;
}
/** One example for attentionLayer: key [n, k], value [n, v], query [m, q] (or a single query vector [q]). */
export interface AttentionExample<T = TensorLike> {
    key: T;
    value: T;
    query: T;
}
export type AttentionResult<T> = T | {
    output: T;
    weights: T;
};
/**
 * The attention computation shared by attentionLayer and sequenceAttentionLayer; a subclass says how
 * an example's ports map onto the key, value and query roles.
 */
export declare abstract class AttentionBase<Example extends object> extends Layer {
    readonly kind: string;
    abstract readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    /** the port that plays each role, for messages */
    protected abstract readonly roles: {
        key: string;
        value: string;
        query: string;
    };
    /** the key, value and query of one example (validated to exist) */
    protected abstract examplePorts(example: Example, which: string): {
        key: TensorLike;
        value: TensorLike;
        query: TensorLike;
    };
    protected readonly parameterNames: readonly string[];
    readonly scoringNet: ScoringNet;
    readonly mask: AttentionMask;
    readonly scoreRescaling: ScoreRescaling;
    readonly dropout: number;
    readonly multiHead: boolean;
    readonly scoring: "Dot" | "Bilinear" | "custom";
    protected readonly ports: {
        key: PortShape;
        value: PortShape;
        query: PortShape;
    };
    private readonly dropoutSeeds;
    /** `kind` names the layer in messages (it must be known before the subclass's fields are) */
    constructor(kind: string, scoring?: Scoring, options?: AttentionLayerOptions);
    /** The scoring net's parameters, prefixed "scoringNet/" for custom nets; "weights" for Bilinear. */
    get parameters(): Record<string, Tensor>;
    setParameter(name: string, value: Tensor | NestedArray | Float32Array): void;
    get isInitialized(): boolean;
    initialize(options?: {
        seed?: number;
        keySize?: number;
        valueSize?: number;
        querySize?: number;
    }): this;
    /** Validated initialize; `names` are the size options as the caller spells them (for messages). */
    protected initializeSizes(options: {
        seed?: number;
        keySize?: number;
        valueSize?: number;
        querySize?: number;
    }, names: {
        keySize: string;
        querySize: string;
    }): this;
    parameterFactors(name: string): {
        learnRate: number;
        l2: number;
    };
    protected parameterShape(): number[] | undefined;
    protected initialValue(): Tensor;
    protected setSizes(): void;
    /** One example, or a list of examples with their own lengths (→ a list of results, each as if applied alone). */
    apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options: ApplyOptions & {
        returnWeights: true;
    }): {
        output: Mirror<T>;
        weights: Mirror<T>;
    }[];
    apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options?: ApplyOptions & {
        returnWeights?: false;
    }): Mirror<T>[];
    apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options?: ApplyOptions): AttentionResult<Mirror<T>>[];
    apply<T extends TensorLike>(example: Example & Record<string, T>, options: ApplyOptions & {
        returnWeights: true;
    }): {
        output: Mirror<T>;
        weights: Mirror<T>;
    };
    apply<T extends TensorLike>(example: Example & Record<string, T>, options?: ApplyOptions & {
        returnWeights?: false;
    }): Mirror<T>;
    apply<T extends TensorLike>(example: Example & Record<string, T>, options?: ApplyOptions): AttentionResult<Mirror<T>>;
    protected saveSizes(): () => void;
    private applyOne;
    /** The whole computation on tensors; used by apply and by nets. */
    attendExample(key: Tensor, value: Tensor, query: Tensor, options?: ApplyOptions, which?: string): {
        output: Tensor;
        weights?: Tensor;
    };
    /**
     * "Dot" and "Bilinear" scoring on [B, h, ·, ·] tensors: s = q·(P k) through the attention kernel, with the
     * rescaling folded into the kernel's scale (a number) or into the query rows (an [M, 1] column).
     */
    private attendDotProduct;
    /** One example's rank at a port: fixed by a subclass (sequenceAttentionLayer) or by a declared port shape. */
    exampleRank(port: string): number | undefined;
    /** Net use: the output channel count is the value size. */
    inferSizes(inputs: Record<string, number>): Record<string, number>;
    /**
     * Net use: every batch row is an example of its own length (validated as such). "Dot" and "Bilinear"
     * run the whole padded batch in one kernel call, padded keys blocked by per-row key lengths; each row's
     * result is the one it gets alone (padded query positions are zeroed). Custom scoring nets, and
     * lengthSqrt without a mask on rows of different key counts (a scale per row), run row by row.
     */
    forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue>;
    private forwardRows;
    /** The whole batch at once, or null where that would not give each row its own result. */
    private forwardBatched;
    config(): LayerConfig;
    protected portSpecs(): Record<string, ShapeSpec | undefined>;
    /** Exact ranks a subclass requires of its ports (sequenceAttentionLayer: [n, d1] and [m, d2]). */
    protected portRanks(): {
        key?: number;
        query?: number;
    };
    /** Evaluates the custom scoring net on every (key, query) pair: [h, M, N]. */
    private pairwiseScores;
    /** Checks one example's port shapes (tensors, or shapes of batch rows) and returns its geometry. */
    private checkExample;
    private maskSpec;
    /**
     * The score multiplier: 1 ("none"), 1/√k ("dimensionSqrt"), or per query row 1/√(number of keys that
     * row can see) ("lengthSqrt": √N without a mask, √i for row i under a causal mask), as an [M, 1] column.
     */
    private rowRescaling;
}
/** Wolfram's AttentionLayer: ports key, value, query → output; scoring by "Dot", "Bilinear" (learned weights [q, k]) or a scoring net. */
export declare class AttentionLayer extends AttentionBase<AttentionExample> {
    constructor(scoring?: Scoring, options?: AttentionLayerOptions);
    readonly inputNames: readonly ["key", "value", "query"];
    protected readonly roles: {
        key: string;
        value: string;
        query: string;
    };
    protected examplePorts(example: AttentionExample): AttentionExample<TensorLike>;
}
/**
 * Wolfram AttentionLayer[scoring, opts]: keys [n, k], values [n, v], queries [m, q] → [m, v]; scoring "Bilinear" (default), "Dot" or a net.
 * @example attentionLayer("Dot", { mask: "causal" }).apply({ key, value, query })
 */
export declare function attentionLayer(scoring?: Scoring, options?: AttentionLayerOptions): AttentionLayer;
