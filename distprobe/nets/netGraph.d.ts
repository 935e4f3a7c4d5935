import { Tensor, type NestedArray, type OneOrList, type TensorLike } from "../tensor/tensor.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue, type ParameterFactors } from "../layers/layer.js";
import { SequenceInputLayer } from "../layers/sequenceInputLayer.js";
/** A netGraph's nodes by name, its edges [from, to], and optionally its input and output ports. */
export interface NetGraphSpec {
    nodes: Record<string, Layer>;
    edges: readonly (readonly [string, string])[];
    /** the graph's input ports (default ["input"]) */
    inputs?: readonly string[];
    /** graph output port → "node" or "node/port" (default: { output: the one node output nothing consumes }) */
    outputs?: Record<string, string>;
    name?: string;
}
/** True when O is a union of several names. */
type IsUnion<O extends string, All extends string = O> = O extends string ? ([All] extends [O] ? false : true) : never;
/**
 * What apply gives for one input, by the net's output names O: the value itself for one output, a record by
 * name for several (either, when the names are not known to the type system).
 */
export type NetResult<O extends string, A> = [
    O
] extends [infer P extends string] ? (string extends P ? A | Record<string, A> : true extends IsUnion<P> ? {
    [K in P]: A;
} : A) : never;
/** Inputs apply accepts besides tensors: nested arrays or a Float32Array (results come back as nested arrays). */
export type ArrayInput = NestedArray[] | Float32Array;
/** Options of a net's apply: training mode (dropout on) and the dropout seed. */
export interface PredictOptions {
    training?: boolean;
    seed?: number;
}
/** O: the names of the graph outputs ("output" unless the spec names them), so apply's result type follows them. */
export declare class NetGraph<O extends string = string> extends Layer {
    readonly kind: string;
    readonly inputNames: readonly string[];
    readonly outputNames: readonly O[];
    protected readonly parameterNames: readonly string[];
    readonly nodes: Readonly<Record<string, Layer>>;
    readonly edges: readonly (readonly [string, string])[];
    /** node names in an order where every node comes after its sources */
    readonly order: readonly string[];
    private readonly sources;
    private readonly outputSources;
    private sizesKnown;
    private readonly applySeeds;
    /** `kind` names the net in messages ("netChain" for chains) */
    constructor(spec: NetGraphSpec, kind?: string);
    private source;
    private connect;
    /** The node of that name (own entries only: "toString" or "__proto__" are not nodes unless given). */
    private node;
    private topologicalOrder;
    private danglingOutput;
    /** Live parameters of every node, as "node/parameter". */
    get parameters(): Record<string, Tensor>;
    setParameter(name: string, value: Tensor | NestedArray | Float32Array): void;
    parameterFactors(name: string): ParameterFactors;
    get isInitialized(): boolean;
    /** Parameter shapes of every node, as "node/parameter". */
    get learnableShapes(): Record<string, number[] | undefined>;
    /** A table of the nodes: layer kind, activation sizes (without the batch; T = time) and learnable counts. */
    summary(): string;
    toString(): string;
    protected parameterShape(): number[] | undefined;
    protected initialValue(): Tensor;
    protected setSizes(): void;
    /**
     * Infers channel sizes through the graph, then initializes every node's unset parameters. Sizes of
     * graph inputs come as `${input}Size` (e.g. inputSize, querySize), or from sequenceInputLayer nodes.
     */
    initialize(options?: {
        seed?: number;
        [size: string]: number | undefined;
    }): this;
    /** Channel sizes through the graph; returns the sizes of the graph outputs. */
    inferSizes(inputs: Record<string, number>): Record<string, number>;
    /** The input size declared by a sequenceInputLayer that a graph input feeds, if any. */
    private sizeFromInputLayer;
    /** True when graph input `port` feeds a sequenceInputLayer (so its data are sequences). */
    isSequenceInput(port: string): boolean;
    /** The sequence input layers, in order (trainNet fills their normalization statistics). */
    get inputLayers(): SequenceInputLayer[];
    forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue>;
    /**
     * Runs the net. Sequence nets (input into a sequenceInputLayer) take one sequence [T, C], a batch
     * [B, T, C], or a list of sequences of different lengths (→ a list of results, each as if alone).
     * Other nets take tensors as they are. Several inputs: a record by port name.
     */
    apply(input: Tensor | Readonly<Record<string, Tensor>>, options?: PredictOptions): NetResult<O, Tensor>;
    apply(input: readonly Tensor[] | readonly Readonly<Record<string, Tensor>>[], options?: PredictOptions): NetResult<O, Tensor>[];
    apply(input: ArrayInput | readonly ArrayInput[] | Readonly<Record<string, ArrayInput>>, options?: PredictOptions): OneOrList<NetResult<O, NestedArray[]>>;
    apply(input: TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>> | readonly Readonly<Record<string, TensorLike>>[], options?: PredictOptions): NetResult<O, TensorLike> | NetResult<O, TensorLike>[];
    protected saveSizes(): () => void;
    /** The rank of one example at a graph input, as its first consumer that knows it says ([T, C] → 2). */
    exampleRank(port: string): number | undefined;
    private applyChecked;
    /**
     * A record of inputs by port: one example when every port has the rank of one example (or `single`, for
     * an element of a list), else a batch. One example runs as a batch of one and comes back without the
     * batch axis.
     */
    private applyRecord;
    /** Same as apply, never in training mode. */
    predict(input: Tensor | Readonly<Record<string, Tensor>>): NetResult<O, Tensor>;
    predict(input: readonly Tensor[]): NetResult<O, Tensor>[];
    predict(input: ArrayInput | readonly ArrayInput[] | Readonly<Record<string, ArrayInput>>): OneOrList<NetResult<O, NestedArray[]>>;
    predict(input: TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>>): NetResult<O, TensorLike> | NetResult<O, TensorLike>[];
    private applySequences;
    private shapeOutputs;
    config(): LayerConfig;
}
/**
 * Wolfram NetGraph / MATLAB dlnetwork: named layers wired by edges; sizes are inferred through the graph.
 * @example netGraph({ nodes: { fc: fullyConnectedLayer(2) }, edges: [["input", "fc"]] })
 */
export declare function netGraph<const Outputs extends Record<string, string> = {
    output: string;
}>(spec: NetGraphSpec & {
    outputs?: Outputs;
}): NetGraph<Extract<keyof Outputs, string>>;
export {};
