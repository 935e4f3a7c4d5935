// classify / predict helpers for trained nets: class indices (argmax of the output) per example.
import { isPortRecord } from "../layers/applyInput.js";
import { NetGraph, type ArrayInput, type NetResult } from "../nets/netGraph.js";
import { formatShape } from "../tensor/shape.js";
import { describe } from "../util/validate.js";
import { Tensor, asTensor, type NestedArray, type TensorLike } from "../tensor/tensor.js";
import { listOfRecords } from "./batching.js";
import { checkNet } from "./checkNet.js";
import { argmaxRows } from "./losses.js";

/** Examples of a multi-input net: a list of records by input port, or a record of lists. */
export type PortExamples = readonly Readonly<Record<string, TensorLike>>[] | Readonly<Record<string, readonly TensorLike[]>>;

/** Class index per sequence (sequence-to-label) for a list of sequences (or a multi-input net's examples). */
export function classify(net: NetGraph<string>, sequences: readonly TensorLike[] | PortExamples): number[] {
  const outs = predictList(net, checkNetAndList(net, sequences, "classify"), "classify") as (Tensor | number[])[];
  const shape = asTensor(outs[0], "classify").shape;
  if (shape.length > 1) {
    throw new Error(`classify: ${net.label} gives class scores per time step (${formatShape(shape)} for sequence 1), not per sequence; use predict and take the argmax of each step`);
  }
  if (shape[0] === 1) throw new Error(`classify: ${net.label}'s output has 1 channel, not class scores; use predict for a regression net`);
  return outs.map((o) => argmaxRows(o instanceof Tensor ? o : new Tensor(Float32Array.from(o as number[]), [(o as number[]).length]))[0]);
}

/**
 * The net's outputs for a list of sequences (each as if alone): tensors for tensors, nested arrays otherwise.
 * A multi-input net takes a list of records by input port or a record of lists, as trainNet does.
 */
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly Tensor[]): NetResult<O, Tensor>[];
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly ArrayInput[]): NetResult<O, NestedArray[]>[];
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly TensorLike[] | PortExamples): NetResult<O, TensorLike>[];
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly TensorLike[] | PortExamples): NetResult<O, TensorLike>[] {
  return predictList(net, checkNetAndList(net, sequences, "predict"), "predict") as NetResult<O, TensorLike>[];
}

/** The checked list: of sequences, or of records by port (a record of lists becomes one). */
function checkNetAndList(net: NetGraph<string>, sequences: unknown, where: string): TensorLike[] | Record<string, TensorLike>[] {
  checkNet(net, where);
  if (isPortRecord(sequences)) sequences = listOfRecords(sequences as Record<string, unknown>, where, "examples");
  if (!Array.isArray(sequences) || sequences.length === 0) throw new Error(`${where}: sequences must be a non-empty list of sequences [Tᵢ, C], got ${describe(sequences)}`);
  if (sequences.every(isPortRecord)) return sequences as Record<string, TensorLike>[];
  // each element one sequence: a tensor, or nested arrays [T, C] (an element of numbers means the list is one sequence)
  const bad = sequences.findIndex((s) => !(s instanceof Tensor) && !(Array.isArray(s) && s.every((row) => Array.isArray(row))));
  if (bad >= 0) {
    const one = sequences.every((row) => Array.isArray(row) && row.every((v) => typeof v === "number")) ? `; it looks like one sequence [T, C] (${sequences.length} steps): pass [sequence]` : "";
    throw new Error(`${where}: sequences must be a list of sequences [Tᵢ, C], but element ${bad} is ${describe(sequences[bad])}${one}`);
  }
  return sequences as TensorLike[];
}

/** net.predict on a list, with errors naming the function that was called. */
function predictList<O extends string>(net: NetGraph<O>, sequences: TensorLike[] | Record<string, TensorLike>[], where: string): NetResult<O, TensorLike> | NetResult<O, TensorLike>[] {
  try {
    return net.apply(sequences, { training: false });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}
