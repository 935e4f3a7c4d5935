// classify / predict helpers for trained nets: class indices (argmax of the output) per example.
import type { ArrayInput, NetGraph, NetResult } from "../nets/netGraph.js";
import { Tensor, type NestedArray, type TensorLike } from "../tensor/tensor.js";
import { argmaxRows } from "./losses.js";

/** Class index per sequence (sequence-to-label) for a list of sequences. */
export function classify(net: NetGraph<string>, sequences: readonly TensorLike[]): number[] {
  const outs = net.predict(sequences) as (Tensor | number[])[];
  return outs.map((o) => argmaxRows(o instanceof Tensor ? o : new Tensor(Float32Array.from(o as number[]), [(o as number[]).length]))[0]);
}

/** The net's outputs for a list of sequences (each as if alone): tensors for tensors, nested arrays otherwise. */
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly Tensor[]): NetResult<O, Tensor>[];
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly ArrayInput[]): NetResult<O, NestedArray[]>[];
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly TensorLike[]): NetResult<O, TensorLike>[];
export function predict<O extends string>(net: NetGraph<O>, sequences: readonly TensorLike[]): NetResult<O, TensorLike>[] {
  return net.predict(sequences) as NetResult<O, TensorLike>[];
}
