// selfAttentionLayer (MATLAB, R2023a): multi-head scaled dot-product self-attention with projections.
//   Q = X Wqᵀ + bq, K = X Wkᵀ + bk  [.., T, numKeyChannels];  V = X Wvᵀ + bv  [.., T, numValueChannels]
//   head h uses the contiguous channel block h·D … (h+1)·D − 1, D = numKeyChannels / numHeads
//   S_h = Q_h K_hᵀ / √D → mask → softmax over keys → dropout → O_h = A_h V_h;  Y = concat_h(O_h) Woᵀ + bo
// Letters: B batch, T time steps, C input channels, H heads, D / Dv per-head key / value channels.
// Grouped-query attention (numKeyValueHeads Hkv < H, an extension beyond MATLAB): keys and values have Hkv
// heads (K = X Wkᵀ + bk [.., T, Hkv·D], V likewise [.., T, Hkv·Dv]) and query head h attends with key/value
// head ⌊h·Hkv/H⌋, so each group of H/Hkv query heads shares one; a decoding cache holds Hkv heads.
import { attend } from "../../functional/attentionNode.js";
import { bothMasks, checkMaskValues, explicitMask, paddingMask, type ExplicitMask, type MaskSpec } from "../../functional/masks.js";
import * as ops from "../../tensor/ops/index.js";
import { Random } from "../../tensor/random.js";
import { formatShape, sameShape } from "../../tensor/shape.js";
import { Tensor, asTensor, uncheckedTensor, isRectangular, type NestedArray, type OneOrList, type TensorLike } from "../../tensor/tensor.js";
import { checkInitializer, initialize, WEIGHT_INITIALIZERS, type Initializer, type InitializerFunction } from "../initializers.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue, type Pending, type Size, type Sizes, type WeightSpec } from "../layer.js";
import { booleanOption, checkFactor, checkPositiveInteger, checkProbability, layerName, makeReadOnly, sizeOrAuto } from "../validate.js";
import { checkApplyOptions, describe } from "../../util/validate.js";
import { applyForms, isPortRecord, isSequenceList, type ApplyInput } from "../applyInput.js";
import { attendCached } from "../../decode/cachedAttention.js";
import { KeyValueCache } from "../../decode/keyValueCache.js";
import type { DecodeState } from "../../decode/state.js";

type BooleanArray = boolean[][] | boolean[][][] | number[][] | number[][][] | Tensor;

/** Options of selfAttentionLayer, MATLAB's name-value arguments in camelCase (sizes, masks, scores output, dropout, initializers, parameters, factors, name). */
export interface SelfAttentionLayerOptions {
  numValueChannels?: number | "auto";
  /** key/value heads shared by groups of query heads (grouped-query attention; default numHeads; must divide it). Not in MATLAB. */
  numKeyValueHeads?: number;
  outputSize?: number | "auto";
  inputSize?: number | "auto";
  hasPaddingMaskInput?: boolean;
  attentionMask?: "none" | "causal" | BooleanArray;
  dropoutProbability?: number;
  hasScoresOutput?: boolean;
  weightsInitializer?: Initializer;
  biasInitializer?: "zeros" | "narrow-normal" | "ones" | InitializerFunction;
  queryWeights?: TensorLike; keyWeights?: TensorLike; valueWeights?: TensorLike; outputWeights?: TensorLike;
  queryBias?: TensorLike; keyBias?: TensorLike; valueBias?: TensorLike; outputBias?: TensorLike;
  weightLearnRateFactor?: number; biasLearnRateFactor?: number; weightL2Factor?: number; biasL2Factor?: number;
  name?: string;
}

const PARAMETERS = ["queryWeights", "keyWeights", "valueWeights", "outputWeights", "queryBias", "keyBias", "valueBias", "outputBias"] as const;
type ParameterName = (typeof PARAMETERS)[number];
const OPTIONS = new Set<string>([
  "numValueChannels", "numKeyValueHeads", "outputSize", "inputSize", "hasPaddingMaskInput", "attentionMask", "dropoutProbability",
  "hasScoresOutput", "weightsInitializer", "biasInitializer", ...PARAMETERS,
  "weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor", "name",
]);

