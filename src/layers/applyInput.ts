// apply's one input adapter, for layers and nets: every form apply accepts becomes batches of ports for the
// layer's one batched `forward`, and the result comes back in the caller's form.
//   a list of records of ports   → each record one example (a batch of one), a list of results
//   a record of ports            → one example when every port whose example rank the layer knows has it, else a batch
//   one value (one input port)   → sequence ports: one sequence [T, C] (a batch of one), a batch [B, T, C], or a list
//                                  of sequences [Tᵢ, C] (tensors or a ragged nested array) padded into one batch
//                                  with lengths; other ports: the array as it is (any leading axes)
// Results mirror the input: tensors in → tensors out, nested arrays in → nested arrays out; one output → its
// value, several → a record by output name; a list in → a list out, each result as if its example were alone.
import { formatShape } from "../tensor/shape.js";
import { Tensor, asTensor, isRectangular, nestedShape, type NestedArray, type TensorLike } from "../tensor/tensor.js";
import { describe, isRecord } from "../util/validate.js";
import * as ops from "../tensor/ops/index.js";
import type { ForwardContext, Layer, NetValue } from "./layer.js";
import { batchRow, exampleOf, padSequences } from "./sequenceBatch.js";

/** Every input form apply takes (tensors, nested arrays or Float32Arrays; alone, by port, or in a list). */
export type ApplyInput = TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>> | readonly Readonly<Record<string, TensorLike>>[];

/** What apply gives back: a value per output (a record by name for several), or a list of those. */
export type ApplyResult = TensorLike | Readonly<Record<string, TensorLike>> | readonly (TensorLike | Readonly<Record<string, TensorLike>>)[];

/** One result: an output's value, or a record of several by name. */
type Mirrored = TensorLike | Record<string, TensorLike>;

/** How a layer's apply differs from a net's. */
export interface ApplyHooks {
  /** every record is one example (an attention layer's), not a batch unless its ranks say so (a net's) */
  recordsAreExamples?: boolean;
  /** a list of sequences runs one sequence at a time (each with its own dropout seed), not as one padded batch */
  separateExamples?: boolean;
  /**
   * the forward to run on a batch (default: layer.forward, with `which` appended to its errors); `single`:
   * the batch is one example given without a batch axis (messages may show its shapes so)
   */
  forward?: (ports: Record<string, NetValue>, context: ForwardContext, which: string, single: boolean) => Record<string, NetValue>;
}

/** Runs the layer's forward on the batches the input forms make (see the file comment) and mirrors the results. */
export function applyForms(layer: Layer, input: unknown, context: ForwardContext, hooks: ApplyHooks = {}): ApplyResult {
  if (Array.isArray(input) && input.length > 0 && input.every(isPortRecord)) {
    return input.map((example, i) => applyRecord(layer, example as Record<string, TensorLike>, context, hooks, true, ` (example ${i + 1})`));
  }
  if (isPortRecord(input)) return applyRecord(layer, input as Record<string, TensorLike>, context, hooks, hooks.recordsAreExamples === true, "");
  if (hooks.recordsAreExamples) {
    const i = Array.isArray(input) ? input.findIndex((e) => !isPortRecord(e)) : -1;
    const [which, got] = i >= 0 ? [` (example ${i + 1})`, (input as unknown[])[i]] : [" or a list of them", input];
    throw layer.error(`expected an example { ${layer.inputNames.join(", ")} }${which}, got ${describe(got)}`);
  }
  if (layer.inputNames.length !== 1) throw layer.error(`has inputs ${layer.inputNames.join(", ")}; pass a record { ${layer.inputNames.join(", ")} } or a list of them`);
  const port = layer.inputNames[0];
  if (!layer.isSequenceInput(port)) {
    if (isListOfSequences(input)) {
      throw layer.error(`input "${port}" takes one array, not a list of ${input.length} sequences of different lengths: only a net whose input feeds a sequenceInputLayer, or selfAttentionLayer's "in", pads such a list into a batch`);
    }
    const x = asTensor(input as TensorLike, `${layer.label}: input "${port}"`);
    return mirror(outputs(run(layer, hooks)({ [port]: { x } }, context, "", false), (v) => v.x), input instanceof Tensor);
  }
  return applySequences(layer, port, input as TensorLike | TensorLike[], context, hooks);
}

/**
 * A record of inputs by port: one example when every port has the rank of one example (or `single`, for
 * an element of a list), else a batch. One example runs as a batch of one and comes back without the
 * batch axis.
 */
