// attentionLayer (Wolfram AttentionLayer): ports key [d1…dn, k], value [d1…dn, v], query [q1…qm, q]
// → output [q1…qm, v]. With multiHead the second-to-last axis of every port indexes heads.
//   s_ij = f(k_j, q_i) → rescale → mask → softmax over all N = d1·…·dn key positions → dropout → Σ_j a_ij v_j
// "Dot" and "Bilinear" run through dotProductAttention's kernel (Bilinear as Dot on keys projected by W);
// a custom scoring net is evaluated on every (key, query) pair and then goes through maskedSoftmax.
// Letters: h heads, N key positions, M query positions, k/q/v vector sizes.
import { attend } from "../../functional/attentionNode.js";
import { visibilityMatrix, visibleKeyCount, type MaskSpec } from "../../functional/masks.js";
import * as ops from "../../tensor/ops/index.js";
import { Random } from "../../tensor/random.js";
import { formatShape, sameShape, sizeOf } from "../../tensor/shape.js";
import { Tensor, asTensor, type Mirror, type NestedArray, type TensorLike } from "../../tensor/tensor.js";
import { checkApplyOptions, checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionNames, checkSeed, describe, isRecord, optional } from "../../util/validate.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue, type Pending } from "../layer.js";
import { applyForms, type ApplyInput, type ApplyResult } from "../applyInput.js";
import { validSteps } from "../sequenceBatch.js";
import { layerName, makeReadOnly } from "../validate.js";
import { scoringNetFor, type Scoring, type ScoringNet } from "./scoring.js";
import { additiveForm, additiveScoresOf } from "./additiveForm.js";
import { factoredScores, isFactorable, type Memo } from "./factoredScores.js";
import { PortShape, type ShapeSpec } from "./shapeSpec.js";
import { attendCached } from "../../decode/cachedAttention.js";
import { KeyValueCache } from "../../decode/keyValueCache.js";
import { FixedKeys } from "../../decode/fixedKeys.js";
import type { DecodeState } from "../../decode/state.js";

/** Wolfram's "Mask": none, causal (query i sees keys j ≤ i), or causal within a window of w keys. */
export type AttentionMask = "none" | "causal" | { causal: number };
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

export type AttentionResult<T> = T | { output: T; weights: T };


/**
 * The attention computation shared by attentionLayer and sequenceAttentionLayer; a subclass says how
 * an example's ports map onto the key, value and query roles.
 */
export abstract class AttentionBase<Example extends object> extends Layer {
  readonly kind: string;
  abstract override readonly inputNames: readonly string[];
  readonly outputNames: readonly string[] = ["output"];
  /** the input port that plays each role (sequenceAttentionLayer: "input" is both key and value), for messages and the exporters */
  abstract readonly roles: { readonly key: string; readonly value: string; readonly query: string };
  readonly scoringNet: ScoringNet;
  readonly mask: AttentionMask;
  readonly scoreRescaling: ScoreRescaling;
  readonly dropout: number;
  readonly multiHead: boolean;
  readonly scoring: "Dot" | "Bilinear" | "custom";
  protected readonly ports: { key: PortShape; value: PortShape; query: PortShape };
  private readonly dropoutSeeds = new Random(0x5eed);

  /** `kind` names the layer in messages (it must be known before the subclass's fields are) */
  constructor(kind: string, scoring: Scoring = "Bilinear", options: AttentionLayerOptions = {}) {
    super();
    this.kind = kind;
    this.name = layerName(options, kind);
    checkOptionNames(options, ["mask", "scoreRescaling", "dropout", "multiHead", "key", "value", "query", "name"], this.label);
    this.scoringNet = scoringNetFor(scoring, this.label, () => this.label);
    this.scoring = scoring === "Dot" || scoring === "Bilinear" ? scoring : "custom";
    this.mask = checkMask(options.mask ?? "none", this.label);
    this.scoreRescaling = optional(options.scoreRescaling, "none", (v) => checkOneOf(v, ["none", "lengthSqrt", "dimensionSqrt"] as const, this.label, "scoreRescaling"));
    this.dropout = optional(options.dropout, 0, (v) => checkNumber(v, this.label, "dropout", { min: 0, max: 1, maxExclusive: true }));
    this.multiHead = optional(options.multiHead, false, (v) => checkBoolean(v, this.label, "multiHead"));
    this.ports = {
      key: new PortShape("key", options.key, this.label),
      value: new PortShape("value", options.value, this.label),
      query: new PortShape("query", options.query, this.label),
    };
    this.declareSizes({ ...this.ports.key.initialSizes(), ...this.ports.value.initialSizes(), ...this.ports.query.initialSizes() });
    makeReadOnly(this, ["scoringNet", "scoring", "mask", "scoreRescaling", "dropout", "multiHead"]);
  }

  /** The scoring net's parameters, prefixed "scoringNet/" for custom nets; "weights" for Bilinear. */
  override get parameters(): Record<string, Tensor> {
    const inner = this.scoringNet.parameters;
    if (this.scoring !== "custom") return { ...inner };
    return Object.fromEntries(Object.entries(inner).map(([n, t]) => [`scoringNet/${n}`, t]));
  }

