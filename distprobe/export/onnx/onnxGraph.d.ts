export type Attribute = number | number[] | string | {
    floats: number[];
} | {
    float: number;
};
/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string;
export declare class OnnxGraph {
    private readonly nodes;
    private readonly initializers;
    private readonly inputs;
    private readonly outputs;
    private readonly used;
    private readonly constants;
    /** A fresh value name built from `hint` (ONNX names must be unique in the graph). */
    fresh(hint: string): string;
    /** Adds a node; returns its output names (named after `hint`). */
    op(opType: string, inputs: string[], attributes?: Record<string, Attribute>, hint?: string, outputCount?: number): string[];
    /** op() with one output. */
    op1(opType: string, inputs: string[], attributes?: Record<string, Attribute>, hint?: string): string;
    /** A float32 initializer (weights, constants). */
    floats(hint: string, data: Float32Array | readonly number[], dims: readonly number[]): string;
    /** An int64 initializer (shapes, axes, indices); identical ones are shared. */
    ints(values: readonly number[]): string;
    /** An int64 scalar constant, shared. */
    intScalar(value: number): string;
    /** A float32 scalar constant, shared. */
    scalar(value: number): string;
    /** The constant stored under `key`, made by `make` the first time. */
    private shared;
    /** A bool initializer. */
    bools(hint: string, data: Uint8Array, dims: readonly number[]): string;
    private initializer;
    /** Declares a graph input (float32 unless said otherwise). */
    input(name: string, dims: readonly Dim[], elemType?: number): string;
    /** Declares `value` as the graph output (its name must have been reserved before any op was added) `name` (through an Identity node so the name is exact). */
    output(name: string, value: string): void;
    /** Reserves a name (so no value takes a graph input's or output's name). */
    reserve(name: string): void;
    encode(meta: {
        graphName: string;
        docString?: string;
        metadata?: Record<string, string>;
    }): Uint8Array;
}
