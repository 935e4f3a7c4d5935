import { Random } from "../tensor/random.js";
import { Tensor, type NestedArray } from "../tensor/tensor.js";
/** What initialize() takes: the seed, and sizes the layer cannot know yet (e.g. inputSize). */
export interface InitializeOptions {
    seed?: number;
    [size: string]: number | undefined;
}
/** Per-parameter multipliers of the trainer's learn rate and L2 regularization (MATLAB's WeightLearnRateFactor, …). */
export interface ParameterFactors {
    learnRate: number;
    l2: number;
}
/** A value flowing through a net: a batch tensor, and for padded sequences [B, T, ...] each row's length. */
export interface NetValue {
    x: Tensor;
    lengths?: readonly number[];
    /**
     * For outputs with several time axes (attention scores [B, H, T, T]): row b of x is cut to lengths[b] on
     * these axes of the row (batch axis removed) when a net returns one result per sequence. Layers ignore it.
     */
    steps?: {
        lengths: readonly number[];
        axes: readonly number[];
    };
}
/** What a layer's forward pass needs besides its inputs: training mode and a seed source for dropout. */
export interface ForwardContext {
    training: boolean;
    /** source of dropout seeds */
    random: Random;
}
/** A value JSON can hold (undefined object fields are dropped when written). */
export type JsonValue = string | number | boolean | null | undefined | readonly JsonValue[] | {
    readonly [key: string]: JsonValue;
};
/** What save/load needs to rebuild a layer: its kind and the JSON form of its constructor arguments. */
export type LayerConfig = {
    kind: string;
    args: JsonValue[];
};
/** The base of every layer and net: validating constructor, lazy initialize, apply, live parameters, config for save/load, MATLAB-style display. */
export declare abstract class Layer {
    /** the MATLAB / Wolfram-style constructor name, used in messages */
    abstract readonly kind: string;
    name: string;
    abstract readonly inputNames: readonly string[];
    abstract readonly outputNames: readonly string[];
    /** parameter names in a fixed order */
    protected abstract readonly parameterNames: readonly string[];
    private readonly values;
    private readonly userSet;
    /** The expected shape of a parameter, or undefined while sizes are still unknown. */
    protected abstract parameterShape(name: string): number[] | undefined;
    /** Creates the initial value of one unset parameter (sizes are known when this is called). */
    protected abstract initialValue(name: string, shape: number[], random: Random): Tensor;
    /** Records sizes given to initialize(); throws on a conflict. */
    protected abstract setSizes(sizes: Record<string, number>): void;
    /** The rank of a parameter (checked even while its sizes are unknown): 1 for biases, 2 for weight matrices. */
    protected parameterRank(name: string): number | undefined;
    /** Lets a user-set parameter fix unknown sizes (e.g. inputSize from a weight's shape). */
    protected inferSizesFrom(_name: string, _shape: readonly number[]): void;
    get label(): string;
    error(message: string): Error;
    /**
     * The layer's mutable state (parameters, sizes fixed from data) as a function that restores it. A call
     * that is refused restores it, so a rejected apply or initialize changes nothing (see `unchangedOnError`).
     */
    snapshot(): () => void;
    /** Subclasses with sizes fixed from data return a function that puts them back. */
    protected saveSizes(): () => void;
    /** Runs `fn`; if it throws, the layer is restored to its state before the call. */
    protected unchangedOnError<T>(fn: () => T): T;
    /** Live parameter tensors by name (only those that exist yet). */
    get parameters(): Record<string, Tensor>;
    /** Every learnable parameter's shape by name; undefined while the layer's sizes are unknown. */
    get learnableShapes(): Record<string, number[] | undefined>;
    /** MATLAB-style display: name, hyperparameters, ports, learnable parameters with their sizes. */
    toString(): string;
    /** Sets a parameter after checking its shape; the value is copied and never re-initialized. */
    setParameter(name: string, value: Tensor | NestedArray | Float32Array): void;
    /** The sizes initialize() accepts besides the seed. */
    protected readonly sizeNames: readonly string[];
    /** Fills every unset parameter (sizes may be given here, e.g. inputSize); returns the layer. */
    initialize(options?: InitializeOptions): this;
    private initializeChecked;
    /** True once every parameter exists with the shape the layer's sizes call for. */
    get isInitialized(): boolean;
    /** Learn-rate and L2 factors of one parameter (the trainer multiplies its global values by them). */
    parameterFactors(_name: string): ParameterFactors;
    /**
     * Net use: given the channel size (last axis) arriving at each input port, fix this layer's unknown
     * sizes, check the known ones, and return the channel size of each output port.
     */
    inferSizes(_inputs: Record<string, number>): Record<string, number>;
    /** The rank of one example at an input port ([T, C] → 2), when the layer fixes it; undefined: any. */
    exampleRank(_port: string): number | undefined;
    /** Net use: a batch in, a batch out, by port. */
    forward(_inputs: Record<string, NetValue>, _context: ForwardContext): Record<string, NetValue>;
    /** The constructor arguments as JSON, for saveNet / loadNet. */
    config(): LayerConfig;
    protected parameter(name: string): Tensor;
    /** Lazily initializes (seed 0) when apply() runs before initialize(). */
    protected ensureInitialized(): void;
}