  /**
   * The learnables' shapes under the names `parameters` gives them: the scoring net's ("weights" for Bilinear,
   * none for Dot; a custom scoring net's prefixed "scoringNet/").
   */
  override get learnableShapes(): Record<string, number[] | undefined> {
    const net = this.scoringNet as ScoringNet & { learnableShapes?: Record<string, number[] | undefined> };
    const shapes = net.learnableShapes ?? Object.fromEntries(Object.entries(net.parameters).map(([n, t]) => [n, t.shape.slice()]));
    if (this.scoring !== "custom") return { ...shapes };
    return Object.fromEntries(Object.entries(shapes).map(([n, shape]) => [`scoringNet/${n}`, shape]));
  }

  override setParameter(name: string, value: Tensor | NestedArray | Float32Array): void {
    const inner = this.scoring === "custom" ? name.replace(/^scoringNet\//, "") : name;
    const [k, q] = [this.ports.key.vectorSize(this.sizesIn()), this.ports.query.vectorSize(this.sizesIn())];
    if (this.scoring === "Bilinear" && name === "weights" && k !== undefined && q !== undefined) {
      const shape = asTensor(value, `${this.label}: parameter "weights"`).shape;
      if (shape.length !== 2 || shape[0] !== q || shape[1] !== k) {
        throw this.error(`parameter "weights" must have shape ${formatShape([q, k])} [querySize, ${this.roles.key}Size], got ${formatShape(shape)}`);
      }
    }
    const net = this.scoringNet as ScoringNet & { setParameter?: (n: string, v: unknown) => void };
    if (!net.setParameter) throw this.error(`the scoring net has no settable parameter "${name}"`);
    net.setParameter(inner, value);
  }

  override isBuilt(pending?: Pending): boolean {
    return this.scoringNet instanceof Layer ? this.scoringNet.isBuilt(pending) : this.scoringNet.isInitialized;
  }

  override initialize(options: { seed?: number; keySize?: number; valueSize?: number; querySize?: number } = {}): this {
    checkOptionNames(options, ["seed", "keySize", "valueSize", "querySize"], `${this.label}.initialize`);
    this.staged(undefined, (pending) => this.build(pending, options.seed, options));
    return this;
  }

  /**
   * The build: sizes given (keySize, valueSize, querySize; as the caller spells them: `${role}Size`) or
   * fixed by data, then the scoring net's weights.
   */
  override build(pending: Pending, seed: number | undefined, given: { keySize?: number; valueSize?: number; querySize?: number }): void {
    const where = `${this.label}.initialize`, keyName = `${this.roles.key}Size`;
    if (seed !== undefined) checkSeed(seed, where);
    for (const n of ["keySize", "valueSize", "querySize"] as const) {
      if (given[n] !== undefined) checkInteger(given[n], where, n === "keySize" ? keyName : n);
    }
    const known = this.sizesIn(pending);
    const sizes = { keySize: given.keySize ?? this.ports.key.vectorSize(known), querySize: given.querySize ?? this.ports.query.vectorSize(known) };
    if (this.scoring === "Bilinear" && !this.isBuilt(pending) && (sizes.keySize === undefined || sizes.querySize === undefined)) {
      throw this.error(`cannot initialize "weights" [querySize, ${keyName}] before its sizes are known; pass { ${keyName}, querySize } to initialize() or apply the layer to data`);
    }
    const set = Object.fromEntries((["key", "value", "query"] as const).filter((p) => given[`${p}Size`] !== undefined).map((p) => [`${p}Size`, given[`${p}Size`]!]));
    pending.stage(this, { sizes: { ...known, ...set } });
    if (this.scoringNet instanceof Layer) {
      const defined = Object.entries({ inputSize: sizes.keySize, querySize: sizes.querySize }).filter(([, v]) => v !== undefined);
      this.scoringNet.build(pending, seed, Object.fromEntries(defined) as Record<string, number>);
    } else {
      this.scoringNet.initialize({ seed, inputSize: sizes.keySize, querySize: sizes.querySize });
    }
  }

  override parameterFactors(name: string) {
    return this.scoringNet.parameterFactors?.(name.replace(/^scoringNet\//, "")) ?? { learnRate: 1, l2: 1 };
  }

  /** One example, or a list of examples with their own lengths (→ a list of results, each as if applied alone). */
  override apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options: ApplyOptions & { returnWeights: true }): { output: Mirror<T>; weights: Mirror<T> }[];
  override apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options?: ApplyOptions & { returnWeights?: false }): Mirror<T>[];
  override apply<T extends TensorLike>(example: Example & Record<string, T>, options: ApplyOptions & { returnWeights: true }): { output: Mirror<T>; weights: Mirror<T> };
  override apply<T extends TensorLike>(example: Example & Record<string, T>, options?: ApplyOptions & { returnWeights?: false }): Mirror<T>;
  override apply(input: ApplyInput, options?: ApplyOptions): ApplyResult;
  override apply(input: ApplyInput, options: ApplyOptions = {}): ApplyResult {
    checkApplyOptions(options, `${this.label}.apply`, ["returnWeights"]);
    const returnWeights = options.returnWeights === true;
    // each example is a batch of one through the base's adapter, its dropout seed the option's (or the layer's next)
    const forward = (ports: Record<string, NetValue>, _c: ForwardContext, which: string, pending: Pending): Record<string, NetValue> => {
      const r = this.attend(ports[this.roles.key], ports[this.roles.value], ports[this.roles.query], {
        training: options.training === true, seed: options.seed ?? this.dropoutSeeds.seed(), returnWeights, which: () => which,
      }, pending);
      return returnWeights ? { output: r.output, weights: { x: r.weights! } } : { output: r.output };
    };
    return this.staged(undefined, (pending) => applyForms(this, input, { training: false, random: new Random(0), pending }, {
      recordsAreExamples: true, forward: (ports, c, which) => forward(ports, c, which, pending),
    }));
  }

  /**
   * "Dot" and "Bilinear" scoring on [B, h, ·, ·] tensors: s = q·(P k) through the attention kernel, with the
   * rescaling folded into the kernel's scale (a number) or into the query rows (an [M, 1] column per query
   * position, or a [B, 1, 1, 1] factor per batch row).
   */
  private attendDotProduct(
    form: { keyProjection: Tensor | null }, K: Tensor, V: Tensor, Q: Tensor, rowFactor: number | Tensor, mask: MaskSpec,
    dropoutRate: number, seed: number, returnWeights: boolean,
  ): { output: Tensor; weights?: Tensor } {
    const Qs = typeof rowFactor === "number" ? Q : ops.mul(Q, rowFactor);
    const Kp = form.keyProjection ? ops.linear(K, form.keyProjection) : K; // [B, h, N, q]
    return attend(Qs, Kp, V, {
      scale: typeof rowFactor === "number" ? rowFactor : 1, mask, dropout: dropoutRate > 0 ? { rate: dropoutRate, seed } : undefined,
    }, returnWeights);
  }

  /**
   * A custom scoring net on [B, h, ·, ·] tensors: the net scores every (key, query) pair (factored where it can,
   * factoredScores.ts); the scores of pairs the mask (or a row's key and query lengths) hides are zeroed, and when
   * a key or query is not finite those pairs see zero vectors too, so a NaN there reaches nothing. The kernel then runs on the scores as queries against identity keys (S·Iᵀ = S), which skips
   * hidden keys and their values exactly as the Dot path does (no 0·NaN).
   */
  private attendCustom(
    K: Tensor, V: Tensor, Q: Tensor, rowFactor: number | Tensor, mask: MaskSpec, queryCounts: readonly number[] | undefined,
    dropoutRate: number, seed: number, returnWeights: boolean, pending: Pending, memo?: Memo,
  ): { output: Tensor; weights?: Tensor } {
    const [B, h, N] = K.shape, M = Q.shape[2];
    const hides = mask.causal || mask.window !== undefined || mask.keyLengths || queryCounts?.some((n) => n < M);
    // decoding (memo: fixed keys, so fixed key lengths) builds the visibility and the identity keys once per query counts
    const lead = B === 1 ? [h] : [B, h]; // one example keeps the [h, M, N] shapes its scoring net has always seen
    // what is computed from the keys alone is [B, …] row by row when lead holds B: select may take its rows then
    const keyMemo: Memo | undefined = memo && (<T>(name: string, make: () => T) => memo(name, make, B > 1));
    const once = <T>(name: string, make: () => T, byRow: boolean): T => (memo ? memo(name, make, byRow) : make());
    // the visibility depends on each row's query count too, which the rows of a select get anew: not byRow
    const allowed = hides ? once(`visible ${M}: ${queryCounts?.join(",")}`, () => visibilityMatrix(mask, B, h, M, N, queryCounts), false) : undefined; // [B, h, M, N]
    const scores = this.pairwiseScores(ops.reshape(K, [...lead, N, K.shape[3]]), ops.reshape(Q, [...lead, M, Q.shape[3]]), pending, allowed && ops.reshape(allowed, [...lead, M, N]), keyMemo);
    const rescaled = ops.mul(ops.reshape(scores, [B, h, M, N]), rowFactor);
    const finite = allowed ? ops.keepWhere(rescaled, allowed) : rescaled;
    return attend(
      finite, once("identity keys", () => identityKeys(B, h, N), true), V,
      { scale: 1, mask, dropout: dropoutRate > 0 ? { rate: dropoutRate, seed } : undefined },
      returnWeights,
    );
  }

  /**
   * One example's rank at a port: fixed by a subclass (sequenceAttentionLayer), by a declared port shape, or
   * else a sequence of vectors, [N, k] ([N, h, k] with multiHead), as the layer alone reads a plain example.
   */
  override exampleRank(port: string): number | undefined {
    const role = (["key", "value", "query"] as const).find((r) => this.roles[r] === port);
    if (role === undefined) return undefined;
    const fixed = (this.portRanks() as Record<string, number | undefined>)[role];
    return fixed ?? this.ports[role].rank ?? (this.multiHead ? 3 : 2);
  }

  /** Net use: the output channel count is the value size. */
  override inferSizes(inputs: Record<string, number>, pending?: Pending): Record<string, number> {
    return this.staged(pending, (p) => {
      const [k, v, q] = [inputs[this.roles.key], inputs[this.roles.value], inputs[this.roles.query]];
      this.build(p, undefined, { keySize: k, valueSize: v, querySize: q });
      const expected = this.ports.value.vectorSize(this.sizesIn(p));
      if (expected !== undefined && expected !== v) throw this.error(`input "${this.roles.value}" has ${v} channels but the layer expects ${expected}`);
      return { output: v };
    });
  }

  /**
   * Net use: every batch row is an example of its own length (see `attend`). A net's predict with returnWeights
   * (context.returnWeights) also gets the weights [B, q…, (h,) k…], each row's query positions its own length.
   */
  override forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue> {
    const key = inputs[this.roles.key], value = inputs[this.roles.value], query = inputs[this.roles.query];
    return this.staged(context.pending, (pending) => {
      const returnWeights = context.returnWeights === true;
      const options = { training: context.training, seed: context.random.seed(), returnWeights, which: (b: number) => ` (batch row ${b + 1})` };
      const r = this.attend(key, value, query, options, pending);
      const outs: Record<string, NetValue> = { output: r.output };
      if (returnWeights) outs.weights = { x: r.weights!, lengths: query.lengths };
      return outs;
    });
  }

  /**
   * The computation, on a batch whose every row is an example of its own length (validated as such; one
   * example is a batch of one). The whole padded batch runs in one kernel call (a custom scoring net scores
   * the pairs of all rows in one call too), padded keys blocked by per-row key lengths; each row's result is
   * the one it gets alone (padded query positions are zeroed). Weights (returnWeights) are shaped [B, q…, d…]
   * ([B, q…, h, d…] with multiHead), a padded row's hidden keys weighing 0.
   */
  private attend(
    key: NetValue, value: NetValue, query: NetValue,
    options: { training: boolean; seed: number; returnWeights: boolean; which: (b: number) => string; memo?: Memo }, pending: Pending,
  ): { output: NetValue; weights?: Tensor } {
    const B = query.x.shape[0];
    if (key.x.shape[0] !== B || value.x.shape[0] !== B) {
      throw this.error(`inputs must have the same batch size: ${this.roles.key} ${formatShape(key.x.shape)}, ${this.roles.value} ${formatShape(value.x.shape)}, query ${formatShape(query.x.shape)} (a net reads a record as one example when every port has one example's rank, [N, k] or its declared shape, else as a batch; pass [record] for one example)`);
    }
    const rowShape = (v: NetValue, b: number) => {
      const shape = v.x.shape.slice(1);
      if (v.lengths) shape[0] = v.lengths[b];
      return { shape, rank: shape.length };
    };
    let g: ExampleGeometry | undefined;
    const keyCounts: number[] = [], queryCounts: number[] = []; // per row, over all position axes flattened
    // rows differ only in their lengths: each distinct combination is checked once, at its first row (the first failing row is still the one named)
    const checked = new Map<string, ExampleGeometry>();
    const length = (v: NetValue, b: number) => (v.lengths ? v.lengths[b] : -1);
    for (let b = 0; b < B; b++) {
      const id = `${length(key, b)} ${length(value, b)} ${length(query, b)}`;
      g = checked.get(id) ?? this.checkExample(rowShape(key, b), rowShape(value, b), rowShape(query, b), options.which(b), pending);
      checked.set(id, g);
      keyCounts.push(g.N);
      queryCounts.push(g.M);
    }
    if (g === undefined) throw this.error(`needs at least one example, got a batch of 0`);
    if (!sameShape(key.x.shape.slice(0, -1), value.x.shape.slice(0, -1))) {
      // rows agree (checked above) but the batches are padded to other lengths: both to the longest row
      const T = Math.max(...Array.from({ length: B }, (_, b) => rowShape(key, b).shape[0]));
      [key, value] = [key, value].map((v) => ({ x: ops.slice(v.x, 1, 0, T), lengths: v.lengths }));
    }
    this.ensureBuilt(pending);
    const form = this.scoringNet.dotProductForm?.(pending);
    const headAxes = this.multiHead ? 1 : 0;
    const positions = (x: Tensor) => x.shape.slice(1, x.rank - 1 - headAxes);
    const keyPositions = positions(key.x), queryPositions = positions(query.x);
    const N = sizeOf(keyPositions), M = sizeOf(queryPositions);
    const rowMask = this.maskSpec(); // the rule of one example; the batch adds per-row key lengths
    let rowFactor: number | Tensor;
    if (this.scoreRescaling === "lengthSqrt" && !rowMask.causal && keyCounts.some((n) => n !== keyCounts[0])) {
      // 1/√N_b differs per batch row: a [B, 1, 1, 1] factor on the query rows (the same float32 product the
      // fused kernel makes of a row alone with scale 1/√N_b, so the result is the same to the bit there)
      rowFactor = new Tensor(Float32Array.from(keyCounts, (n) => this.rowRescaling(M, n, rowMask, g.k) as number), [B, 1, 1, 1]);
    } else {
      // every row's key count is the same; under a causal mask, query i's visible count is the same in every batch row
      rowFactor = this.rowRescaling(M, rowMask.causal ? N : keyCounts[0], rowMask, g.k);
    }
    const maskSpec: MaskSpec = { ...rowMask, keyLengths: keyCounts };
    const K = toHeadsFirst(key.x, B, g.h, N, g.k, this.multiHead), V = toHeadsFirst(value.x, B, g.h, N, g.v, this.multiHead);
    const Q = toHeadsFirst(query.x, B, g.h, M, g.q, this.multiHead);
    const dropoutRate = options.training ? this.dropout : 0;
    const r = form
      ? this.attendDotProduct(form, K, V, Q, rowFactor, maskSpec, dropoutRate, options.seed, options.returnWeights)
      : this.attendCustom(K, V, Q, rowFactor, maskSpec, queryCounts, dropoutRate, options.seed, options.returnWeights, pending, options.memo);
    const output = fromHeadsFirst(r.output, [B], queryPositions, this.multiHead); // [B, q…, (h,) v]
    const weights = r.weights && weightsShape(ops.reshape(r.weights, [B, g.h, M, N]), queryPositions, keyPositions, this.multiHead);
    if (!query.lengths || query.lengths.every((len) => len === query.x.shape[1])) return { output: { x: output, lengths: query.lengths }, weights };
    // zero the padded query positions, as padding the rows' own results would (selection: a NaN there gives 0)
    return { output: { x: ops.keepWhere(output, validSteps(query.lengths, query.x.shape[1], output.rank - 2)), lengths: query.lengths }, weights };
  }

  /**
   * Cross-attention while decoding: fixed keys and values (a seq2seq encoder's annotations, each row padded to its
   * own length) and stepped queries. Each new query attends over the whole fixed memory, exactly as in the forward
   * on the whole sequence, so step is the forward; any scoring and rescaling works. A causal mask would make query
   * p see the fixed keys 0 … p; it is refused, as is a fixed query (its keys would need a cache of their own).
   */
  override fixedInputsRefusal(fixed: readonly string[]): string | undefined {
    const { key, value, query } = this.roles;
    const memory = key === value ? `"${key}"` : `"${key}" and "${value}"`;
    if (fixed.includes(query) || !fixed.includes(key) || !fixed.includes(value)) {
      return `only ${memory} can be fixed (cross-attention: stepped queries over a fixed memory), but the fixed input${fixed.length === 1 ? " is" : "s are"} ${fixed.map((p) => `"${p}"`).join(", ")}`;
    }
    if (this.mask !== "none") return `${memory} come${key === value ? "s" : ""} from the decoder's fixed inputs and "${query}" steps, but its mask is ${JSON.stringify(this.mask)}: a causal mask between fixed keys and stepped queries is not supported; use mask "none" (cross-attention)`;
    return undefined;
  }

  /**
   * A cross-attention step: the forward on the new queries over the fixed keys and values, with what a custom
   * scoring net computes from the keys alone (and their finiteness) kept in `fixed` across steps.
   */
  private crossAttend(inputs: Record<string, NetValue>, fixed: FixedKeys, context: ForwardContext): Record<string, NetValue> {
    const key = inputs[this.roles.key], value = inputs[this.roles.value], query = inputs[this.roles.query];
    const memo: Memo = (name, compute, byRow) => fixed.get(key.x, name, compute, byRow);
    return this.staged(context.pending, (pending) => {
      const options = { training: false, seed: context.random.seed(), returnWeights: false, which: (b: number) => ` (batch row ${b + 1})`, memo };
      return { output: this.attend(key, value, query, options, pending).output };
    });
  }

  /**
   * Decoding: causal "Dot" or "Bilinear" attention on sequences [T, k] keeps each row's keys (projected by the
   * Bilinear W) and values in a cache; other forms refuse.
   */
  override startState(batch: number, capacity: number, fixed: readonly string[] = []): KeyValueCache | FixedKeys {
    if (fixed.length > 0) {
      const why = this.fixedInputsRefusal(fixed);
      if (why) throw this.error(`cannot decode step by step: ${why}`);
      return new FixedKeys(); // cross-attention: the fixed keys and values are the memory; what derives from the keys alone is kept
    }
    const form = this.scoringNet.dotProductForm?.();
    const why = this.mask === "none" ? `its mask is "none", so a position may see later ones; decoding needs mask "causal" (or { causal: w })`
      : !form ? `it has a custom scoring net; decoding supports "Dot" and "Bilinear" scoring`
      : this.multiHead ? "multiHead attention cannot decode yet" : undefined;
    if (why) throw this.error(`cannot decode step by step: ${why}`);
    const sizes = this.sizesIn();
    return new KeyValueCache(batch, 1, form!.keyProjection?.shape[0] ?? this.ports.key.vectorSize(sizes)!, this.ports.value.vectorSize(sizes)!, capacity);
  }

  /**
   * New positions key/value/query [B, Tnew, ·] (row b's first lengths[b]): query t of row b, at absolute position
   * p, attends over the row's keys 0 … p (p − w < j with a window w), scaled as the whole sequence would be
   * ("lengthSqrt": 1/√(visible keys) of position p).
   */
  override step(inputs: Record<string, NetValue>, state: DecodeState | undefined, context: ForwardContext): Record<string, NetValue> {
    if (state instanceof FixedKeys) return this.crossAttend(inputs, state, context);
    const key = inputs[this.roles.key].x, value = inputs[this.roles.value].x, query = inputs[this.roles.query];
    const [B, T] = query.x.shape, cache = state as KeyValueCache;
    for (const [port, x] of [[this.roles.key, key], [this.roles.value, value], [this.roles.query, query.x]] as const) {
      if (x.rank !== 3 || x.shape[0] !== B || x.shape[1] !== T) throw this.error(`decoding takes sequences: input "${port}" must be [B, ${T}, size] like the query, got ${formatShape(x.shape)}`);
    }
    const form = this.scoringNet.dotProductForm!(context.pending);
    const K = toHeadsFirst(key, B, 1, T, key.shape[2], false), Q = toHeadsFirst(query.x, B, 1, T, query.x.shape[2], false);
    const Kp = form.keyProjection ? ops.linear(K, form.keyProjection) : K;
    const counts = query.lengths ?? new Array<number>(B).fill(T);
    const window = this.mask === "causal" || this.mask === "none" ? undefined : this.mask.causal;
    const scale = this.scoreRescaling === "dimensionSqrt" ? 1 / Math.sqrt(key.shape[2]) : 1;
    let Qs = Q;
    if (this.scoreRescaling === "lengthSqrt") {
      // query t of row b sees min(p + 1, w) keys, p = cached + t
      const factor = new Float32Array(B * T);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) factor[b * T + t] = 1 / Math.sqrt(Math.min(cache.lengths[b] + t + 1, window ?? Infinity));
      Qs = ops.mul(Q, new Tensor(factor, [B, 1, T, 1]));
    }
    const output = attendCached(Qs, Kp, toHeadsFirst(value, B, 1, T, value.shape[2], false), counts, cache, scale, window);
    return { output: { x: fromHeadsFirst(output, [B], [T], false), lengths: query.lengths } };
  }

