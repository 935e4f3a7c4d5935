// classify / predict helpers for trained nets: class indices (argmax of the output) per example.
import { NetGraph } from "../nets/netGraph.js";
import { describe } from "../util/validate.js";
import { Tensor } from "../tensor/tensor.js";
import { argmaxRows } from "./losses.js";
/** Class index per sequence (sequence-to-label) for a list of sequences. */
export function classify(net, sequences) {
    checkNetAndList(net, sequences, "classify");
    const outs = predictList(net, sequences, "classify");
    const K = outs[0] instanceof Tensor ? outs[0].shape.at(-1) : Array.isArray(outs[0]) ? outs[0].length : undefined;
    if (K === 1)
        throw new Error(`classify: ${net.label}'s output has 1 channel, not class scores; use predict for a regression net`);
    return outs.map((o) => argmaxRows(o instanceof Tensor ? o : new Tensor(Float32Array.from(o), [o.length]))[0]);
}
export function predict(net, sequences) {
    checkNetAndList(net, sequences, "predict");
    return predictList(net, sequences, "predict");
}
function checkNetAndList(net, sequences, where) {
    if (!(net instanceof NetGraph))
        throw new Error(`${where}: net must be a netChain or netGraph, got ${describe(net)}`);
    if (!Array.isArray(sequences) || sequences.length === 0)
        throw new Error(`${where}: sequences must be a non-empty list of sequences [Tᵢ, C], got ${describe(sequences)}`);
}
/** net.predict on a list, with errors naming the function that was called. */
function predictList(net, sequences, where) {
    try {
        return net.predict(sequences);
    }
    catch (e) {
        throw new Error(`${where}: ${e.message}`);
    }
}
