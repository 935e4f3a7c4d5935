// Scoring nets f(k, q) → scalar for AttentionLayer / SequenceAttentionLayer. A scoring net has input
// ports `input` (a key vector [..., k]) and `query` (a query vector [..., q]) and maps over any leading
// axes, returning the scores [...] (or [..., 1]). "Dot" and "Bilinear" also expose a dot-product form
// so the layer can run them through the fused attention kernel; a custom net is evaluated pairwise.
import * as ops from "../../tensor/ops/index.js";
import { Tensor } from "../../tensor/tensor.js";
import { formatShape } from "../../tensor/shape.js";
import { describe, isRecord } from "../../util/validate.js";
import { initialize } from "../initializers.js";
import { Layer, type LayerConfig, type Pending, type WeightSpec } from "../layer.js";

/** A custom scoring net for attentionLayer: ports input (a key vector) and query, one score per pair, mapped over leading axes. */
export interface ScoringNet {
  readonly inputNames: readonly string[];
  readonly parameters: Record<string, Tensor>;
  readonly isInitialized: boolean;
  /** sizes by port: { inputSize: k, querySize: q } */
  initialize(options: { seed?: number; inputSize?: number; querySize?: number }): void;
  /** the scores [...] or [..., 1] (a net with several outputs is an error when the layer runs) */
  apply(ports: { input: Tensor; query: Tensor }, options?: { training?: boolean }): Tensor | Record<string, Tensor>;
  /** s = q·(P k) with P = keyProjection (identity when null): lets the layer use the attention kernel (`pending`: as a call sees it) */
  dotProductForm?(pending?: Pending): { keyProjection: Tensor | null };
  parameterFactors?(name: string): { learnRate: number; l2: number };
}

/** The built-in scoring nets report errors as the attention layer that owns them. */
abstract class BuiltInScoring extends Layer {
  constructor(private readonly owner?: () => string) {
    super();
  }
  override get label(): string {
    return this.owner?.() ?? super.label;
  }
}

/** "Dot": s = k·q (needs k = q). */
export class DotScoring extends BuiltInScoring implements ScoringNet {
  readonly kind = "DotScoring";
  protected override readonly sizeNames = ["inputSize", "querySize"];
  readonly inputNames = ["input", "query"] as const;
  readonly outputNames = ["output"] as const;
  protected override setSizes(sizes: Record<string, number>): void {
    if (sizes.inputSize !== undefined && sizes.querySize !== undefined && sizes.inputSize !== sizes.querySize) {
      throw this.error(`"Dot" scoring needs equal key and query sizes, got key size ${sizes.inputSize} and query size ${sizes.querySize}`);
    }
  }
  override apply(ports: { input: Tensor; query: Tensor }): Tensor {
    const { input, query } = ports;
    if (input.shape.at(-1) !== query.shape.at(-1)) {
      throw this.error(`"Dot" scoring needs equal sizes: input ${formatShape(input.shape)}, query ${formatShape(query.shape)}`);
    }
    return ops.sum(ops.mul(input, query), -1);
  }
  dotProductForm() { return { keyProjection: null }; }
}

/** "Bilinear": s = q·(W k), W [querySize, keySize], no bias. */
export class BilinearScoring extends BuiltInScoring implements ScoringNet {
  readonly kind = "BilinearScoring";
  protected override readonly sizeNames = ["inputSize", "querySize"];
  readonly inputNames = ["input", "query"] as const;
  readonly outputNames = ["output"] as const;
  protected override weights(): WeightSpec[] {
    return [{ name: "weights", shape: ["querySize", "inputSize"], initializer: (shape, random) => initialize("glorot", shape, { numIn: shape[1], numOut: shape[0] }, random, this.label) }];
  }
  protected override setSizes(sizes: Record<string, number>, pending: Pending): void {
    for (const [name, what] of [["inputSize", "key size"], ["querySize", "query size"]] as const) {
      const got = sizes[name];
      if (got !== undefined) this.fixSize(pending, name, got, (had) => `${what} is ${had} (from the weights [querySize, keySize]) but data has ${got}`);
    }
  }
  override apply(ports: { input: Tensor; query: Tensor }): Tensor {
    this.initialize({ inputSize: ports.input.shape.at(-1), querySize: ports.query.shape.at(-1) });
    const wk = ops.linear(ports.input, this.parameter("weights")); // [..., q] = (W k)ᵀ
    return ops.sum(ops.mul(wk, ports.query), -1);
  }
  dotProductForm(pending?: Pending) { return { keyProjection: this.parameter("weights", pending) }; }
}

/** How attention scores a (key, query) pair: "Dot" (k·q), "Bilinear" (q·W·k with learned W) or a scoring net. */
export type Scoring = "Dot" | "Bilinear" | ScoringNet;

/** The scoring net of a layer; `owner` gives the layer's label for messages. */
export function scoringNetFor(scoring: Scoring, where: string, owner?: () => string): ScoringNet {
  if (scoring === "Dot") return new DotScoring(owner);
  if (scoring === "Bilinear") return new BilinearScoring(owner);
  if (scoring && typeof scoring === "object" && typeof (scoring as ScoringNet).apply === "function") {
    const names = (scoring as ScoringNet).inputNames ?? [];
    if (!names.includes("input") || !names.includes("query")) {
      throw new Error(`${where}: a scoring net needs input ports "input" and "query", got ${JSON.stringify(names)}`);
    }
    return scoring as ScoringNet;
  }
  throw new Error(`${where}: scoring must be "Dot", "Bilinear" or a net with ports input and query, got ${describe(scoring)}`);
}

/** A scoring argument from a config: a scoring net's config ({ net: config }) is rebuilt; "Dot" and "Bilinear" pass. */
export function scoringFromConfig(scoring: unknown, rebuild: (config: LayerConfig) => Layer): Scoring {
  return (isRecord(scoring) && Object.hasOwn(scoring, "net") ? rebuild(scoring.net as LayerConfig) : scoring) as Scoring;
}