  override config(): LayerConfig {
    const scoring = this.scoring === "custom" ? { net: (this.scoringNet as unknown as Layer).config() } : this.scoring;
    return {
      kind: this.kind,
      args: [scoring, {
        mask: this.mask, scoreRescaling: this.scoreRescaling, dropout: this.dropout, multiHead: this.multiHead, name: this.name,
        ...this.portSpecs(),
      }],
    };
  }

  protected portSpecs(): Record<string, ShapeSpec | undefined> {
    const sizes = this.sizesIn();
    return { key: this.ports.key.describe(sizes), value: this.ports.value.describe(sizes), query: this.ports.query.describe(sizes) };
  }

  /** Exact ranks a subclass requires of its ports (sequenceAttentionLayer: [n, d1] and [m, d2]). */
  protected portRanks(): { key?: number; query?: number } {
    return {};
  }

  /** Evaluates the custom scoring net on every (key, query) pair: K [..., N, k] and Q [..., M, q] give [..., M, N]. */
  private pairwiseScores(K: Tensor, Q: Tensor, pending: Pending, allowed?: Tensor, memo?: Memo): Tensor {
    const lead = K.shape.slice(0, -2), [N, k] = K.shape.slice(-2), [M, q] = Q.shape.slice(-2);
    // hidden pairs' scores are zeroed after scoring (attendCustom), so their inputs need zeroing only when a key
    // or query holds a NaN or ±Infinity (padding may): finite inputs score finitely, and the zeroing blocks them
    const masked = allowed !== undefined && !((memo ? memo("keys are finite", () => allFinite(K)) : allFinite(K)) && allFinite(Q));
    const context = { training: false, random: new Random(0), pending };
    let s: Tensor | Record<string, Tensor> | undefined;
    const net = this.scoringNet, factorable = isFactorable(net) && net.isBuilt(pending) ? net : undefined;
    const additive = factorable && additiveForm(factorable);
    if (additive && masked) {
      // the fused scores read each key and query alone: zeroing the padding (keys no query sees, queries that see
      // no key) is enough when the non-finite values sit there; the hidden pairs' scores are zeroed as above
      const unpadded = withoutPadding(K, Q, allowed!);
      if (allFinite(unpadded.K) && allFinite(unpadded.Q)) s = additiveScoresOf(additive, unpadded.K, unpadded.Q, pending);
    }
    if (s === undefined && !masked && factorable) {
      s = additive
        ? additiveScoresOf(additive, K, Q, pending, memo) // wᵀtanh(W₁k + W₂q): the pairs in one fused node (additiveForm.ts)
        : factoredScores(factorable, K, Q, context, memo); // key-only and query-only nodes run once per key or query
    } else if (s === undefined) {
      let input = ops.broadcastTo(ops.reshape(K, [...lead, 1, N, k]), [...lead, M, N, k]);
      let query = ops.broadcastTo(ops.reshape(Q, [...lead, M, 1, q]), [...lead, M, N, q]);
      if (masked) {
        const keep = ops.reshape(allowed, [...lead, M, N, 1]);
        input = ops.keepWhere(input, keep);
        query = ops.keepWhere(query, keep);
      }
      s = this.scoringNet instanceof Layer // a net scores within this call (its sizes fixed with the call's)
        ? single(this.scoringNet.forward({ input: { x: input }, query: { x: query } }, context))
        : this.scoringNet.apply({ input, query }, {});
    }
    if (!(s instanceof Tensor) || s.size !== sizeOf(lead) * M * N) {
      const got = s instanceof Tensor ? formatShape(s.shape) : typeof s;
      throw this.error(`the scoring net must return one scalar per (key, query) pair, shape ${formatShape([...lead, M, N])} or with a trailing 1, got ${got}`);
    }
    return ops.reshape(s, [...lead, M, N]);
  }