/** Options of selfAttentionLayer's apply: training mode (dropout) and the dropout seed. */
export interface SelfAttentionApplyOptions {
  training?: boolean;
  /** dropout seed (default: drawn from the layer's own generator) */
  seed?: number;
  /** forwardBatch only: return the attention weights even without hasScoresOutput (for inspection) */
  returnScores?: boolean;
}

/** A batch as the layer computes it: x [B, T, C]; keys are limited by keyLengths and/or a padding mask [B, T]. */
export interface SelfAttentionBatch {
  x: Tensor;
  keyLengths?: readonly number[];
  paddingMask?: Tensor;
}

/** What apply takes: the base's forms, or a record of a list of sequences and a list of their masks. */
export type SelfAttentionInput = ApplyInput | { in: TensorLike | readonly TensorLike[]; mask?: TensorLike | readonly TensorLike[] };

/** apply's result for one input: `out`, or `{ out, scores }` when the layer has hasScoresOutput (S = true). */
export type SelfAttentionResult<S extends boolean, A> = S extends true ? { out: A; scores: A } : A;

/** S: the layer's hasScoresOutput, so apply's result type follows it. */
export class SelfAttentionLayer<S extends boolean = boolean> extends Layer {
  readonly kind = "selfAttentionLayer";
  readonly numHeads: number;
  readonly numKeyChannels: number;
  readonly numValueChannels: number;
  /** key/value heads (numHeads unless grouped-query) */
  readonly numKeyValueHeads: number;
  readonly hasPaddingMaskInput: boolean;
  readonly attentionMask: "none" | "causal" | Tensor;
  readonly dropoutProbability: number;
  readonly hasScoresOutput: S;
  readonly weightsInitializer: Initializer;
  readonly biasInitializer: "zeros" | "narrow-normal" | "ones" | InitializerFunction;
  readonly weightLearnRateFactor: number;
  readonly biasLearnRateFactor: number;
  readonly weightL2Factor: number;
  readonly biasL2Factor: number;
  private readonly dropoutSeeds = new Random(0xd20);

  constructor(numHeads: number, numKeyChannels: number, options: SelfAttentionLayerOptions = {}) {
    super();
    this.name = layerName(options, this.kind);
    for (const key of Object.keys(options)) {
      if (!OPTIONS.has(key)) throw this.error(`unknown option ${describe(key)} (options: ${[...OPTIONS].join(", ")})`);
    }
    this.numHeads = checkPositiveInteger(numHeads, "numHeads", this);
    this.numKeyChannels = checkPositiveInteger(numKeyChannels, "numKeyChannels", this);
    const nv = sizeOrAuto(options.numValueChannels, "numValueChannels", this);
    this.numValueChannels = nv === "auto" ? this.numKeyChannels : nv;
    for (const [what, n] of [["numKeyChannels", this.numKeyChannels], ["numValueChannels", this.numValueChannels]] as const) {
      if (n % this.numHeads !== 0) throw this.error(`numHeads (${this.numHeads}) must divide ${what} (${n})`);
    }
    this.numKeyValueHeads = options.numKeyValueHeads === undefined ? this.numHeads : checkPositiveInteger(options.numKeyValueHeads, "numKeyValueHeads", this);
    if (this.numHeads % this.numKeyValueHeads !== 0) {
      throw this.error(`numHeads (${this.numHeads}) must be a multiple of numKeyValueHeads (${this.numKeyValueHeads}): each key/value head serves a group of numHeads / numKeyValueHeads query heads`);
    }
    this.declareSizes({ inputSize: sizeOrAuto(options.inputSize, "inputSize", this), outputSize: sizeOrAuto(options.outputSize, "outputSize", this) });
    this.hasPaddingMaskInput = booleanOption(options.hasPaddingMaskInput, false, "hasPaddingMaskInput", this);
    this.hasScoresOutput = booleanOption(options.hasScoresOutput, false, "hasScoresOutput", this) as S;
    this.attentionMask = checkAttentionMask(options.attentionMask ?? "none", this);
    this.dropoutProbability = options.dropoutProbability === undefined ? 0 : checkProbability(options.dropoutProbability, "dropoutProbability", this);
    this.weightsInitializer = options.weightsInitializer ?? "glorot";
    checkInitializer(this.weightsInitializer, WEIGHT_INITIALIZERS, `${this.label}: weightsInitializer`);
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
    for (const p of PARAMETERS) if (options[p] !== undefined) this.setParameter(p, options[p] as TensorLike as NestedArray);
    makeReadOnly(this, ["numHeads", "numKeyChannels", "numValueChannels", "numKeyValueHeads", "hasPaddingMaskInput", "attentionMask", "dropoutProbability",
      "hasScoresOutput", "weightsInitializer", "biasInitializer", "weightLearnRateFactor", "biasLearnRateFactor", "weightL2Factor", "biasL2Factor"]);
  }

