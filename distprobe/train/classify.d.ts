import { NetGraph, type ArrayInput, type NetResult } from "../nets/netGraph.js";
import { Tensor, type NestedArray, type TensorLike } from "../tensor/tensor.js";
/** Class index per sequence (sequence-to-label) for a list of sequences. */
export declare function classify(net: NetGraph<string>, sequences: readonly TensorLike[]): number[];
/** The net's outputs for a list of sequences (each as if alone): tensors for tensors, nested arrays otherwise. */
export declare function predict<O extends string>(net: NetGraph<O>, sequences: readonly Tensor[]): NetResult<O, Tensor>[];
export declare function predict<O extends string>(net: NetGraph<O>, sequences: readonly ArrayInput[]): NetResult<O, NestedArray[]>[];
export declare function predict<O extends string>(net: NetGraph<O>, sequences: readonly TensorLike[]): NetResult<O, TensorLike>[];