  /** Checks one example's port shapes (tensors, or shapes of batch rows) and returns its geometry. */
  private checkExample(key: Shaped, value: Shaped, query: Shaped, which: string, pending: Pending): ExampleGeometry {
    const where = `${this.label}${which}`;
    const headAxes = this.multiHead ? 1 : 0;
    if (key.rank < 2 + headAxes) {
      throw this.error(`${this.roles.key}${which} must be an array of vectors${this.multiHead ? " per head [d…, h, k]" : " [d1…dn, k]"} (rank ≥ ${2 + headAxes}), got shape ${formatShape(key.shape)}`);
    }
    const ranks = this.portRanks();
    for (const [role, t] of [["key", key], ["query", query]] as const) {
      const r = ranks[role];
      if (r !== undefined && t.rank !== r) throw this.error(`${this.roles[role]}${which} must have rank ${r}, got shape ${formatShape(t.shape)}`);
    }
    if (query.rank < 1 + headAxes) throw this.error(`${this.roles.query}${which} must have rank ≥ ${1 + headAxes}, got shape ${formatShape(query.shape)}`);
    const keyPositions = key.shape.slice(0, -1), valuePositions = value.shape.slice(0, -1);
    if (value.rank !== key.rank || keyPositions.some((d, i) => d !== valuePositions[i])) {
      throw this.error(`${this.roles.key} and ${this.roles.value}${which} must have the same positions: ${this.roles.key} ${formatShape(key.shape)}, ${this.roles.value} ${formatShape(value.shape)}`);
    }
    const sizes = this.sizesIn(pending);
    const fixed = {
      ...this.ports.key.check(key.shape, sizes, where, this.roles.key),
      ...this.ports.value.check(value.shape, sizes, where, this.roles.value),
      ...this.ports.query.check(query.shape, sizes, where, this.roles.query),
    };
    const h = this.multiHead ? key.shape[key.rank - 2] : 1;
    if (this.multiHead && query.shape[query.rank - 2] !== h) {
      throw this.error(`with multiHead, query${which} ${formatShape(query.shape)} must have ${h} heads on its second-to-last axis like key ${formatShape(key.shape)}`);
    }
    const keyPos = key.shape.slice(0, key.rank - 1 - headAxes);
    const queryPositions = query.shape.slice(0, query.rank - 1 - headAxes);
    const g: ExampleGeometry = {
      h, N: sizeOf(keyPos), M: sizeOf(queryPositions), k: key.shape[key.rank - 1], v: value.shape[value.rank - 1],
      q: query.shape[query.rank - 1], keyPositions: keyPos, queryPositions,
    };
    if (g.k === 0 || g.q === 0) throw this.error(`${this.roles.key} and query vectors${which} must have size ≥ 1, got ${this.roles.key} ${formatShape(key.shape)} and query ${formatShape(query.shape)}`);
    if (this.scoring === "Dot" && g.k !== g.q) {
      throw this.error(`"Dot" scoring needs equal key and query sizes, got ${this.roles.key} size ${g.k} (${this.roles.key} ${formatShape(key.shape)}) and query size ${g.q} (query ${formatShape(query.shape)})`);
    }
    if (this.mask !== "none") {
      if (keyPos.length !== 1 || queryPositions.length !== 1 || g.N !== g.M) {
        throw this.error(`a causal mask needs ${this.roles.key} and query sequences of equal length, got ${this.roles.key} ${formatShape(key.shape)} and query ${formatShape(query.shape)}`);
      }
    }
    pending.stage(this, { sizes: { ...sizes, ...fixed } });
    return g;
  }