  get inputSize(): number | "auto" { return this.size(this.sizesIn(), "inputSize"); }
  get outputSize(): number | "auto" { return this.size(this.sizesIn(), "outputSize"); }
  get numInputs(): number { return this.hasPaddingMaskInput ? 2 : 1; }
  get inputNames(): string[] { return this.hasPaddingMaskInput ? ["in", "mask"] : ["in"]; }
  get numOutputs(): number { return this.hasScoresOutput ? 2 : 1; }
  get outputNames(): string[] { return this.hasScoresOutput ? ["out", "scores"] : ["out"]; }

  /** An "auto" outputSize follows inputSize. */
  protected override size(sizes: Sizes, name: string): Size {
    const size = super.size(sizes, name);
    return name === "outputSize" && size === "auto" ? super.size(sizes, "inputSize") : size;
  }

  protected override weights(): WeightSpec[] {
    const [K, V] = [this.numKeyChannels, this.numValueChannels];
    const share = this.numKeyValueHeads / this.numHeads; // key/value projections have Hkv of the H heads' channels
    const shapes: Record<ParameterName, (number | string)[]> = {
      queryWeights: [K, "inputSize"], keyWeights: [K * share, "inputSize"], valueWeights: [V * share, "inputSize"], outputWeights: ["outputSize", V],
      queryBias: [K], keyBias: [K * share], valueBias: [V * share], outputBias: ["outputSize"],
    };
    return PARAMETERS.map((name) => {
      const isBias = name.endsWith("Bias");
      return {
        name, shape: shapes[name],
        learnRate: isBias ? this.biasLearnRateFactor : this.weightLearnRateFactor,
        l2: isBias ? this.biasL2Factor : this.weightL2Factor,
        // fan-in / fan-out per weight: query/key C → K, value C → V, output V → O
        initializer: (shape, random) => initialize(isBias ? this.biasInitializer : this.weightsInitializer, shape,
          { numIn: isBias ? shape[0] : shape[1], numOut: shape[0] }, random, `${this.label}: ${name}`),
      };
    });
  }

  protected override setSizes(sizes: Record<string, number>, pending: Pending): void {
    if (sizes.inputSize !== undefined) this.fixInputSize(pending, sizes.inputSize, "given to initialize()");
  }

