// dotProductAttention(query, key, value, options): the functional core every attention layer reduces to.
// query [B, H, Tq, D], key [B, Hkv, Tk, D], value [B, Hkv, Tk, Dv] → [B, H, Tq, Dv] (SEMANTICS §4).
// It validates everything once, here, then runs one autodiff node over the chosen kernel.
import { formatShape } from "../tensor/shape.js";
import { Tensor, asTensor, type NestedArray, type TensorLike } from "../tensor/tensor.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptionNames, checkSeed, checkString, describe, isRecord } from "../util/validate.js";
import { attend } from "./attentionNode.js";
import { causalMode, explicitMask, type MaskSpec } from "./masks.js";

/** Options of dotProductAttention: scale, causal/window/key-length/boolean masks (true = attend), dropout, returned weights, kernel. */
export interface DotProductAttentionOptions {
  /** multiplies q·k; default 1/√D */
  scale?: number;
  /** true / "topLeft": query i sees keys j ≤ i; "bottomRight": j ≤ i + Tk − Tq (incremental decoding) */
  causal?: boolean | "topLeft" | "bottomRight";
  /** local window: with causal, keys diagonal − window < j ≤ diagonal; without, |j − diagonal| < window */
  window?: number;
  /** per batch row: only keys j < keyLengths[b] are visible */
  keyLengths?: readonly number[];
  /** boolean mask broadcastable to [B, H, Tq, Tk]; true (nonzero) = attend */
  mask?: TensorLike;
  /** dropout on the attention weights (apply only in training); same seed, same result */
  dropout?: { rate: number; seed: number };
  /** also return the softmax weights [B, H, Tq, Tk] (before dropout) */
  returnWeights?: boolean;
  /** kernel name: "wasm" (the default, fused WebAssembly SIMD) or "reference" (plain loops), or a registered one */
  implementation?: string;
}

const WHERE = "dotProductAttention";

/**
 * Scaled dot-product attention as one autodiff node: query [B, H, Tq, D], key [B, Hkv, Tk, D], value [B, Hkv, Tk, Dv] → [B, H, Tq, Dv] (H a multiple of Hkv); a query that sees no key gets zeros.
 * @example const y = dotProductAttention(q, k, v, { causal: true })
 */
export function dotProductAttention(query: Tensor, key: TensorLike, value: TensorLike, options: DotProductAttentionOptions & { returnWeights: true }): { output: Tensor; weights: Tensor };
export function dotProductAttention(query: Tensor, key: TensorLike, value: TensorLike, options?: DotProductAttentionOptions): Tensor;
export function dotProductAttention(query: NestedArray, key: TensorLike, value: TensorLike, options: DotProductAttentionOptions & { returnWeights: true }): { output: NestedArray; weights: NestedArray };
export function dotProductAttention(query: NestedArray, key: TensorLike, value: TensorLike, options?: DotProductAttentionOptions): NestedArray;
export function dotProductAttention(
  query: TensorLike, key: TensorLike, value: TensorLike, options: DotProductAttentionOptions = {},
): Tensor | NestedArray | { output: Tensor | NestedArray; weights: Tensor | NestedArray } {
  checkOptionNames(options, ["scale", "causal", "window", "keyLengths", "mask", "dropout", "returnWeights", "implementation"], WHERE);
  if (options.returnWeights !== undefined) checkBoolean(options.returnWeights, WHERE, "returnWeights");
  if (options.implementation !== undefined) checkString(options.implementation, WHERE, "implementation");
  if (options.causal !== undefined) checkOneOf(options.causal, [true, false, "topLeft", "bottomRight"], WHERE, "causal");
  const q = asTensor(query, `${WHERE}: query`), k = asTensor(key, `${WHERE}: key`), v = asTensor(value, `${WHERE}: value`);
  checkShapes(q, k, v);
  const [B, H, Tq, D] = q.shape;
  const Tk = k.shape[2];
  // D = 0 (as PyTorch allows): every score is an empty sum, 0 whatever the scale, so the weights are uniform
  // over the visible keys; the default 1/√D would be ∞ (and 0·∞ NaN), so then the scale is 1
  const scale = options.scale === undefined ? (D === 0 ? 1 : 1 / Math.sqrt(D)) : checkNumber(options.scale, WHERE, "scale");
  const mask: MaskSpec = {
    causal: causalMode(options.causal),
    window: options.window === undefined ? undefined : checkInteger(options.window, WHERE, "window"),
    keyLengths: checkKeyLengths(options.keyLengths, B, Tk),
    explicit: options.mask === undefined ? undefined : explicitMask(options.mask, [B, H, Tq, Tk], WHERE, "mask"),
  };
  const dropout = options.dropout === undefined ? undefined : checkDropout(options.dropout);
  const { output, weights } = attend(q, k, v, { scale, mask, dropout, implementation: options.implementation }, options.returnWeights === true);
  const mirror = (t: Tensor) => (query instanceof Tensor ? t : t.toArray());
  return options.returnWeights ? { output: mirror(output), weights: mirror(weights!) } : mirror(output);
}