  private maskSpec(): MaskSpec {
    if (this.mask === "none") return { causal: false };
    return this.mask === "causal" ? { causal: "topLeft" } : { causal: "topLeft", window: this.mask.causal };
  }

  /**
   * The score multiplier: 1 ("none"), 1/√k ("dimensionSqrt"), or per query row 1/√(number of keys that
   * row can see) ("lengthSqrt": √N without a mask, √i for row i under a causal mask), as an [M, 1] column.
   */
  private rowRescaling(M: number, N: number, mask: MaskSpec, k: number): number | Tensor {
    if (this.scoreRescaling === "dimensionSqrt") return 1 / Math.sqrt(k);
    if (this.scoreRescaling === "none") return 1;
    if (!mask.causal) return N === 0 ? 1 : 1 / Math.sqrt(N);
    const col = new Float32Array(M);
    for (let i = 0; i < M; i++) col[i] = 1 / Math.sqrt(Math.max(1, visibleKeyCount(mask, M, N, 0, 0, i)));
    return new Tensor(col, [M, 1]);
  }
}

/** What checkExample reads of a port: its shape. */
type Shaped = Pick<Tensor, "shape" | "rank">;

interface ExampleGeometry {
  h: number; N: number; M: number; k: number; v: number; q: number;
  keyPositions: number[]; queryPositions: number[];
}