  /**
   * x [T, C] → out [T, O]; x [B, T, C] → out [B, T, O]; a list of [Tᵢ, C] → a list of [Tᵢ, O] (each
   * computed alone). With hasPaddingMaskInput pass { in: x, mask }; with hasScoresOutput the result is
   * { out, scores } with scores [B, H, T, T] ([H, T, T] for a single sequence).
   */
  override apply(input: Tensor | { in: Tensor; mask?: TensorLike }, options?: SelfAttentionApplyOptions): SelfAttentionResult<S, Tensor>;
  override apply(input: readonly Tensor[] | { in: readonly Tensor[]; mask?: readonly TensorLike[] }, options?: SelfAttentionApplyOptions): SelfAttentionResult<S, Tensor>[];
  override apply(
    input: NestedArray[] | Float32Array | { in: NestedArray[] | Float32Array; mask?: TensorLike | readonly TensorLike[] },
    options?: SelfAttentionApplyOptions,
  ): OneOrList<SelfAttentionResult<S, NestedArray[]>>;
  override apply(input: SelfAttentionInput, options?: SelfAttentionApplyOptions): SelfAttentionResult<S, TensorLike> | SelfAttentionResult<S, TensorLike>[];
  override apply(input: SelfAttentionInput, options: SelfAttentionApplyOptions = {}): SelfAttentionResult<S, TensorLike> | SelfAttentionResult<S, TensorLike>[] {
    checkApplyOptions(options, `${this.label}.apply`);
    if (this.hasPaddingMaskInput && !isPortRecord(input)) throw this.error(`has a padding mask input; call apply({ in: x, mask })`);
    // the base's adapter, each sequence of a list alone, each with the option's dropout seed (or the layer's next)
    const forward = (ports: Record<string, NetValue>, which: string, single: boolean, pending: Pending) =>
      this.forwardPorts(ports, { training: options.training === true, seed: options.seed ?? this.dropoutSeeds.seed() }, which, pending, single);
    return this.staged(undefined, (pending) => applyForms(this, this.sequencesWithMasks(input), { training: false, random: new Random(0), pending }, {
      separateExamples: true, forward: (ports, _c, which, single) => forward(ports, which, single, pending),
    })) as SelfAttentionResult<S, TensorLike> | SelfAttentionResult<S, TensorLike>[];
  }

  /** { in: [x₁, …], mask: [m₁, …] } (a list of sequences and their masks) → [{ in: x₁, mask: m₁ }, …]; other forms as they are. */
  private sequencesWithMasks(input: unknown): unknown {
    if (!isPortRecord(input)) return input;
    const { in: x, mask } = input as Record<string, unknown>;
    if (!isSequenceList(x)) return input;
    if (mask !== undefined && (!Array.isArray(mask) || mask.length !== x.length)) {
      throw this.error(`input "mask" must be a list of ${x.length} masks to go with the list of ${x.length} sequences`);
    }
    return x.map((seq, i) => (mask === undefined ? { ...(input as object), in: seq } : { ...(input as object), in: seq, mask: mask[i] }));
  }

  /** The computation on a batch; nets call this directly with keyLengths for padded sequences (`pending`: the call's changes). */
  forwardBatch(batch: SelfAttentionBatch, options: SelfAttentionApplyOptions = {}, which = "", pending?: Pending): { out: Tensor; scores?: Tensor } {
    return this.staged(pending, (p) => this.forwardStaged(batch, options, which, p));
  }

  private forwardStaged(batch: SelfAttentionBatch, options: SelfAttentionApplyOptions, which: string, pending: Pending): { out: Tensor; scores?: Tensor } {
    const [B, T, C] = batch.x.shape;
    const mask = this.maskSpec(B, T, batch, which);
    this.fixInputSize(pending, C, `input shape ${formatShape(batch.x.shape)}${which}`);
    this.ensureBuilt(pending);
    const { queries, keys } = withoutPaddingValues(batch.x, batch.keyLengths, batch.paddingMask); // [B, T, C] each
    const D = this.numKeyChannels / this.numHeads;
    // heads last: the projections' outputs reshaped, the attention reading and writing that layout itself (no transposes)
    const { q, k, v } = this.project(queries, keys, pending, true);
    const rate = options.training ? this.dropoutProbability : 0;
    const seed = options.seed ?? this.dropoutSeeds.seed();
    const { output, weights } = attend(q, k, v, {
      scale: 1 / Math.sqrt(D),
      mask,
      dropout: rate > 0 ? { rate, seed } : undefined,
      headsLast: true,
    }, this.hasScoresOutput || options.returnScores === true);
    return { out: this.joinHeads(output, pending, true), scores: weights };
  }

