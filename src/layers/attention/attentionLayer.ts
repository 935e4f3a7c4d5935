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
import { Layer, type ForwardContext, type LayerConfig, type NetValue } from "../layer.js";
import { batchRow, padSequences, validSteps } from "../sequenceBatch.js";
import { layerName, makeReadOnly } from "../validate.js";
import { scoringNetFor, type Scoring, type ScoringNet } from "./scoring.js";
import { PortShape, type ShapeSpec } from "./shapeSpec.js";

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
  /** the key, value and query of one example (validated to exist) */
  protected abstract examplePorts(example: Example, which: string): { key: TensorLike; value: TensorLike; query: TensorLike };
  protected readonly parameterNames: readonly string[] = [];
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
    makeReadOnly(this, ["scoringNet", "scoring", "mask", "scoreRescaling", "dropout", "multiHead"]);
  }

  /** The scoring net's parameters, prefixed "scoringNet/" for custom nets; "weights" for Bilinear. */
  override get parameters(): Record<string, Tensor> {
    const inner = this.scoringNet.parameters;
    if (this.scoring !== "custom") return { ...inner };
    return Object.fromEntries(Object.entries(inner).map(([n, t]) => [`scoringNet/${n}`, t]));
  }

  /** The learnables' shapes under the names `parameters` gives them (a custom scoring net's, prefixed "scoringNet/"). */
  override get learnableShapes(): Record<string, number[] | undefined> {
    if (this.scoring !== "custom") return super.learnableShapes;
    const net = this.scoringNet as ScoringNet & { learnableShapes?: Record<string, number[] | undefined> };
    const shapes = net.learnableShapes ?? Object.fromEntries(Object.entries(net.parameters).map(([n, t]) => [n, t.shape.slice()]));
    return Object.fromEntries(Object.entries(shapes).map(([n, shape]) => [`scoringNet/${n}`, shape]));
  }

  override setParameter(name: string, value: Tensor | NestedArray | Float32Array): void {
    const inner = this.scoring === "custom" ? name.replace(/^scoringNet\//, "") : name;
    const [k, q] = [this.ports.key.vectorSize, this.ports.query.vectorSize];
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

  override get isInitialized(): boolean {
    return this.scoringNet.isInitialized;
  }

  override initialize(options: { seed?: number; keySize?: number; valueSize?: number; querySize?: number } = {}): this {
    const where = `${this.label}.initialize`;
    checkOptionNames(options, ["seed", "keySize", "valueSize", "querySize"], where);
    return this.unchangedOnError(() => this.initializeSizes(options, { keySize: "keySize", querySize: "querySize" }));
  }

  /** Validated initialize; `names` are the size options as the caller spells them (for messages). */
  protected initializeSizes(options: { seed?: number; keySize?: number; valueSize?: number; querySize?: number }, names: { keySize: string; querySize: string }): this {
    const where = `${this.label}.initialize`;
    if (options.seed !== undefined) checkSeed(options.seed, where);
    for (const n of ["keySize", "valueSize", "querySize"] as const) {
      if (options[n] !== undefined) checkInteger(options[n], where, n === "keySize" ? names.keySize : n === "querySize" ? names.querySize : n);
    }
    const sizes = { keySize: options.keySize ?? this.ports.key.vectorSize, querySize: options.querySize ?? this.ports.query.vectorSize };
    if (this.scoring === "Bilinear" && !this.scoringNet.isInitialized && (sizes.keySize === undefined || sizes.querySize === undefined)) {
      throw this.error(`cannot initialize "weights" [querySize, ${this.roles.key}Size] before its sizes are known; pass { ${names.keySize}, ${names.querySize} } to initialize() or apply the layer to data`);
    }
    if (options.keySize !== undefined) this.ports.key.vectorSize = options.keySize;
    if (options.valueSize !== undefined) this.ports.value.vectorSize = options.valueSize;
    if (options.querySize !== undefined) this.ports.query.vectorSize = options.querySize;
    this.scoringNet.initialize({ seed: options.seed, inputSize: sizes.keySize, querySize: sizes.querySize });
    return this;
  }

  override parameterFactors(name: string) {
    return this.scoringNet.parameterFactors?.(name.replace(/^scoringNet\//, "")) ?? { learnRate: 1, l2: 1 };
  }

  protected parameterShape(): number[] | undefined { return undefined; }
  protected initialValue(): Tensor { throw this.error("parameters live in the scoring net"); }
  protected setSizes(): void {}

  /** One example, or a list of examples with their own lengths (→ a list of results, each as if applied alone). */
  apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options: ApplyOptions & { returnWeights: true }): { output: Mirror<T>; weights: Mirror<T> }[];
  apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options?: ApplyOptions & { returnWeights?: false }): Mirror<T>[];
  apply<T extends TensorLike>(examples: readonly (Example & Record<string, T>)[], options?: ApplyOptions): AttentionResult<Mirror<T>>[];
  apply<T extends TensorLike>(example: Example & Record<string, T>, options: ApplyOptions & { returnWeights: true }): { output: Mirror<T>; weights: Mirror<T> };
  apply<T extends TensorLike>(example: Example & Record<string, T>, options?: ApplyOptions & { returnWeights?: false }): Mirror<T>;
  apply<T extends TensorLike>(example: Example & Record<string, T>, options?: ApplyOptions): AttentionResult<Mirror<T>>;
  apply(input: Example | readonly Example[], options: ApplyOptions = {}): AttentionResult<TensorLike> | AttentionResult<TensorLike>[] {
    const where = `${this.label}.apply`;
    checkApplyOptions(options, where, ["returnWeights"]);
    return this.unchangedOnError(() => {
      if (isExampleList(input)) return input.map((ex, i) => this.applyOne(ex, options, ` (example ${i + 1})`));
      return this.applyOne(input, options, "");
    });
  }

  protected override saveSizes(): () => void {
    const restores = [this.ports.key.snapshot(), this.ports.value.snapshot(), this.ports.query.snapshot()];
    if (this.scoringNet instanceof Layer) restores.push(this.scoringNet.snapshot());
    return () => restores.forEach((restore) => restore());
  }

  private applyOne(example: Example, options: ApplyOptions, which: string): AttentionResult<TensorLike> {
    if (!isRecord(example)) {
      throw this.error(`expected an example { ${this.inputNames.join(", ")} }${which}, got ${describe(example)}`);
    }
    const missing = this.inputNames.filter((port) => !Object.hasOwn(example, port));
    for (const port of Object.keys(example)) { // a misspelt port first: it names what was typed
      if (!this.inputNames.includes(port)) {
        const meant = missing.length > 0 ? ` (did you mean "${missing[0]}"?)` : "";
        throw this.error(`the example${which} has an unknown port ${describe(port)}${meant}; ports: ${this.inputNames.join(", ")}`);
      }
    }
    if (missing.length > 0) throw this.error(`the example${which} has no "${missing[0]}" port (ports: ${this.inputNames.join(", ")})`);
    const ports = this.examplePorts(example, which);
    const key = asTensor(ports.key, `${this.label}: ${this.roles.key}`);
    const value = ports.value === ports.key ? key : asTensor(ports.value, `${this.label}: ${this.roles.value}`);
    const query = asTensor(ports.query, `${this.label}: ${this.roles.query}`);
    const { output, weights } = this.attendExample(key, value, query, options, which);
    const tensorIn = [ports.key, ports.value, ports.query].some((x) => x instanceof Tensor);
    const mirror = (t: Tensor) => (tensorIn ? t : t.toArray());
    return options.returnWeights ? { output: mirror(output), weights: mirror(weights!) } : mirror(output);
  }

  /** The whole computation on tensors; used by apply and by nets. */
  attendExample(key: Tensor, value: Tensor, query: Tensor, options: ApplyOptions = {}, which = ""): { output: Tensor; weights?: Tensor } {
    const g = this.checkExample(key, value, query, which);
    this.ensureInitialized();
    const K = toHeadsFirst(key, 1, g.h, g.N, g.k, this.multiHead);    // [1, h, N, k]
    const V = toHeadsFirst(value, 1, g.h, g.N, g.v, this.multiHead);  // [1, h, N, v]
    const Q = toHeadsFirst(query, 1, g.h, g.M, g.q, this.multiHead);  // [1, h, M, q]
    const maskSpec = this.maskSpec();
    const rowFactor = this.rowRescaling(g.M, g.N, maskSpec, g.k);  // [M, 1] constant, or a number
    const dropoutRate = options.training ? this.dropout : 0;
    const seed = options.seed ?? this.dropoutSeeds.seed();
    const form = this.scoringNet.dotProductForm?.();
    const returnWeights = options.returnWeights === true;
    const r = form
      ? this.attendDotProduct(form, K, V, Q, rowFactor, maskSpec, dropoutRate, seed, returnWeights)
      : this.attendCustom(K, V, Q, rowFactor, maskSpec, undefined, dropoutRate, seed, returnWeights);
    const out = ops.reshape(r.output, [g.h, g.M, g.v]);
    const weights = r.weights && ops.reshape(r.weights, [g.h, g.M, g.N]);
    return {
      output: fromHeadsFirst(ops.reshape(out, [1, g.h, g.M, g.v]), [], g.queryPositions, this.multiHead),
      weights: weights && weightsShape(weights, g, this.multiHead),
    };
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
   * A custom scoring net on [B, h, ·, ·] tensors: the net scores every (key, query) pair; pairs the mask (or
   * a row's key and query lengths) hides see zero vectors and their scores are zeroed, so a NaN there reaches
   * nothing. The kernel then runs on the scores as queries against identity keys (S·Iᵀ = S), which skips
   * hidden keys and their values exactly as the Dot path does (no 0·NaN).
   */
  private attendCustom(
    K: Tensor, V: Tensor, Q: Tensor, rowFactor: number | Tensor, mask: MaskSpec, queryCounts: readonly number[] | undefined,
    dropoutRate: number, seed: number, returnWeights: boolean,
  ): { output: Tensor; weights?: Tensor } {
    const [B, h, N] = K.shape, M = Q.shape[2];
    const hides = mask.causal || mask.window !== undefined || mask.keyLengths || queryCounts?.some((n) => n < M);
    const allowed = hides ? visibilityMatrix(mask, B, h, M, N, queryCounts) : undefined; // [B, h, M, N]
    const lead = B === 1 ? [h] : [B, h]; // one example keeps the [h, M, N] shapes its scoring net has always seen
    const scores = this.pairwiseScores(ops.reshape(K, [...lead, N, K.shape[3]]), ops.reshape(Q, [...lead, M, Q.shape[3]]), allowed && ops.reshape(allowed, [...lead, M, N]));
    const rescaled = ops.mul(ops.reshape(scores, [B, h, M, N]), rowFactor);
    const finite = allowed ? ops.keepWhere(rescaled, allowed) : rescaled;
    return attend(
      finite, identityKeys(B, h, N), V,
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
  override inferSizes(inputs: Record<string, number>): Record<string, number> {
    const [k, v, q] = [inputs[this.roles.key], inputs[this.roles.value], inputs[this.roles.query]];
    this.initializeSizes({ keySize: k, valueSize: v, querySize: q }, { keySize: `${this.roles.key}Size`, querySize: "querySize" });
    if (this.ports.value.vectorSize !== undefined && this.ports.value.vectorSize !== v) {
      throw this.error(`input "${this.roles.value}" has ${v} channels but the layer expects ${this.ports.value.vectorSize}`);
    }
    return { output: v };
  }

  /**
   * Net use: every batch row is an example of its own length (validated as such). The whole padded batch
   * runs in one kernel call (a custom scoring net scores the pairs of all rows in one call too), padded keys
   * blocked by per-row key lengths; each row's result is the one it gets alone (padded query positions are
   * zeroed).
   */
  override forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue> {
    const key = inputs[this.roles.key], value = inputs[this.roles.value], query = inputs[this.roles.query];
    return { output: this.forwardBatched(key, value, query, context) ?? this.forwardRows(key, value, query, context) };
  }

  private forwardRows(key: NetValue, value: NetValue, query: NetValue, context: ForwardContext): NetValue {
    const B = query.x.shape[0];
    if (key.x.shape[0] !== B || value.x.shape[0] !== B) {
      throw this.error(`inputs must have the same batch size: ${this.roles.key} ${formatShape(key.x.shape)}, ${this.roles.value} ${formatShape(value.x.shape)}, query ${formatShape(query.x.shape)} (a net reads a record as one example when every port has one example's rank, [N, k] or its declared shape, else as a batch; pass [record] for one example)`);
    }
    const outputs: Tensor[] = [];
    for (let b = 0; b < B; b++) {
      const r = this.attendExample(batchRow(key.x, b, key.lengths), batchRow(value.x, b, value.lengths), batchRow(query.x, b, query.lengths),
        { training: context.training, seed: context.random.seed() }, ` (batch row ${b + 1})`);
      outputs.push(r.output);
    }
    if (!query.lengths) return { x: ops.stack(outputs, 0) };
    return padSequences(outputs);
  }

  /** The whole batch at once, or null where that would not give each row its own result. */
  private forwardBatched(key: NetValue, value: NetValue, query: NetValue, context: ForwardContext): NetValue | null {
    const form = this.scoringNet.dotProductForm?.();
    const B = query.x.shape[0];
    // forwardRows reports mismatched batches; keys and values must share their padded positions
    if (key.x.shape[0] !== B || !sameShape(key.x.shape.slice(0, -1), value.x.shape.slice(0, -1))) return null;
    const rowShape = (v: NetValue, b: number) => ({ shape: [v.lengths ? v.lengths[b] : v.x.shape[1], ...v.x.shape.slice(2)], rank: v.x.rank - 1 });
    let g: ExampleGeometry | undefined;
    const keyCounts: number[] = [], queryCounts: number[] = []; // per row, over all position axes flattened
    for (let b = 0; b < B; b++) {
      g = this.checkExample(rowShape(key, b), rowShape(value, b), rowShape(query, b), ` (batch row ${b + 1})`);
      keyCounts.push(g.N);
      queryCounts.push(g.M);
    }
    if (g === undefined) return null;
    this.ensureInitialized();
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
    const dropoutRate = context.training ? this.dropout : 0, seed = context.random.seed();
    const r = form
      ? this.attendDotProduct(form, K, V, Q, rowFactor, maskSpec, dropoutRate, seed, false)
      : this.attendCustom(K, V, Q, rowFactor, maskSpec, queryCounts, dropoutRate, seed, false);
    const output = fromHeadsFirst(r.output, [B], queryPositions, this.multiHead); // [B, q…, (h,) v]
    if (!query.lengths || query.lengths.every((len) => len === query.x.shape[1])) return { x: output, lengths: query.lengths };
    // zero the padded query positions, as padding the rows' own results would (selection: a NaN there gives 0)
    return { x: ops.keepWhere(output, validSteps(query.lengths, query.x.shape[1], output.rank - 2)), lengths: query.lengths };
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
    return { key: this.ports.key.describe(), value: this.ports.value.describe(), query: this.ports.query.describe() };
  }

  /** Exact ranks a subclass requires of its ports (sequenceAttentionLayer: [n, d1] and [m, d2]). */
  protected portRanks(): { key?: number; query?: number } {
    return {};
  }

  /** Evaluates the custom scoring net on every (key, query) pair: K [..., N, k] and Q [..., M, q] give [..., M, N]. */
  private pairwiseScores(K: Tensor, Q: Tensor, allowed?: Tensor): Tensor {
    const lead = K.shape.slice(0, -2), [N, k] = K.shape.slice(-2), [M, q] = Q.shape.slice(-2);
    let input = ops.broadcastTo(ops.reshape(K, [...lead, 1, N, k]), [...lead, M, N, k]);
    let query = ops.broadcastTo(ops.reshape(Q, [...lead, M, 1, q]), [...lead, M, N, q]);
    if (allowed) {
      const keep = ops.reshape(allowed, [...lead, M, N, 1]);
      input = ops.keepWhere(input, keep);
      query = ops.keepWhere(query, keep);
    }
    const s = this.scoringNet.apply({ input, query }, {});
    if (!(s instanceof Tensor) || s.size !== sizeOf(lead) * M * N) {
      const got = s instanceof Tensor ? formatShape(s.shape) : typeof s;
      throw this.error(`the scoring net must return one scalar per (key, query) pair, shape ${formatShape([...lead, M, N])} or with a trailing 1, got ${got}`);
    }
    return ops.reshape(s, [...lead, M, N]);
  }

  /** Checks one example's port shapes (tensors, or shapes of batch rows) and returns its geometry. */
  private checkExample(key: Shaped, value: Shaped, query: Shaped, which: string): ExampleGeometry {
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
    this.ports.key.check(key.shape, where, this.roles.key);
    this.ports.value.check(value.shape, where, this.roles.value);
    this.ports.query.check(query.shape, where, this.roles.query);
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

/** [h, M, N] → [q…, d…] or [q…, h, d…]. */
function weightsShape(w: Tensor, g: ExampleGeometry, multiHead: boolean): Tensor {
  if (!multiHead) return ops.reshape(w, [...g.queryPositions, ...g.keyPositions]);
  return ops.reshape(ops.transpose(w, [1, 0, 2]), [...g.queryPositions, g.h, ...g.keyPositions]);
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
  protected examplePorts(example: AttentionExample) {
    return example;
  }
}

/**
 * Wolfram AttentionLayer[scoring, opts]: keys [n, k], values [n, v], queries [m, q] → [m, v]; scoring "Bilinear" (default), "Dot" or a net.
 * @example attentionLayer("Dot", { mask: "causal" }).apply({ key, value, query })
 */
export function attentionLayer(scoring?: Scoring, options?: AttentionLayerOptions): AttentionLayer {
  return new AttentionLayer(scoring, options);
}

function isExampleList<E extends object>(input: E | readonly E[]): input is readonly E[] {
  return Array.isArray(input);
}

import { defineLayerKind } from "../layerKind.js";
import { scoringFromConfig } from "./scoring.js";

/** The attentionLayer kind: config args [scoring ("Dot", "Bilinear" or { net: config }), options]. */
export const attentionLayerKind = defineLayerKind({ kind: "attentionLayer", positional: ["scoring"], fromConfig: ([s, o], rebuild) => new AttentionLayer(scoringFromConfig(s, rebuild), o) });
