// Decoding keeps a net's weights in the kernels' memory between steps (src/kernels/wasm/resident.ts): the
// steps must still see every change made to the weights through the library (setParameter, an optimizer's
// step), survive the kernel memory being released, and leave the per-call layouts of other kernels working.
import { describe, expect, it } from "vitest";
import {
  additionLayer, embeddingLayer, fullyConnectedLayer, layerNormalizationLayer, netGraph, positionEmbeddingLayer, releaseMemory, sgdm,
  selfAttentionLayer, Tensor, type NetGraph,
} from "../../src/index.js";
import { residentOffset, withResident } from "../../src/kernels/wasm/resident.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm.js";
import { expectClose } from "../helpers/numeric.js";

const V = 7, SIZE = 16;
function net(): NetGraph {
  return netGraph({
    nodes: {
      tokens: embeddingLayer(SIZE, V), positions: positionEmbeddingLayer(SIZE, 32), embedded: additionLayer(2), norm: layerNormalizationLayer(),
      attention: selfAttentionLayer(2, SIZE, { attentionMask: "causal" }), residual: additionLayer(2), logits: fullyConnectedLayer(V),
    },
    edges: [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"], ["embedded", "norm"],
      ["norm", "attention"], ["embedded", "residual/in1"], ["attention", "residual/in2"], ["residual", "logits"]],
  }).initialize({ seed: 4, inputSize: 1 });
}
const ids = [1, 5, 2, 6, 0, 3];
const predictLast = (n: NetGraph, prefix: number[]) => (n.predict(new Tensor(Float32Array.from(prefix), [1, prefix.length, 1])) as Tensor).data.slice((prefix.length - 1) * V);
/** within float32 rounding (a decoding step's attention sums in another order than the whole sequence's kernel) */
const close = (actual: Float32Array, expected: Float32Array) => expectClose(actual, expected, 1e-5, 1e-6);
const decodeLast = (out: unknown) => (out as Tensor).data.slice(((out as Tensor).shape[0] - 1) * V);

describe("decoding with resident weights", () => {
  it("a step after setParameter uses the new weights (the resident copies are made again)", () => {
    const n = net(), dec = n.startDecoding();
    dec.next(ids.slice(0, 3));
    const w = n.nodes.logits.parameters.weights;
    n.nodes.logits.setParameter("weights", new Tensor(w.data.map((x) => 2 * x + 0.25), w.shape));
    const q = n.nodes.attention.parameters.queryWeights;
    n.nodes.attention.setParameter("queryWeights", new Tensor(q.data.map((x) => -x), q.shape));
    // the cached keys were made with the old key weights (unchanged here), so the step equals a prediction
    close(decodeLast(dec.next([ids[3]])), predictLast(n, ids.slice(0, 4)));
  });

  it("a step after an optimizer's step uses the updated weights", () => {
    const n = net(), dec = n.startDecoding();
    dec.next(ids.slice(0, 3));
    const head = n.nodes.logits;
    const grads = Object.values(head.parameters).map((t) => new Tensor(t.data.map((_, i) => ((i % 5) - 2) * 0.1), t.shape));
    sgdm({ learnRate: 0.5 }).step(head, grads);
    close(decodeLast(dec.next([ids[3]])), predictLast(n, ids.slice(0, 4)));
  });

  it("the net's parameter list (read every step) is one cached list, made again after a call changes a layer", () => {
    const n = net(), list = n.parameterList;
    expect(n.parameterList).toBe(list); // not rebuilt per read
    expect(list).toEqual(Object.values(n.parameters));
    expect(Object.isFrozen(list)).toBe(true);
    const q = n.nodes.attention.parameters.queryWeights;
    n.nodes.attention.setParameter("queryWeights", new Tensor(q.data.map((x) => -x), q.shape));
    expect(n.parameterList).not.toBe(list);
    expect(n.parameterList).toEqual(Object.values(n.parameters));
    // a lazily built net: no parameters until its first apply builds its nodes, then all of them
    const lazy = netGraph({ nodes: { a: fullyConnectedLayer(3), b: fullyConnectedLayer(2) }, edges: [["input", "a"], ["a", "b"]] });
    expect(lazy.parameterList).toEqual([]);
    lazy.predict(new Tensor(new Float32Array(4), [1, 4]));
    expect(lazy.parameterList).toEqual(Object.values(lazy.parameters));
    expect(lazy.parameterList.map((t) => t.shape)).toEqual([[3, 4], [3], [2, 3], [2]]);
  });

  it("releaseMemory between steps: the next step copies the weights in again", () => {
    const n = net(), dec = n.startDecoding();
    const first = decodeLast(dec.next(ids.slice(0, 4)));
    releaseMemory();
    close(decodeLast(dec.next(ids.slice(4))), predictLast(n, ids));
    close(first, predictLast(n, ids.slice(0, 4)));
  });

  it("gemm reads a resident B in place, and the per-call arrays are laid out after the resident block", () => {
    const a = Float32Array.from({ length: 2 * 3 }, (_, i) => i - 2), b = Float32Array.from({ length: 3 * 4 }, (_, i) => 0.5 * i);
    const plain = new Float32Array(8), resident = new Float32Array(8);
    gemmWasm(a, 0, false, b, 0, false, plain, 0, 2, 3, 4, false);
    const big = Float32Array.from({ length: 5000 }, (_, i) => i % 13); // a resident neighbour the layout must not overwrite
    withResident([big, b], () => gemmWasm(a, 0, false, b, 0, false, resident, 0, 2, 3, 4, false));
    expect(resident).toEqual(plain);
    // inside the block, a change to the JS array is not seen (the copy is read): proof that B was not copied in per call
    const stale = new Float32Array(8);
    withResident([big, b], () => {
      b[0] = 100;
      gemmWasm(a, 0, false, b, 0, false, stale, 0, 2, 3, 4, false);
    });
    expect(stale).toEqual(plain);
    b[0] = 0;
  });

  it("a weight read as x·Wᵀ (every row count) or as a plain B comes from its resident copy, as stored: the bits of copying it in", () => {
    const k = 70, n = 45, w = Float32Array.from({ length: n * k }, (_, i) => Math.sin(i)); // W [n×k]
    const x = (m: number, kk = k) => Float32Array.from({ length: m * kk }, (_, i) => Math.cos(3 * i + m));
    const plain = (m: number, transB = true, kk = k, nn = n) => { const c = new Float32Array(m * nn); gemmWasm(x(m, kk), 0, false, w, 0, transB, c, 0, m, kk, nn, false); return c; };
    const expected = [1, 2, 3, 6].map((m) => plain(m)), expectedPlainB = plain(2, false, n, k); // W read as [n×k] B of x [2×n]
    withResident([w], () => {
      expect(residentOffset(w), "held as it is").toBeDefined();
      w[0] = 100; // inside the block the copy is read: a change to W is not seen
      const got = [1, 2, 3, 6].map((m) => plain(m)), plainB = plain(2, false, n, k);
      w[0] = 0;
      got.forEach((c, i) => expect(c, `rows ${[1, 2, 3, 6][i]}`).toEqual(expected[i]));
      expect(plainB).toEqual(expectedPlainB);
    });
  });
});
