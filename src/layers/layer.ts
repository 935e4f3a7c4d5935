// The layer lifecycle (as in Keras and tfjs): a validating constructor, then `initialize` (explicit or
// lazy at the first apply, from the first shapes), `apply`, live `parameters`, and per-parameter
// learn-rate and L2 factors for the trainer. A parameter the user set is never re-initialized.
import { Random } from "../tensor/random.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { Tensor, asTensor, checkSize, type NestedArray } from "../tensor/tensor.js";
import { quote } from "../util/text.js";
import { checkInteger, checkOptionNames, checkSeed } from "../util/validate.js";
import { describeLayer } from "./display.js";
import { layerLabel } from "./errors.js";

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
  steps?: { lengths: readonly number[]; axes: readonly number[] };
}

/** What a layer's forward pass needs besides its inputs: training mode and a seed source for dropout. */
export interface ForwardContext {
  training: boolean;
  /** source of dropout seeds */
  random: Random;
}

/** A value JSON can hold (undefined object fields are dropped when written). */
export type JsonValue = string | number | boolean | null | undefined | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What save/load needs to rebuild a layer: its kind and the JSON form of its constructor arguments. */
export type LayerConfig = {
  kind: string;
  args: JsonValue[];
};

/** The base of every layer and net: validating constructor, lazy initialize, apply, live parameters, config for save/load, MATLAB-style display. */
export abstract class Layer {
  /** the MATLAB / Wolfram-style constructor name, used in messages */
  abstract readonly kind: string;
  name = "";
  abstract readonly inputNames: readonly string[];
  abstract readonly outputNames: readonly string[];
  /** parameter names in a fixed order */
  protected abstract readonly parameterNames: readonly string[];
  private readonly values = new Map<string, Tensor>();
  private readonly userSet = new Set<string>();

  /** The expected shape of a parameter, or undefined while sizes are still unknown. */
  protected abstract parameterShape(name: string): number[] | undefined;
  /** Creates the initial value of one unset parameter (sizes are known when this is called). */
  protected abstract initialValue(name: string, shape: number[], random: Random): Tensor;
  /** Records sizes given to initialize(); throws on a conflict. */
  protected abstract setSizes(sizes: Record<string, number>): void;
  /** The rank of a parameter (checked even while its sizes are unknown): 1 for biases, 2 for weight matrices. */
  protected parameterRank(name: string): number | undefined {
    return this.parameterShape(name)?.length;
  }
  /** Lets a user-set parameter fix unknown sizes (e.g. inputSize from a weight's shape). */
  protected inferSizesFrom(_name: string, _shape: readonly number[]): void {}

  get label(): string {
    return layerLabel(this.kind, this.name);
  }

  error(message: string): Error {
    return new Error(`${this.label}: ${message}`);
  }

  /**
   * The layer's mutable state (parameters, sizes fixed from data) as a function that restores it. A call
   * that is refused restores it, so a rejected apply or initialize changes nothing (see `unchangedOnError`).
   */
  snapshot(): () => void {
    const values = new Map(this.values), userSet = new Set(this.userSet), sizes = this.saveSizes();
    return () => {
      this.values.clear();
      for (const [k, v] of values) this.values.set(k, v);
      this.userSet.clear();
      for (const k of userSet) this.userSet.add(k);
      sizes();
    };
  }

  /** Subclasses with sizes fixed from data return a function that puts them back. */
  protected saveSizes(): () => void {
    return () => {};
  }

  /** Runs `fn`; if it throws, the layer is restored to its state before the call. */
  protected unchangedOnError<T>(fn: () => T): T {
    const restore = this.snapshot();
    try {
      return fn();
    } catch (e) {
      restore();
      throw e;
    }
  }

