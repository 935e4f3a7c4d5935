// classify / predict helpers for trained nets: class indices (argmax of the output) per example.
import type { NetGraph } from "../nets/netGraph.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { argmaxRows } from "./losses.js";

/** Class index per sequence (sequence-to-label) for a list of sequences. */
export function classify(net: NetGraph, sequences: readonly TensorLike[]): number[] {
  const outs = net.predict(sequences as TensorLike[]) as (Tensor | number[])[];
  return outs.map((o) => argmaxRows(o instanceof Tensor ? o : new Tensor(Float32Array.from(o as number[]), [(o as number[]).length]))[0]);
}

/** The net's outputs for a list of sequences (each as if alone). */
export function predict(net: NetGraph, sequences: readonly TensorLike[]): unknown {
  return net.predict(sequences as TensorLike[]);
}