  /**
   * The heads' queries (from `queries` [B, T, C]) and keys and values (from `keys`): [B, H, T, D], [B, Hkv, T, D]
   * and [B, Hkv, T, Dv], or with headsLast [B, T, H, D], [B, T, Hkv, D] and [B, T, Hkv, Dv] (no copy).
   */
  private project(queries: Tensor, keys: Tensor, pending: Pending | undefined, headsLast: boolean): { q: Tensor; k: Tensor; v: Tensor } {
    const [B, T] = queries.shape, H = this.numHeads, Hkv = this.numKeyValueHeads;
    const heads = (x: Tensor, w: ParameterName, b: ParameterName, count: number, size: number) => {
      const last = ops.reshape(ops.linear(x, this.parameter(w, pending), this.parameter(b, pending)), [B, T, count, size]);
      return headsLast ? last : ops.transpose(last, [0, 2, 1, 3]); // [B, count, T, size]
    };
    return {
      q: heads(queries, "queryWeights", "queryBias", H, this.numKeyChannels / H),
      k: heads(keys, "keyWeights", "keyBias", Hkv, this.numKeyChannels / H),
      v: heads(keys, "valueWeights", "valueBias", Hkv, this.numValueChannels / H),
    };
  }

  /** The heads' outputs [B, H, T, Dv] (headsLast: [B, T, H, Dv]) joined [B, T, H·Dv] and projected: Y = concat_h(O_h) Woᵀ + bo. */
  private joinHeads(output: Tensor, pending: Pending | undefined, headsLast: boolean): Tensor {
    const [B, T] = headsLast ? output.shape : [output.shape[0], output.shape[2]];
    const joined = ops.reshape(headsLast ? output : ops.transpose(output, [0, 2, 1, 3]), [B, T, this.numValueChannels]);
    return ops.linear(joined, this.parameter("outputWeights", pending), this.parameter("outputBias", pending));
  }

  /** Decoding keeps a key/value cache; only causal self-attention can decode (a position must not see later ones). */
  override startState(batch: number, capacity: number): KeyValueCache {
    const why = this.attentionMask !== "causal"
      ? `its attentionMask is ${this.attentionMask instanceof Tensor ? "a custom mask" : '"none"'}, so a position may see later ones; decoding needs attentionMask "causal"`
      : this.hasPaddingMaskInput ? "it has a padding mask input; decode without hasPaddingMaskInput (rows of different lengths are given as a list)"
      : this.hasScoresOutput ? "it has a scores output; decode without hasScoresOutput" : undefined;
    if (why) throw this.error(`cannot decode step by step: ${why}`);
    const H = this.numHeads;
    return new KeyValueCache(batch, this.numKeyValueHeads, this.numKeyChannels / H, this.numValueChannels / H, capacity);
  }

  /** New positions x [B, Tnew, C] (row b's first lengths[b]): project, append keys and values to the cache, attend each over keys 0 … p. */
  override step(inputs: Record<string, NetValue>, state: DecodeState | undefined, context: ForwardContext): Record<string, NetValue> {
    const { x, lengths } = inputs.in;
    const { q, k, v } = this.project(x, x, context.pending, false);
    const counts = lengths ?? new Array<number>(x.shape[0]).fill(x.shape[1]);
    const output = attendCached(q, k, v, counts, state as KeyValueCache, 1 / Math.sqrt(this.numKeyChannels / this.numHeads));
    return { out: { x: this.joinHeads(output, context.pending, false), lengths } };
  }

  /** apply takes sequences [T, C] at "in" (one, a batch [B, T, C], or a list of them). */
  override isSequenceInput(port: string): boolean {
    return port === "in";
  }

  /** The padding mask input (with hasPaddingMaskInput) takes 1/0 or true/false. */
  override isMaskInput(port: string): boolean {
    return port === "mask";
  }

  override exampleRank(port: string): number {
    return port === "mask" ? 1 : 2; // in [T, C], mask [T]
  }

  /** Net use: in → out (outputSize channels); scores have no channel axis. */
  override inferSizes(inputs: Record<string, number>, pending?: Pending): Record<string, number> {
    return this.staged(pending, (p) => {
      this.fixInputSize(p, inputs.in);
      const sizes: Record<string, number> = { out: this.size(this.sizesIn(p), "outputSize") as number };
      if (this.hasScoresOutput) sizes.scores = NaN;
      return sizes;
    });
  }

  /** Net use: padded sequences [B, T, C] with lengths; padded keys are blocked like a padding mask. */
  override forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue> {
    const returnWeights = context.returnWeights === true; // a net's predict(x, { returnWeights }): the weights = the scores output
    const result = this.forwardPorts(inputs, { training: context.training, seed: context.random.seed(), returnScores: returnWeights }, "", context.pending);
    if (returnWeights) result.weights = result.scores;
    if (returnWeights && !this.hasScoresOutput) delete result.scores;
    return result;
  }