function applyRecord(layer: Layer, ports: Record<string, TensorLike>, context: ForwardContext, hooks: ApplyHooks, single: boolean, which: string): Mirrored {
  const names = layer.inputNames;
  const tensors = recordTensors(layer, ports, hooks.recordsAreExamples === true, which);
  if (!single) {
    const known = names.filter((p) => layer.exampleRank(p) !== undefined);
    single = known.length > 0 && known.every((p) => tensors[p].rank === layer.exampleRank(p));
  }
  if (single && !hooks.recordsAreExamples) for (const p of names) if (tensors[p].rank === 0) throw layer.error(`input "${p}"${which} must be an array, got a scalar`);
  const values = single ? batchExamples(layer, [tensors]) : Object.fromEntries(names.map((p) => [p, { x: tensors[p] }]));
  const outs = run(layer, hooks)(values, context, which, single);
  return mirror(outputs(outs, (v) => (single ? exampleOf(v, 0) : v.x)), Object.values(ports).some((v) => v instanceof Tensor));
}

/**
 * A record of ports as tensors, its ports checked (checkPorts); `isExample`: a layer's example (messages name
 * the port alone). `which` ends the messages (" (example 3)").
 */
export function recordTensors(layer: Layer, ports: Readonly<Record<string, TensorLike>>, isExample = false, which = ""): Record<string, Tensor> {
  checkPorts(layer, ports, isExample, which);
  const list = isExample ? undefined : layer.inputNames.find((p) => isListOfSequences(ports[p]));
  if (list !== undefined) {
    throw layer.error(`input "${list}"${which} is a list of ${(ports[list] as unknown[]).length} sequences of different lengths, which one record cannot batch: pass a list of records [{ ${layer.inputNames.join(", ")} }, …]`);
  }
  return Object.fromEntries(layer.inputNames.map((p) => [p, asTensor(ports[p], `${layer.label}: ${isExample ? p : `input "${p}"${which}`}`, layer.isMaskInput(p))]));
}

/**
 * Examples (records of their ports' tensors) as one batch per port: one example gains a batch axis; several
 * are zero-padded at the end of their first axis ([B, T_max, ...]). A port whose examples are sequences
 * ([T, C] at a port of exampleRank 2) carries each example's own length, so every port of a multi-input net
 * has its own lengths (an encoder's and a decoder's differ); trainNet batches its examples so.
 */
export function batchExamples(layer: Layer, examples: readonly Readonly<Record<string, Tensor>>[]): Record<string, NetValue> {
  return Object.fromEntries(layer.inputNames.map((p) => {
    const ids = layer.isIdInput(p), rows = examples.map((e) => (ids ? idColumn(e[p]) : e[p]));
    const lengths = (layer.exampleRank(p) === 2 || ids) && rows.every((r) => r.rank === 2) ? rows.map((r) => r.shape[0]) : undefined;
    const x = rows.length === 1 ? ops.reshape(rows[0], [1, ...rows[0].shape]) : padSequences(rows).x;
    return [p, { x, lengths }];
  }));
}

// Token ids (a port that feeds an embeddingLayer, layer.isIdInput): one example is [T] or the one-channel column
// [T, 1], everywhere a net reads examples (trainNet, predict, startDecoding's rows, generate); a batch [B, T] or
// [B, T, 1]. A net carries them as the column form [B, T, 1] with each row's length, as sequences.

/** One example's token ids [T] or [T, 1] as the column [T, 1] (any other shape as it is, for the caller's checks). */
export function idColumn(t: Tensor): Tensor {
  return t.rank === 1 ? ops.reshape(t, [t.shape[0], 1]) : t;
}

/** Token ids without their column axis: [T, 1] → [T] (`rank` 1, one example) or [B, T, 1] → [B, T] (`rank` 2); other shapes as they are. */
export function idsWithoutColumn(t: Tensor, rank = 1): Tensor {
  return t.rank === rank + 1 && t.shape[rank] === 1 ? ops.reshape(t, t.shape.slice(0, rank)) : t;
}

/** The ports of a record: no unknown one (a misspelt port first: it names what was typed), none missing. */
function checkPorts(layer: Layer, ports: Record<string, TensorLike>, isExample: boolean, which: string): void {
  const names = layer.inputNames, missing = names.filter((p) => !Object.hasOwn(ports, p));
  for (const port of Object.keys(ports)) {
    if (names.includes(port)) continue;
    if (!isExample) throw layer.error(`unknown input port "${port}"${which} (inputs: ${names.join(", ")})`);
    const meant = missing.length > 0 ? ` (did you mean "${missing[0]}"?)` : "";
    throw layer.error(`the example${which} has an unknown port "${port}"${meant}; ports: ${names.join(", ")}`);
  }
  if (missing.length === 0) return;
  throw layer.error(isExample ? `the example${which} has no "${missing[0]}" port (ports: ${names.join(", ")})` : `missing input "${missing[0]}"${which} (inputs: ${names.join(", ")})`);
}