  /** Live parameter tensors by name (only those that exist yet). */
  get parameters(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const n of this.parameterNames) {
      const t = this.values.get(n);
      if (t) out[n] = t;
    }
    return out;
  }

  /** Every learnable parameter's shape by name; undefined while the layer's sizes are unknown. */
  get learnableShapes(): Record<string, number[] | undefined> {
    return Object.fromEntries(this.parameterNames.map((n) => [n, this.values.get(n)?.shape.slice() ?? this.parameterShape(n)]));
  }

  /** MATLAB-style display: name, hyperparameters, ports, learnable parameters with their sizes. */
  toString(): string {
    return describeLayer(this);
  }

  /** util.inspect (console.log in Node) shows the same display, not the private fields. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Sets a parameter after checking its shape; the value is copied and never re-initialized. */
  setParameter(name: string, value: Tensor | NestedArray | Float32Array): void {
    if (!this.parameterNames.includes(name)) {
      throw this.error(`unknown parameter ${quote(name)} (parameters: ${this.parameterNames.join(", ") || "none"})`);
    }
    const t = asTensor(value, `${this.label}: parameter "${name}"`);
    const rank = this.parameterRank(name);
    if (rank !== undefined && t.rank !== rank) throw this.error(`parameter "${name}" must have rank ${rank}, got shape ${formatShape(t.shape)}`);
    this.inferSizesFrom(name, t.shape);
    const expected = this.parameterShape(name);
    if (expected && !sameShape(expected, t.shape)) {
      throw this.error(`parameter "${name}" must have shape ${formatShape(expected)}, got ${formatShape(t.shape)}`);
    }
    const current = this.values.get(name);
    if (current && sameShape(current.shape, t.shape)) current.data.set(t.data); // keep the live tensor
    else this.values.set(name, new Tensor(Float32Array.from(t.data), t.shape));
    this.userSet.add(name);
  }

  /** The sizes initialize() accepts besides the seed. */
  protected readonly sizeNames: readonly string[] = ["inputSize"];

  /** Fills every unset parameter (sizes may be given here, e.g. inputSize); returns the layer. */
  initialize(options: InitializeOptions = {}): this {
    checkOptionNames(options, ["seed", ...this.sizeNames], `${this.label}.initialize`);
    const { seed, ...sizes } = options;
    if (seed !== undefined) checkSeed(seed, `${this.label}.initialize`);
    for (const [k, v] of Object.entries(sizes)) if (v !== undefined) checkInteger(v, `${this.label}.initialize`, k);
    return this.unchangedOnError(() => this.initializeChecked(seed, sizes));
  }

  private initializeChecked(seed: number | undefined, sizes: Record<string, number | undefined>): this {
    const defined = Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined)) as Record<string, number>;
    this.setSizes(defined);
    const random = new Random(seed ?? 0);
    for (const n of this.parameterNames) {
      const shape = this.parameterShape(n);
      if (shape === undefined) {
        throw this.error(`cannot initialize "${n}" before its sizes are known; pass them to initialize() or apply the layer to data`);
      }
      checkSize(shape, `${this.label}: parameter "${n}"`);
      const existing = this.values.get(n);
      if (existing && this.userSet.has(n)) continue;
      if (existing && sameShape(existing.shape, shape)) continue; // already initialized
      this.values.set(n, this.initialValue(n, shape, random));
    }
    return this;
  }

  /** True once every parameter exists with the shape the layer's sizes call for. */
  get isInitialized(): boolean {
    return this.parameterNames.every((n) => {
      const t = this.values.get(n), shape = this.parameterShape(n);
      return t !== undefined && (shape === undefined || sameShape(shape, t.shape));
    });
  }

  /** Learn-rate and L2 factors of one parameter (the trainer multiplies its global values by them). */
  parameterFactors(_name: string): ParameterFactors {
    return { learnRate: 1, l2: 1 };
  }

  /**
   * Net use: given the channel size (last axis) arriving at each input port, fix this layer's unknown
   * sizes, check the known ones, and return the channel size of each output port.
   */
  inferSizes(_inputs: Record<string, number>): Record<string, number> {
    throw this.error("cannot be used inside a net");
  }

  /** The rank of one example at an input port ([T, C] → 2), when the layer fixes it; undefined: any. */
  exampleRank(_port: string): number | undefined {
    return undefined;
  }

  /** Net use: a batch in, a batch out, by port. */
  forward(_inputs: Record<string, NetValue>, _context: ForwardContext): Record<string, NetValue> {
    throw this.error("cannot be used inside a net");
  }

  /** The constructor arguments as JSON, for saveNet / loadNet. */
  config(): LayerConfig {
    throw this.error("cannot be saved");
  }

  protected parameter(name: string): Tensor {
    const t = this.values.get(name);
    if (!t) throw this.error(`parameter "${name}" is not initialized`);
    return t;
  }

  /** Lazily initializes (seed 0) when apply() runs before initialize(). */
  protected ensureInitialized(): void {
    if (!this.isInitialized) this.initialize();
  }
}
