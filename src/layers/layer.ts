// The layer lifecycle (as in Keras and tfjs): a validating constructor, then the build (by `initialize`, or
// lazily at the first apply from the first shapes), `apply`, live `parameters`, and per-parameter learn-rate
// and L2 factors for the trainer. A parameter the user set is never re-initialized.
// A layer declares each weight once (`weights()`: name, shape in numbers and size names, initializer,
// factors). Its sizes ("auto" until known) and weight values are one state, replaced whole: a call stages
// every change it makes (to this layer and to the layers inside it) in a `Pending`, and commits them only
// when the whole call has succeeded, so a refused call changes nothing.
import { noteWeightWrites } from "./weightWrites.js";
import { Random } from "../tensor/random.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { Tensor, asTensor, checkSize, type NestedArray } from "../tensor/tensor.js";
import { quote } from "../util/text.js";
import { checkApplyOptions, checkInteger, checkOptionNames, checkSeed } from "../util/validate.js";
import { applyForms, type ApplyInput, type ApplyResult } from "./applyInput.js";
import { describeLayer } from "./display.js";
import { layerLabel } from "./errors.js";
import type { DecodeState } from "../decode/state.js";

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
  /** the changes of the call this forward belongs to (sizes fixed from data, lazy builds); none: the forward commits its own */
  pending?: Pending;
  /**
   * a net's predict(x, { returnWeights: true }): attention layers add their softmax weights as an extra "weights"
   * value to their outputs (not a port: nothing consumes it; NetGraph collects them by node)
   */
  returnWeights?: boolean;
}

/** A size of a layer: a number once known, "auto" until the build fixes it. */
export type Size = number | "auto";
/** A layer's sizes by name. */
export type Sizes = Readonly<Record<string, Size>>;

/**
 * One weight, declared in one place: its shape (numbers, and names of the layer's sizes, resolved when the
 * sizes are known), its initializer, and the multipliers of the trainer's learn rate and L2 (default 1).
 */
export interface WeightSpec {
  name: string;
  shape: readonly (number | string)[];
  /** the initial value for the resolved shape (`sizes`: the layer's sizes at the build, for fan-in/out) */
  initializer: (shape: number[], random: Random, sizes: Sizes) => Tensor;
  learnRate?: number;
  l2?: number;
}

/** What a layer holds besides its hyperparameters: sizes and weight values (the user-set ones marked). */
interface LayerState {
  readonly sizes: Sizes;
  readonly values: ReadonlyMap<string, Tensor>;
  readonly userSet: ReadonlySet<string>;
}

const EMPTY: LayerState = { sizes: {}, values: new Map(), userSet: new Set() };
/** The committed state of every layer: only `Pending.commit` writes it. */
const committed = new WeakMap<Layer, LayerState>();
/** Counts the commits that changed some layer's state: what was derived from the states before is stale after. */
let commits = 0;

/**
 * The changes one call makes to layers, kept aside until the whole call has succeeded; `commit` then
 * replaces each layer's state at once. A call that throws drops its Pending, so nothing changed.
 */
export class Pending {
  private readonly states = new Map<Layer, LayerState>();
  /** The layer's state as this call sees it: staged, else committed. */
  stateOf(layer: Layer): LayerState {
    return this.states.get(layer) ?? committed.get(layer) ?? EMPTY;
  }
  stage(layer: Layer, change: Partial<LayerState>): void {
    this.states.set(layer, { ...this.stateOf(layer), ...change });
  }
  commit(): void {
    if (this.states.size > 0) commits++;
    for (const [layer, state] of this.states) committed.set(layer, state);
    this.states.clear();
  }
}

/** A value JSON can hold (undefined object fields are dropped when written). */
export type JsonValue = string | number | boolean | null | undefined | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What save/load needs to rebuild a layer: its kind and the JSON form of its constructor arguments. */
export type LayerConfig = {
  kind: string;
  args: JsonValue[];
};

/** The base of every layer and net: validating constructor, build once, apply, live parameters, config for save/load, MATLAB-style display. */
export abstract class Layer {
  /** the MATLAB / Wolfram-style constructor name, used in messages */
  abstract readonly kind: string;
  name = "";
  abstract readonly inputNames: readonly string[];
  abstract readonly outputNames: readonly string[];
  private declared?: readonly WeightSpec[];

  /** The layer's weights in a fixed order (called once, after the constructor has run). */
  protected weights(): readonly WeightSpec[] {
    return [];
  }

  private get specs(): readonly WeightSpec[] {
    return (this.declared ??= this.weights());
  }