/** B examples [B, d…, k] → [B, 1, N, k], or with heads [B, d…, h, k] → [B, h, N, k]. */
function toHeadsFirst(x: Tensor, B: number, h: number, n: number, size: number, multiHead: boolean): Tensor {
  if (!multiHead) return ops.reshape(x, [B, 1, n, size]);
  return ops.transpose(ops.reshape(x, [B, n, h, size]), [0, 2, 1, 3]);
}

/** [B, h, M, v] → [...batch, q…, v] or [...batch, q…, h, v] (batch = [B], or [] for one example). */
function fromHeadsFirst(x: Tensor, batch: number[], positions: number[], multiHead: boolean): Tensor {
  const [, h, , v] = x.shape;
  if (!multiHead) return ops.reshape(x, [...batch, ...positions, v]);
  return ops.reshape(ops.transpose(x, [0, 2, 1, 3]), [...batch, ...positions, h, v]);
}

/** [B, h, M, N] → [B, q…, d…] or [B, q…, h, d…]. */
function weightsShape(w: Tensor, queryPositions: readonly number[], keyPositions: readonly number[], multiHead: boolean): Tensor {
  const [B, h] = w.shape;
  if (!multiHead) return ops.reshape(w, [B, ...queryPositions, ...keyPositions]);
  return ops.reshape(ops.transpose(w, [0, 2, 1, 3]), [B, ...queryPositions, h, ...keyPositions]);
}

