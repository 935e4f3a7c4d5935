// Learned lookup tables.
// embeddingLayer(dimension, numWords): integer indices (0-based) [.., T] or [.., T, 1] → [.., T, dimension],
//   y[t] = weights[index_t]; weights [numWords, dimension].
// positionEmbeddingLayer(outputSize, maxPosition): any [.., T, C] → [.., T, outputSize], y[t] = weights[t]
//   (the position, not the value, selects the row; add it to the input with additionLayer). weights [maxPosition, outputSize].
import { checkOptionNames } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { RowPositions, type DecodeState } from "../decode/state.js";
import { initialize } from "./initializers.js";
import type { ForwardContext, LayerConfig, NetValue, Pending, WeightSpec } from "./layer.js";
import { SimpleLayer } from "./simpleLayer.js";
import { checkPositiveInteger, layerName } from "./validate.js";

abstract class TableLayer extends SimpleLayer {
  readonly kind: string;
  protected override readonly sizeNames: readonly string[] = [];
  /** `kind` names the layer in messages (it must be known before the subclass's fields are) */
  constructor(kind: string, readonly rows: number, readonly width: number, options: { name?: string }, rowsName: string, widthName: string) {
    super();
    this.kind = kind;
    checkOptionNames(options, ["name"], kind);
    this.name = layerName(options, this.kind);
    checkPositiveInteger(rows, rowsName, this);
    checkPositiveInteger(width, widthName, this);
  }
  protected override weights(): WeightSpec[] {
    return [{
      name: "weights", shape: [this.rows, this.width],
      initializer: (shape, random) => initialize("narrow-normal", shape, { numIn: shape[0], numOut: shape[1] }, random, `${this.label}: weights`),
    }];
  }
  /** every row of the table is one output vector, whatever the input's channel count */
  protected channelsOut(): number {
    return this.width;
  }
}

/** A lookup table: 0-based indices [.., T] → rows of weights [numWords, dimension], so [.., T, dimension]. */
export class EmbeddingLayer extends TableLayer {
  protected override readonly positionWise = true;
  constructor(readonly dimension: number, readonly numWords: number, options: { name?: string } = {}) {
    super("embeddingLayer", numWords, dimension, options, "numWords", "dimension");
  }
  /** Its input holds token ids. */
  override isIdInput(port: string): boolean {
    return port === "in";
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, { pending }: { pending: Pending }): NetValue {
    const positions = x.shape[x.rank - 1] === 1 && x.rank > 1 ? x.shape.slice(0, -1) : [...x.shape];
    const indices = Array.from(x.data, (v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= this.numWords) {
        if (lengths && isPadding(i, positions, lengths)) return 0; // padded steps may hold anything
        throw this.error(`input "in" holds ${v} at position ${i}; indices must be integers in [0, ${this.numWords})`);
      }
      return v;
    });
    return { x: ops.gather(this.parameter("weights", pending), indices, positions), lengths };
  }
  override config(): LayerConfig {
    return { kind: this.kind, args: [this.dimension, this.numWords, { name: this.name }] };
  }
}

function isPadding(flat: number, positions: readonly number[], lengths: readonly number[]): boolean {
  if (positions.length < 2) return false;
  const T = positions[positions.length - 1];
  return flat % T >= lengths[Math.floor(flat / T)];
}

/** Learned position embeddings: x [.., T, C] → weights rows 0 … T − 1 [T, outputSize], broadcast over the batch. */
export class PositionEmbeddingLayer extends TableLayer {
  constructor(readonly outputSize: number, readonly maxPosition: number, options: { name?: string } = {}) {
    super("positionEmbeddingLayer", maxPosition, outputSize, options, "maxPosition", "outputSize");
  }
  protected compute(x: Tensor, lengths: readonly number[] | undefined, { pending }: { pending: Pending }): NetValue {
    if (x.rank < 2) throw this.error(`input "in" must be [T, C] or [B, T, C], got ${formatShape(x.shape)}`);
    const T = x.shape[x.rank - 2];
    if (T > this.maxPosition) throw this.error(`input "in" has ${T} time steps but maxPosition is ${this.maxPosition}`);
    const table = ops.slice(this.parameter("weights", pending), 0, 0, T); // [T, outputSize]
    return { x: ops.broadcastTo(table, [...x.shape.slice(0, -1), this.outputSize]), lengths };
  }

  /** Decoding keeps each row's running position. */
  override startState(batch: number): RowPositions {
    return RowPositions.zeros(batch);
  }

  /** New positions x [B, Tnew, C] (row b's first lengths[b]) at running position p_b → rows p_b, p_b + 1, … of the table (zeros at padding). */
  override step(inputs: Record<string, NetValue>, state: DecodeState | undefined, context: ForwardContext): Record<string, NetValue> {
    const { x, lengths } = inputs.in;
    const [B, T] = x.shape, width = this.outputSize, positions = (state as RowPositions).rows;
    const table = this.parameter("weights", context.pending).data;
    const out = new Float32Array(B * T * width);
    for (let b = 0; b < B; b++) {
      const n = lengths ? lengths[b] : T, end = positions[b] + n;
      if (end > this.maxPosition) {
        throw this.error(`decoding would reach position ${end}${B > 1 ? ` in row ${b + 1}` : ""} but maxPosition is ${this.maxPosition}; keep prompt and generated tokens within ${this.maxPosition} positions (or build the net with a larger maxPosition)`);
      }
      out.set(table.subarray(positions[b] * width, end * width), b * T * width);
    }
    for (let b = 0; b < B; b++) positions[b] += lengths ? lengths[b] : T;
    return { out: { x: new Tensor(out, [B, T, width]), lengths } };
  }
  override config(): LayerConfig {
    return { kind: this.kind, args: [this.outputSize, this.maxPosition, { name: this.name }] };
  }
}

/** MATLAB wordEmbeddingLayer-style embeddingLayer(dimension, numWords): integer indices → learned vectors. */
export const embeddingLayer = (dimension: number, numWords: number, options?: { name?: string }) => new EmbeddingLayer(dimension, numWords, options);
/** MATLAB positionEmbeddingLayer(outputSize, maxPosition): one learned vector per time step. */
export const positionEmbeddingLayer = (outputSize: number, maxPosition: number, options?: { name?: string }) =>
  new PositionEmbeddingLayer(outputSize, maxPosition, options);

import { defineLayerKind } from "./layerKind.js";

/** The embeddingLayer kind: config args [dimension, numWords, options]. */
export const embeddingLayerKind = defineLayerKind({ kind: "embeddingLayer", positional: ["dimension", "numWords"], fromConfig: ([d, n, o]) => new EmbeddingLayer(d, n, o) });
/** The positionEmbeddingLayer kind: config args [outputSize, maxPosition, options]. */
export const positionEmbeddingLayerKind = defineLayerKind({ kind: "positionEmbeddingLayer", positional: ["outputSize", "maxPosition"], fromConfig: ([d, n, o]) => new PositionEmbeddingLayer(d, n, o) });