  private spec(name: string): WeightSpec | undefined {
    return this.specs.find((w) => w.name === name);
  }

  get label(): string {
    return layerLabel(this.kind, this.name);
  }

  error(message: string): Error {
    return new Error(`${this.label}: ${message}`);
  }

  /** The constructor's sizes (e.g. { inputSize: "auto" }); only a constructor calls this. */
  protected declareSizes(sizes: Sizes): void {
    const p = new Pending();
    p.stage(this, { sizes: { ...this.sizesIn(), ...sizes } });
    p.commit();
  }

  /** The sizes as a call sees them (committed ones without `pending`). */
  protected sizesIn(pending?: Pending): Sizes {
    return (pending?.stateOf(this) ?? committed.get(this) ?? EMPTY).sizes;
  }

  /** A size's value; a subclass may derive one from another (selfAttentionLayer's "auto" outputSize follows inputSize). */
  protected size(sizes: Sizes, name: string): Size {
    return sizes[name] ?? "auto";
  }

  /** Fixes an "auto" size from data or a given size, or checks a known one; `mismatch(known)` words the conflict. */
  protected fixSize(pending: Pending, name: string, value: number, mismatch: (known: number) => string): void {
    const sizes = this.sizesIn(pending), known = sizes[name];
    if (known === undefined || known === "auto") pending.stage(this, { sizes: { ...sizes, [name]: value } });
    else if (known !== value) throw this.error(mismatch(known));
  }

  /** `input "in" has 10 channels but inputSize is 12` (the common inputSize of layers acting on channels). */
  protected fixInputSize(pending: Pending, channels: number, detail?: string): void {
    this.fixSize(pending, "inputSize", channels, (known) => `input "in" has ${channels} channels but inputSize is ${known}${detail ? ` (${detail})` : ""}`);
  }

  /**
   * Runs one call's work against `pending`, or against a new Pending that is committed when the work
   * returns (a call inside another call stages its changes in the outer call's Pending).
   */
  protected staged<T>(pending: Pending | undefined, work: (pending: Pending) => T): T {
    if (pending) return work(pending);
    const own = new Pending();
    const result = work(own);
    own.commit();
    return result;
  }

  private resolve(spec: WeightSpec, sizes: Sizes): number[] | undefined {
    const shape = spec.shape.map((d) => (typeof d === "number" ? d : this.size(sizes, d)));
    return shape.every((d): d is number => d !== "auto") ? shape : undefined;
  }

  /** Live parameter tensors by name (only those that exist yet). */
  get parameters(): Record<string, Tensor> {
    const values = (committed.get(this) ?? EMPTY).values, out: Record<string, Tensor> = {};
    for (const { name } of this.specs) {
      const t = values.get(name);
      if (t) out[name] = t;
    }
    return out;
  }

  private listed?: { commits: number; list: readonly Tensor[] };
  /**
   * The tensors of `parameters`, in its order, as one frozen list that stays the same object until a call changes
   * some layer's weights or sizes (decoding reads it every step; building `parameters` each time costs more than
   * a small step's bookkeeping should). Writes into a tensor's data (the optimizers) keep the tensors, so the list.
   */
  get parameterList(): readonly Tensor[] {
    if (this.listed?.commits !== commits) this.listed = { commits, list: Object.freeze(Object.values(this.parameters)) };
    return this.listed.list;
  }

  /** Every learnable parameter's shape by name; undefined while the layer's sizes are unknown. */
  get learnableShapes(): Record<string, number[] | undefined> {
    const { values, sizes } = committed.get(this) ?? EMPTY;
    return Object.fromEntries(this.specs.map((w) => [w.name, values.get(w.name)?.shape.slice() ?? this.resolve(w, sizes)]));
  }

  /** MATLAB-style display: name, hyperparameters, ports, learnable parameters with their sizes. */
  toString(): string {
    return describeLayer(this);
  }