/** Keys [1, h, N, N] that are the identity in every head, so that S·Iᵀ = S. */
function identityKeys(B: number, h: number, N: number): Tensor {
  const data = new Float32Array(B * h * N * N);
  for (let head = 0; head < B * h; head++) for (let j = 0; j < N; j++) data[(head * N + j) * N + j] = 1;
  return new Tensor(data, [B, h, N, N]);
}

function checkMask(mask: AttentionMask, where: string): AttentionMask {
  if (mask === "none" || mask === "causal") return mask;
  if (isRecord(mask) && Object.keys(mask).length === 1 && Number.isInteger(mask.causal) && mask.causal >= 1) return { causal: mask.causal };
  const got = isRecord(mask) ? `{ ${Object.entries(mask).map(([k, v]) => `${k}: ${describe(v)}`).join(", ")} }` : describe(mask);
  throw new Error(`${where}: mask must be "none", "causal" or { causal: w } with a positive integer w, got ${got}`);
}

/** Wolfram's AttentionLayer: ports key, value, query → output; scoring by "Dot", "Bilinear" (learned weights [q, k]) or a scoring net. */
export class AttentionLayer extends AttentionBase<AttentionExample> {
  constructor(scoring?: Scoring, options?: AttentionLayerOptions) {
    super("attentionLayer", scoring, options);
  }
  readonly inputNames = ["key", "value", "query"] as const;
  readonly roles = { key: "key", value: "value", query: "query" };
}