function checkShapes(q: Tensor, k: Tensor, v: Tensor): void {
  for (const [port, t, dims] of [["query", q, "[B, H, Tq, D]"], ["key", k, "[B, Hkv, Tk, D]"], ["value", v, "[B, Hkv, Tk, Dv]"]] as const) {
    if (t.rank !== 4) throw new Error(`${WHERE}: ${port} must have rank 4 ${dims}, got ${formatShape(t.shape)}`);
  }
  const [B, H, , D] = q.shape;
  const [Bk, Hkv, Tk, Dk] = k.shape;
  const [Bv, Hv, Tv] = v.shape;
  if (Bk !== B || Bv !== B) throw new Error(`${WHERE}: batch sizes differ: query ${formatShape(q.shape)}, key ${formatShape(k.shape)}, value ${formatShape(v.shape)}`);
  if (Dk !== D) throw new Error(`${WHERE}: key size ${Dk} (key ${formatShape(k.shape)}) differs from query size ${D} (query ${formatShape(q.shape)})`);
  if (Hv !== Hkv || Tv !== Tk) throw new Error(`${WHERE}: value ${formatShape(v.shape)} must match key ${formatShape(k.shape)} in heads and length`);
  // H = Hkv = 0 is an empty output; query heads without key/value heads to share have nothing to attend to
  if (Hkv === 0 && H !== 0) throw new Error(`${WHERE}: query has ${H} heads (query ${formatShape(q.shape)}) but key and value have none (key ${formatShape(k.shape)}); each query head needs a key/value head`);
  if (Hkv !== 0 && H % Hkv !== 0) throw new Error(`${WHERE}: query heads (${H}) must be a multiple of key/value heads (${Hkv})`);
}

function checkKeyLengths(lengths: readonly number[] | undefined, B: number, Tk: number): readonly number[] | undefined {
  if (lengths === undefined) return undefined;
  if (!Array.isArray(lengths)) throw new Error(`${WHERE}: keyLengths must be an array of ${B} integers, got ${describe(lengths)}`);
  if (lengths.length !== B) throw new Error(`${WHERE}: keyLengths has ${lengths.length} entries but the batch has ${B}`);
  lengths.forEach((n, b) => {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > Tk) throw new Error(`${WHERE}: keyLengths[${b}] must be an integer in [0, ${Tk}] (Tk), got ${describe(n)}`);
  });
  return lengths;
}

function checkDropout(d: { rate: number; seed: number }): { rate: number; seed: number } {
  if (!isRecord(d)) throw new Error(`${WHERE}: dropout must be { rate, seed }, got ${describe(d)}`);
  checkOptionNames(d, ["rate", "seed"], `${WHERE}: dropout`);
  checkNumber(d.rate, WHERE, "dropout.rate", { min: 0, max: 1, maxExclusive: true });
  checkSeed(d.seed, WHERE, "dropout.seed");
  return d;
}