  /**
   * A batch by port: in [B, T, C] with lengths (padded keys blocked), mask [B, T] → out [B, T, O] (and scores
   * [B, H, T, T]); `single`: one example made a batch of one, whose shapes messages show without the batch axis.
   */
  private forwardPorts(inputs: Record<string, NetValue>, options: SelfAttentionApplyOptions, which: string, pending?: Pending, single = false): Record<string, NetValue> {
    const { x, lengths } = inputs.in;
    if (x.rank !== 3 || x.shape[2] === 0) throw this.error(`input "in"${which} must be [T, C] or [B, T, C] with C ≥ 1 (a batch [B, T, C] inside a net), got shape ${formatShape(x.shape)}`);
    const paddingMask = this.hasPaddingMaskInput ? inputs.mask?.x : undefined;
    if (this.hasPaddingMaskInput && !paddingMask) throw this.error(`input "mask" is not connected`);
    if (paddingMask && !sameShape(paddingMask.shape, x.shape.slice(0, 2))) {
      const shown = (shape: readonly number[]) => formatShape(single ? shape.slice(1) : shape);
      throw this.error(`input "mask"${which} must have shape ${shown(x.shape.slice(0, 2))} to match input "in" ${shown(x.shape)}, got ${shown(paddingMask.shape)}`);
    }
    const { out, scores } = this.forwardBatch({ x, keyLengths: lengths, paddingMask }, options, which, pending);
    const result: Record<string, NetValue> = { out: { x: out, lengths } };
    if (scores) result.scores = { x: scores, steps: lengths && { lengths, axes: [1, 2] } }; // row [H, T, T]
    return result;
  }

  override config(): LayerConfig {
    const plain = (i: unknown) => (typeof i === "string" ? i : undefined);
    return {
      kind: this.kind,
      args: [this.numHeads, this.numKeyChannels, {
        // sizes as resolved so far: an "auto" outputSize is written as the inputSize it follows once that is known,
        // so a saved and reloaded layer (whose output weights fix the size) gives the same config and bytes again
        numValueChannels: this.numValueChannels, outputSize: this.outputSize, inputSize: this.inputSize,
        // only when grouped: configs (and saved files) of other layers stay as they were
        ...(this.numKeyValueHeads !== this.numHeads ? { numKeyValueHeads: this.numKeyValueHeads } : {}),
        hasPaddingMaskInput: this.hasPaddingMaskInput, hasScoresOutput: this.hasScoresOutput,
        attentionMask: this.attentionMask instanceof Tensor ? this.attentionMask.toArray() : this.attentionMask,
        dropoutProbability: this.dropoutProbability,
        weightsInitializer: plain(this.weightsInitializer), biasInitializer: plain(this.biasInitializer),
        weightLearnRateFactor: this.weightLearnRateFactor, biasLearnRateFactor: this.biasLearnRateFactor,
        weightL2Factor: this.weightL2Factor, biasL2Factor: this.biasL2Factor, name: this.name,
      }],
    };
  }