/**
 * Wolfram AttentionLayer[scoring, opts]: keys [n, k], values [n, v], queries [m, q] → [m, v]; scoring "Bilinear" (default), "Dot" or a net.
 * @example attentionLayer("Dot", { mask: "causal" }).apply({ key, value, query })
 */
export function attentionLayer(scoring?: Scoring, options?: AttentionLayerOptions): AttentionLayer {
  return new AttentionLayer(scoring, options);
}

/** A net's only output (several: the record, which the caller refuses). */
function single(outputs: Record<string, NetValue>): Tensor | Record<string, Tensor> {
  const names = Object.keys(outputs);
  return names.length === 1 ? outputs[names[0]].x : Object.fromEntries(names.map((n) => [n, outputs[n].x]));
}

import { defineLayerKind } from "../layerKind.js";
import { scoringFromConfig } from "./scoring.js";

/** The attentionLayer kind: config args [scoring ("Dot", "Bilinear" or { net: config }), options]. */
export const attentionLayerKind = defineLayerKind({ kind: "attentionLayer", positional: ["scoring"], fromConfig: ([s, o], rebuild) => new AttentionLayer(scoringFromConfig(s, rebuild), o) });

/** True when every element of t is finite (no NaN, no ±Infinity). */
/** K [.., N, k] and Q [.., M, q] with the keys no query may see and the queries that may see no key (allowed [.., M, N]) zeroed. */
function withoutPadding(K: Tensor, Q: Tensor, allowed: Tensor): { K: Tensor; Q: Tensor } {
  const [M, N] = allowed.shape.slice(-2), L = allowed.size / (M * N), a = allowed.data;
  const keySeen = new Float32Array(L * N), querySees = new Float32Array(L * M);
  for (let l = 0; l < L; l++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    if (a[(l * M + m) * N + n] !== 0) keySeen[l * N + n] = querySees[l * M + m] = 1;
  }
  const lead = allowed.shape.slice(0, -2);
  return { K: ops.keepWhere(K, new Tensor(keySeen, [...lead, N, 1])), Q: ops.keepWhere(Q, new Tensor(querySees, [...lead, M, 1])) };
}

function allFinite(t: Tensor): boolean {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  return true;
}