  /** util.inspect (console.log in Node) shows the same display, not the private fields. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /**
   * Sets a parameter after checking its shape; the value is copied and never re-initialized. Sizes still
   * "auto" that the weight's shape names are fixed from the value (weights [outputSize, inputSize] fix inputSize).
   */
  setParameter(name: string, value: Tensor | NestedArray | Float32Array): void {
    const spec = this.spec(name);
    if (!spec) throw this.error(`unknown parameter ${quote(name)} (parameters: ${this.specs.map((w) => w.name).join(", ") || "none"})`);
    const t = asTensor(value, `${this.label}: parameter "${name}"`);
    if (t.rank !== spec.shape.length) throw this.error(`parameter "${name}" must have rank ${spec.shape.length}, got shape ${formatShape(t.shape)}`);
    if (t.shape.includes(0)) throw this.error(`parameter "${name}" must have positive sizes, got shape ${formatShape(t.shape)}`);
    const { sizes, values, userSet } = committed.get(this) ?? EMPTY;
    const bound: Record<string, Size> = { ...sizes };
    spec.shape.forEach((d, i) => { if (typeof d === "string" && (bound[d] ?? "auto") === "auto") bound[d] = t.shape[i]; });
    const expected = this.resolve(spec, bound)!;
    if (!sameShape(expected, t.shape)) throw this.error(`parameter "${name}" must have shape ${formatShape(expected)}, got ${formatShape(t.shape)}`);
    const current = values.get(name);
    const pending = new Pending();
    if (current && sameShape(current.shape, t.shape)) { current.data.set(t.data); noteWeightWrites(); } // keep the live tensor (resident copies: made again)
    else pending.stage(this, { values: new Map(values).set(name, new Tensor(Float32Array.from(t.data), t.shape)) });
    pending.stage(this, { sizes: bound, userSet: new Set(userSet).add(name) });
    pending.commit();
  }

  /** The sizes initialize() accepts besides the seed. */
  protected readonly sizeNames: readonly string[] = ["inputSize"];

