// ONNX building blocks shared by the layer translators.
import type { Tensor } from "../../tensor/tensor.js";
import type { OnnxGraph } from "./onnxGraph.js";
import { DataType } from "./onnxSchema.js";
import type { OnnxContext, OnnxValue } from "./translator.js";

/** The lowest float32: masked scores become this before softmax (finite, so a row with no allowed key gives a uniform row, then zeros, never NaN). */
export const LOWEST_FLOAT32 = -3.4028234663852886e38;

/** Wᵀ of a [rows, cols] matrix, as [cols, rows] data. */
export function transposed(w: Tensor): Float32Array {
  const [r, c] = w.shape;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = w.data[i * c + j];
  return out;
}

/** y = x Wᵀ (+ b) on the last axis; W [out, in]. */
export function linear(g: OnnxGraph, x: string, w: Tensor, b: Tensor | undefined, hint: string): string {
  const wt = g.floats(`${hint}.weightsT`, transposed(w), [w.shape[1], w.shape[0]]);
  const y = g.op1("MatMul", [x, wt], {}, `${hint}.matmul`);
  return b ? g.op1("Add", [y, g.floats(`${hint}.bias`, b.data, [...b.shape])], {}, `${hint}.linear`) : y;
}

/** Shape(x)[axis] as an int64 [1] tensor. */
export function dim(g: OnnxGraph, x: string, axis: number, hint: string): string {
  return g.op1("Shape", [x], { start: axis, end: axis + 1 }, `${hint}.dim${axis}`);
}

/** The sequence mask as bool [B, 1, 1, T] (keys allowed), or undefined when the value is not padded. */
export function keyPaddingMask(context: OnnxContext, value: OnnxValue): string | undefined {
  if (!value.padded || !context.mask) return undefined;
  return boolKeyMask(context.g, context.mask, `${context.hint}.keyMask`);
}

/** A [B, T] float mask (nonzero = allowed) as bool [B, 1, 1, T]. */
export function boolKeyMask(g: OnnxGraph, mask: string, hint: string): string {
  const b = g.op1("Cast", [mask], { to: DataType.BOOL }, hint);
  return g.op1("Unsqueeze", [b, g.ints([1, 2])], {}, hint);
}

/**
 * Causal attention as bool [Tq, Tk]: query i, at absolute position p = first + i, sees key j when j ≤ p (and,
 * with a window w, j > p − w). `queries` and `keys` are the lengths Tq and Tk (int64 [1]); `first` (int64 [1],
 * default 0) is the positions before the queries: first = Tk − Tq is the "bottomRight" rule of decoding.
 */
export function causalMask(g: OnnxGraph, lengths: { queries: string; keys: string; first?: string }, window: number | undefined, hint: string): string {
  const positions = (length: string, axis: number) => {
    const n = g.op1("Squeeze", [length], {}, `${hint}.length`); // scalar T
    const range = g.op1("Range", [g.intScalar(0), n, g.intScalar(1)], {}, `${hint}.range`);
    return g.op1("Unsqueeze", [range, g.ints([axis])], {}, `${hint}.positions`);
  };
  let rows = positions(lengths.queries, 1); // [Tq, 1]
  if (lengths.first) rows = g.op1("Add", [rows, lengths.first], {}, `${hint}.absolute`);
  const cols = positions(lengths.keys, 0); // [1, Tk]
  let allowed = g.op1("Not", [g.op1("Greater", [cols, rows], {}, `${hint}.future`)], {}, `${hint}.causal`);
  if (window !== undefined) {
    const earliest = g.op1("Sub", [rows, g.ints([window - 1])], {}, `${hint}.windowStart`); // j ≥ p − w + 1
    allowed = g.op1("And", [allowed, g.op1("Not", [g.op1("Less", [cols, earliest], {}, `${hint}.beforeWindow`)], {}, `${hint}.inWindow`)], {}, `${hint}.causalWindow`);
  }
  return allowed;
}

/** AND of the given bool masks (undefined ones are ignored); undefined when none is given. */
export function allOf(g: OnnxGraph, masks: (string | undefined)[], hint: string): string | undefined {
  const present = masks.filter((m): m is string => m !== undefined);
  return present.reduce<string | undefined>((acc, m) => (acc === undefined ? m : g.op1("And", [acc, m], {}, hint)), undefined);
}

/**
 * Attention weights from scores [.., Tq, Tk]: softmax over keys where `allowed`, zero elsewhere, and an
 * all-zero row for a query that sees no key (the library's rule, never NaN).
 */
export function maskedSoftmax(g: OnnxGraph, scores: string, allowed: string | undefined, hint: string): string {
  if (!allowed) return g.op1("Softmax", [scores], { axis: -1 }, `${hint}.weights`);
  const blocked = g.op1("Where", [allowed, scores, g.scalar(LOWEST_FLOAT32)], {}, `${hint}.maskedScores`);
  const soft = g.op1("Softmax", [blocked], { axis: -1 }, `${hint}.softmax`);
  return g.op1("Where", [allowed, soft, g.scalar(0)], {}, `${hint}.weights`);
}