  private maskSpec(B: number, T: number, batch: SelfAttentionBatch, which: string): MaskSpec {
    const spec: MaskSpec = { causal: this.attentionMask === "causal" ? "topLeft" : false, keyLengths: batch.keyLengths };
    let custom: ExplicitMask | undefined, padding: ExplicitMask | undefined;
    if (this.attentionMask instanceof Tensor) {
      const m = this.attentionMask;
      const ok = (m.rank === 2 && sameShape(m.shape, [T, T])) || (m.rank === 3 && sameShape(m.shape, [B, T, T]));
      if (!ok) throw this.error(`attentionMask of shape ${formatShape(m.shape)} does not fit input "in"${which} with B = ${B}, T = ${T} (expected ${formatShape([T, T])} or ${formatShape([B, T, T])})`);
      custom = explicitMask(m.rank === 2 ? m : ops.reshape(m, [B, 1, T, T]), [B, this.numHeads, T, T], this.label, "attentionMask");
    }
    if (batch.paddingMask) {
      checkMaskValues(batch.paddingMask, this.label, `input "mask"${which}`);
      padding = paddingMask(batch.paddingMask); // padding blocks keys: allowed(b, i, j) = mask[b, j]
    }
    const explicit = bothMasks(custom, padding, [B, this.numHeads, T, T]);
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
function withoutPaddingValues(x: Tensor, keyLengths: readonly number[] | undefined, paddingMask: Tensor | undefined): { queries: Tensor; keys: Tensor } {
  if (!keyLengths && !paddingMask) return { queries: x, keys: x };
  const [B, T, C] = x.shape;
  // the flags are made only when needed: keepStep at the first padded step, keepValue at the first
  // non-finite padded value (the usual batch, finite, needs no keepValue; an unpadded one neither)
  let keepStep: Float32Array | undefined, keepValue: Float32Array | undefined;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      if (!((keyLengths && t >= keyLengths[b]) || (paddingMask && paddingMask.data[b * T + t] === 0))) continue;
      keepStep ??= new Float32Array(B * T).fill(1);
      keepStep[b * T + t] = 0;
      for (let c = 0; c < C; c++) {
        const i = (b * T + t) * C + c;
        if (!Number.isFinite(x.data[i])) (keepValue ??= new Float32Array(B * T * C).fill(1))[i] = 0;
      }
    }
  }
  return {
    queries: keepValue ? ops.keepWhere(x, uncheckedTensor(keepValue, [B, T, C])) : x,
    keys: keepStep ? ops.keepWhere(x, uncheckedTensor(keepStep, [B, T, 1])) : x,
  };
}

function checkAttentionMask(mask: unknown, layer: Layer): "none" | "causal" | Tensor {
  if (mask === "none" || mask === "causal") return mask;
  if (mask instanceof Tensor || Array.isArray(mask)) {
    const t = asTensor(mask as TensorLike, `${layer.label}: attentionMask`, true);
    if (t.rank !== 2 && t.rank !== 3) throw layer.error(`attentionMask must be "none", "causal", or a boolean [T, T] or [B, T, T] array, got shape ${formatShape(t.shape)}`);
    if (t.shape[t.rank - 1] !== t.shape[t.rank - 2] || t.shape[t.rank - 1] === 0) {
      throw layer.error(`attentionMask must be square over the time steps ([T, T] or [B, T, T]: self-attention has as many keys as queries), got shape ${formatShape(t.shape)}`);
    }
    checkMaskValues(t, layer.label, "attentionMask");
    return t;
  }
  throw layer.error(`attentionMask must be "none", "causal", or a boolean [T, T] or [B, T, T] array, got ${describe(mask)}`);
}

/**
 * MATLAB selfAttentionLayer(numHeads, numKeyChannels, options): x [T, C] or [B, T, C] → [.., T, outputSize], with {out, scores} typed when hasScoresOutput is true.
 * @example const { out, scores } = selfAttentionLayer(4, 12, { hasScoresOutput: true }).apply(x)
 */
export function selfAttentionLayer(numHeads: number, numKeyChannels: number, options: SelfAttentionLayerOptions & { hasScoresOutput: true }): SelfAttentionLayer<true>;
export function selfAttentionLayer(numHeads: number, numKeyChannels: number, options?: SelfAttentionLayerOptions & { hasScoresOutput?: false }): SelfAttentionLayer<false>;
export function selfAttentionLayer(numHeads: number, numKeyChannels: number, options?: SelfAttentionLayerOptions): SelfAttentionLayer;
export function selfAttentionLayer(numHeads: number, numKeyChannels: number, options?: SelfAttentionLayerOptions): SelfAttentionLayer {
  return new SelfAttentionLayer(numHeads, numKeyChannels, options);
}

import { defineLayerKind } from "../layerKind.js";

/** The selfAttentionLayer kind: config args [numHeads, numKeyChannels, options]. */
export const selfAttentionLayerKind = defineLayerKind({ kind: "selfAttentionLayer", positional: ["numHeads", "numKeyChannels"], fromConfig: ([h, k, o]) => new SelfAttentionLayer(h, k, o) });