/** A sequence port: a list of sequences (padded into one batch), one sequence [T, C], or a batch [B, T, C]. */
function applySequences(layer: Layer, port: string, input: TensorLike | readonly TensorLike[], context: ForwardContext, hooks: ApplyHooks): Mirrored | Mirrored[] {
  const list = asSequenceList(input, `${layer.label}: input "${port}"`);
  if (list && hooks.separateExamples) {
    // each sequence as the caller gave it, so nested arrays come back as nested arrays
    return (input as readonly TensorLike[]).map((s, i) => applyRecord(layer, { [port]: s }, context, { ...hooks, recordsAreExamples: false }, true, ` (sequence ${i + 1})`));
  }
  if (list) {
    const { x, lengths } = padSequences(list.map((s, i) => {
      if (s.rank !== 2 || s.shape[0] === 0) throw layer.error(`sequence ${i + 1} of input "${port}" must be [T, C] with T ≥ 1, got ${formatShape(s.shape)}`);
      if (s.shape[1] !== list[0].shape[1]) throw layer.error(`sequence ${i + 1} of input "${port}" has ${s.shape[1]} channels (${formatShape(s.shape)}) but sequence 1 has ${list[0].shape[1]} (${formatShape(list[0].shape)})`);
      return s;
    }));
    const outs = run(layer, hooks)({ [port]: { x, lengths } }, context, "", false);
    const tensorIn = (input as unknown[]).some((s) => s instanceof Tensor);
    return list.map((_, b) => mirror(outputs(outs, (v) => exampleOf(v, b)), tensorIn));
  }
  const x0 = asTensor(input as TensorLike, `${layer.label}: input "${port}"`);
  if ((x0.rank !== 2 && x0.rank !== 3) || x0.shape[x0.rank - 1] === 0) throw layer.error(`input "${port}" must be [T, C] or [B, T, C] with C ≥ 1, got shape ${formatShape(x0.shape)} (several sequences: a list of [Tᵢ, C])`);
  // a padded batch needs a valid step in every row (a layer taking one sequence at a time may allow none)
  if (x0.shape[x0.rank - 2] === 0 && !hooks.separateExamples) throw layer.error(`input "${port}" must have T ≥ 1 time steps, got shape ${formatShape(x0.shape)}`);
  const single = x0.rank === 2;
  const x = single ? ops.reshape(x0, [1, ...x0.shape]) : x0;
  const outs = run(layer, hooks)({ [port]: { x, lengths: new Array(x.shape[0]).fill(x.shape[1]) } }, context, "", single);
  return mirror(outputs(outs, (v) => (single ? batchRow(v.x, 0) : v.x)), input instanceof Tensor);
}

/** The forward to run: the hook's, or layer.forward with its errors naming the example of a list they come from. */
function run(layer: Layer, hooks: ApplyHooks): NonNullable<ApplyHooks["forward"]> {
  return hooks.forward ?? ((values, context, which) => {
    try {
      return layer.forward(values, context);
    } catch (e) {
      throw which ? new Error(`${(e as Error).message}${which}`) : e;
    }
  });
}

/** Each output port's tensor, taken from its net value by `take`. */
function outputs(outs: Record<string, NetValue>, take: (v: NetValue) => Tensor): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, take(v)]));
}

/** One output as its value, several as a record by name; nested arrays unless a tensor came in. */
function mirror(outs: Record<string, Tensor>, tensorIn: boolean): Mirrored {
  const form = (t: Tensor) => (tensorIn ? t : t.toArray());
  const names = Object.keys(outs);
  return names.length === 1 ? form(outs[names[0]]) : Object.fromEntries(names.map((k) => [k, form(outs[k])]));
}

/** A record of inputs by port name (not an array, tensor or typed array). */
export function isPortRecord(v: unknown): boolean {
  return isRecord(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);
}

/**
 * A list of sequences (an array of tensors, or a ragged nested array of [Tᵢ, C] arrays), or null for one
 * array: a rectangular nested [T, C] sequence or [B, T, C] batch.
 */
function asSequenceList(input: TensorLike | readonly TensorLike[], where: string): Tensor[] | null {
  return isSequenceList(input) ? input.map((s) => asTensor(s, where)) : null;
}

/**
 * Several sequences [Tᵢ, C] that one array cannot hold (tensors, or rectangular [T, C] nested arrays of different
 * shapes), as opposed to one malformed array: a port that takes one array names them so.
 */
function isListOfSequences(input: unknown): input is readonly TensorLike[] {
  const isSequence = (s: unknown) => s instanceof Tensor || (Array.isArray(s) && isRectangular(s as NestedArray) && nestedShape(s as NestedArray).length === 2);
  return Array.isArray(input) && input.length > 1 && input.every(isSequence) && !isRectangular(input as NestedArray);
}

/** A list of sequences: an array of tensors, or a ragged nested array (not one rectangular [T, C] or [B, T, C] array). */
export function isSequenceList(input: unknown): input is readonly TensorLike[] {
  if (!Array.isArray(input)) return false;
  if (input.length > 0 && input.every((s) => s instanceof Tensor)) return true;
  return !isRectangular(input as NestedArray);
}