  /** Fills every unset parameter (sizes may be given here, e.g. inputSize); returns the layer. */
  initialize(options: InitializeOptions = {}): this {
    checkOptionNames(options, ["seed", ...this.sizeNames], `${this.label}.initialize`);
    const { seed, ...sizes } = options;
    if (seed !== undefined) checkSeed(seed, `${this.label}.initialize`);
    for (const [k, v] of Object.entries(sizes)) if (v !== undefined) checkInteger(v, `${this.label}.initialize`, k);
    const defined = Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined)) as Record<string, number>;
    this.staged(undefined, (pending) => this.build(pending, seed, defined));
    return this;
  }

  /** Takes sizes given to initialize() (e.g. inputSize), staged in `pending`; throws on a conflict. */
  protected setSizes(_sizes: Record<string, number>, _pending: Pending): void {}

  /**
   * The build: takes the given sizes, then creates every weight that is unset (or set for other sizes),
   * with one generator seeded `seed` (default 0) in declaration order. Nets build their nodes inside theirs.
   */
  build(pending: Pending, seed: number | undefined, sizes: Record<string, number>): void {
    this.setSizes(sizes, pending);
    const random = new Random(seed ?? 0);
    const state = pending.stateOf(this);
    const values = new Map(state.values);
    for (const w of this.specs) {
      const shape = this.resolve(w, state.sizes);
      if (shape === undefined) {
        throw this.error(`cannot initialize "${w.name}" before its sizes are known; pass them to initialize() or apply the layer to data`);
      }
      checkSize(shape, `${this.label}: parameter "${w.name}"`);
      const existing = values.get(w.name);
      if (existing && state.userSet.has(w.name)) continue;
      if (existing && sameShape(existing.shape, shape)) continue; // already initialized
      values.set(w.name, w.initializer(shape, random, state.sizes));
    }
    pending.stage(this, { values });
  }

  /** True once every parameter exists with the shape the layer's sizes call for. */
  get isInitialized(): boolean {
    return this.isBuilt();
  }

  /** The last state found built (states are replaced whole, never changed, so it stays built). */
  private builtState?: LayerState;

  /** isInitialized as a call sees it (with its staged changes). */
  isBuilt(pending?: Pending): boolean {
    const state = pending?.stateOf(this) ?? committed.get(this) ?? EMPTY;
    if (state === this.builtState) return true; // every forward asks (ensureBuilt): a decoding step's layers, each step
    const { values, sizes } = state;
    const built = this.specs.every((w) => {
      const t = values.get(w.name), shape = this.resolve(w, sizes);
      return t !== undefined && (shape === undefined || sameShape(shape, t.shape));
    });
    if (built) this.builtState = state;
    return built;
  }

  /** Learn-rate and L2 factors of one parameter (the trainer multiplies its global values by them). */
  parameterFactors(name: string): ParameterFactors {
    const w = this.spec(name);
    return { learnRate: w?.learnRate ?? 1, l2: w?.l2 ?? 1 };
  }

  /**
   * Net use: given the channel size (last axis) arriving at each input port, fix this layer's unknown
   * sizes (staged in `pending`; committed at once without one), check the known ones, and return the
   * channel size of each output port.
   */
  inferSizes(_inputs: Record<string, number>, _pending?: Pending): Record<string, number> {
    throw this.error("cannot be used inside a net");
  }

  /**
   * Runs the layer (or net) on any input form apply takes (applyInput.ts: one example, a batch, a list of
   * examples, a record of ports, nested arrays); the result mirrors the input's form. Subclasses narrow the types.
   */
  apply(input: ApplyInput, options: { training?: boolean; seed?: number } = {}): ApplyResult {
    checkApplyOptions(options, `${this.label}.apply`, this.applyBooleans);
    const random = new Random(options.seed ?? (this.applySeeds ??= new Random(this.applySeedStart())).seed());
    const returnWeights = (options as { returnWeights?: boolean }).returnWeights === true ? { returnWeights: true } : {};
    return this.staged(undefined, (pending) => applyForms(this, input, { training: options.training ?? false, random, pending, ...returnWeights }));
  }

  /** Boolean options apply takes besides `training` (a net's `returnWeights`). */
  protected readonly applyBooleans: readonly string[] = [];

  private applySeeds?: Random;
  /** The seed of the generator that gives each apply without a seed its own (dropout) seed. */
  protected applySeedStart(): number {
    return 0xa11;
  }

  /** True when input `port` takes sequences [T, C] (apply then pads a list of them into one batch). */
  isSequenceInput(_port: string): boolean {
    return false;
  }

  /** True when input `port` takes a mask (1/0 or true/false): the only data that may hold booleans. */
  isMaskInput(_port: string): boolean {
    return false;
  }

  /** True when input `port` takes token ids (an embeddingLayer's): one example [T] or the column [T, 1] (applyInput.ts `idColumn`). */
  isIdInput(_port: string): boolean {
    return false;
  }

  /** The rank of one example at an input port ([T, C] → 2), when the layer fixes it; undefined: any. */
  exampleRank(_port: string): number | undefined {
    return undefined;
  }

  /** Net use: a batch in, a batch out, by port. */
  forward(_inputs: Record<string, NetValue>, _context: ForwardContext): Record<string, NetValue> {
    throw this.error("cannot be used inside a net");
  }

  /**
   * Incremental decoding (docs/architecture.md "Decoding state"): the state this layer keeps between steps for
   * `batch` rows and about `capacity` positions; undefined for a position-wise layer. Layers that cannot decode
   * refuse here, before any step runs.
   */
  startState(_batch: number, _capacity: number, _fixed?: readonly string[]): DecodeState | undefined {
    throw this.error("cannot decode step by step (it has no step form)");
  }

  /**
   * Decoding with fixed inputs (a seq2seq encoder's output, computed once at the start): why this layer cannot
   * step with its input ports `fixed` holding whole fixed sequences while its other ports step, or undefined when
   * it can (then startState gets `fixed`). An attention layer can (fixed key and value: cross-attention), a
   * recurrent layer too (fixed initial states); the rest step all their inputs together.
   */
  fixedInputsRefusal(fixed: readonly string[]): string | undefined {
    const stepped = this.inputNames.filter((p) => !fixed.includes(p));
    return `its input${fixed.length === 1 ? "" : "s"} ${fixed.map((p) => `"${p}"`).join(", ")} would be fixed (computed once from the decoder's fixed inputs) while ${stepped.map((p) => `"${p}"`).join(", ")} step${stepped.length === 1 ? "s" : ""}; it can only step all its inputs together`;
  }

  /**
   * One decoding step: the new positions of each row (x [B, Tnew, C], lengths: each row's count of new
   * positions), updating `state` in place; returns the outputs of those positions. Position-wise layers run
   * their forward on the new positions.
   */
  step(inputs: Record<string, NetValue>, _state: DecodeState | undefined, context: ForwardContext): Record<string, NetValue> {
    return this.forward(inputs, context);
  }

  /** The constructor arguments as JSON, for saveNet / loadNet. */
  config(): LayerConfig {
    throw this.error("cannot be saved");
  }

  /** A parameter's value as a call sees it (committed without `pending`). */
  protected parameter(name: string, pending?: Pending): Tensor {
    const t = (pending?.stateOf(this) ?? committed.get(this) ?? EMPTY).values.get(name);
    if (!t) throw this.error(`parameter "${name}" is not initialized`);
    return t;
  }

  /** Builds (seed 0) when apply() runs before initialize(). */
  protected ensureBuilt(pending: Pending): void {
    if (!this.isBuilt(pending)) this.build(pending, undefined, {});
  }
}
