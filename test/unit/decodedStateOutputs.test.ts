// A recurrent layer with hasStateOutputs hands its "hidden"/"cell" state out at each decoding step. What a caller
// receives is its own: writing into it changes nothing in the decoder, and the next step leaves it as it was.
// Before, decoder.next returned the tensor the decoder kept as its state, so a caller that wrote into it (to reuse
// its memory, or by mistake) changed every later output.
import { describe, expect, it } from "vitest";
import { gruLayer, lstmLayer, netGraph, sequenceInputLayer, Tensor, type NetGraph } from "../../src/index.js";

/** in → recurrent layer with state outputs; graph outputs "out", "hidden" (and "cell"). */
function stateNet(kind: "gru" | "lstm"): NetGraph {
  const rnn = kind === "gru" ? gruLayer(3, { hasStateOutputs: true }) : lstmLayer(3, { hasStateOutputs: true });
  return netGraph({
    inputs: ["in"],
    nodes: { input: sequenceInputLayer(2), rnn },
    edges: [["in", "input"], ["input", "rnn"]],
    outputs: { out: "rnn/out", hidden: "rnn/hidden", ...(kind === "lstm" ? { cell: "rnn/cell" } : {}) },
  }).initialize({ seed: 2 });
}

const xs = [[0.5, -1], [2, 0.25], [-0.75, 1.5]];

describe("decoder.next's state outputs belong to the caller", () => {
  for (const kind of ["gru", "lstm"] as const) {
    for (const form of ["single", "batch"] as const) {
      const input = (t: number) => (form === "single" ? [xs[t]] : new Tensor(Float32Array.from([...xs[t], ...xs[(t + 1) % 3]]), [2, 1, 2]));
      it(`${kind}, ${form}: writing into a returned state leaves the next step as it would be; the next step leaves the returned values as they were`, () => {
        const net = stateNet(kind);
        const reference = net.startDecoding({ batch: form === "single" ? 1 : 2 }), dec = net.startDecoding({ batch: form === "single" ? 1 : 2 });
        const expected = [0, 1, 2].map((t) => reference.next(input(t)) as Record<string, Tensor>);
        const first = dec.next(input(0)) as Record<string, Tensor>;
        const kept = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, Array.from(v.data)]));
        const second = dec.next(input(1)) as Record<string, Tensor>;
        for (const [k, v] of Object.entries(first)) expect(Array.from(v.data), `${k} after the next step`).toEqual(kept[k]);
        for (const k of Object.keys(second)) expect(Array.from(second[k].data), k).toEqual(Array.from(expected[1][k].data));
        for (const v of Object.values(second)) v.data.fill(1000); // the caller reuses the arrays
        const third = dec.next(input(2)) as Record<string, Tensor>;
        for (const k of Object.keys(third)) expect(Array.from(third[k].data), `${k} after the caller wrote into the last result`).toEqual(Array.from(expected[2][k].data));
      });
    }
  }
});
