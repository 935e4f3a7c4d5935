// The recurrent layers (gruLayer, basicRecurrentLayer, lstmLayer, bilstmLayer): gradients through inputs,
// parameters and state ports; ragged batches against each row alone; the bidirectional halves against two
// one-directional layers (the backward one on the reversed sequence); state ports against splitting a sequence;
// config round trip, display, and errors.
import { describe, expect, it } from "vitest";
import {
  basicRecurrentLayer, bilstmLayer, deserializeNet, exportOnnx, exportPyTorch, fullyConnectedLayer, gruLayer, lstmLayer, netChain, netGraph, ops, Random,
  sequenceInputLayer, serializeNet, Tensor, type Layer, type NetValue,
} from "../../src/index.js";
import { lstmRecurrence } from "../../src/tensor/ops/lstm.js";
import { checkGradients, expectClose, randomTensor } from "../helpers/numeric.js";

const C = 3, H = 2;
const rt = (shape: number[], seed: number, scale = 1) => randomTensor(shape, new Random(seed), scale);
const context = () => ({ training: false, random: new Random(1) });
/** a weight set with a nonzero bias everywhere, so every bias block is exercised */
const perturbBias = (layer: Layer, seed: number) => layer.setParameter("bias", rt([...layer.parameters.bias.shape], seed, 0.5));

/** Every kind with both state ports, as [name, make, has a cell state, directions]. */
const kinds: [string, (o: object) => Layer, boolean, number][] = [
  ["lstmLayer", (o) => lstmLayer(H, o), true, 1],
  ["bilstmLayer", (o) => bilstmLayer(H, o), true, 2],
  ["gruLayer", (o) => gruLayer(H, o), false, 1],
  ["gruLayer before-multiplication", (o) => gruLayer(H, { ...o, resetGateMode: "before-multiplication" }), false, 1],
  ["gruLayer bidirectional, recurrent bias", (o) => gruLayer(H, { ...o, bidirectional: true, resetGateMode: "recurrent-bias-after-multiplication" }), false, 2],
  ["basicRecurrentLayer", (o) => basicRecurrentLayer(H, o), false, 1],
  ["basicRecurrentLayer bidirectional", (o) => basicRecurrentLayer(H, { ...o, bidirectional: true }), false, 2],
];

describe.each(kinds)("%s", (_name, make, hasCell, D) => {
  const build = (o: object = {}) => {
    const layer = make({ hasStateInputs: true, hasStateOutputs: true, ...o }).initialize({ inputSize: C, seed: 4 });
    perturbBias(layer, 8);
    return layer;
  };

  it("has finite-difference gradients for the input, the states in and every parameter, from out and the states out", () => {
    for (const outputMode of ["sequence", "last"]) {
      const layer = build({ outputMode });
      const x = rt([3, 4, C], 1), h0 = rt([3, D * H], 2, 0.5), c0 = rt([3, D * H], 3, 0.5), lengths = [4, 2, 3];
      const inputs: Record<string, NetValue> = { in: { x, lengths }, hidden: { x: h0 }, ...(hasCell ? { cell: { x: c0 } } : {}) };
      const loss = () => {
        const outs = layer.forward(inputs, context());
        return Object.entries(outs).reduce((s, [k, v], i) => ops.add(s, ops.sum(ops.mul(v.x, rt([...v.x.shape], 20 + i + k.length)))), ops.sum(ops.scale(x, 0)));
      };
      checkGradients(loss, [x, h0, ...(hasCell ? [c0] : []), ...Object.values(layer.parameters)], { what: `${layer.kind} ${outputMode}` });
    }
  });

  it("gives each row of a ragged batch what it gives alone (out and the final states)", () => {
    const layer = build();
    const examples = [4, 1, 3].map((T, i) => ({ in: rt([T, C], 30 + i), hidden: rt([D * H], 40 + i, 0.5), ...(hasCell ? { cell: rt([D * H], 50 + i, 0.5) } : {}) }));
    const together = layer.apply(examples) as Record<string, Tensor>[];
    examples.forEach((e, i) => {
      const alone = layer.apply(e) as Record<string, Tensor>;
      for (const port of layer.outputNames) {
        expect([...together[i][port].shape]).toEqual([...alone[port].shape]);
        expectClose(together[i][port], alone[port].data, 1e-5, 1e-6, `example ${i + 1} ${port}`);
      }
    });
  });

  it("outputMode 'last' is the sequence output at each row's last valid step", () => {
    const seq = build(), last = build({ outputMode: "last" });
    const xs = [rt([4, C], 60), rt([2, C], 61)];
    const full = seq.apply(xs.map((x) => ({ in: x, hidden: rt([D * H], 62), ...(hasCell ? { cell: rt([D * H], 63) } : {}) }))) as Record<string, Tensor>[];
    const ends = last.apply(xs.map((x) => ({ in: x, hidden: rt([D * H], 62), ...(hasCell ? { cell: rt([D * H], 63) } : {}) }))) as Record<string, Tensor>[];
    xs.forEach((x, i) => expectClose(ends[i].out, ops.slice(full[i].out, 0, x.shape[0] - 1, x.shape[0]).data, 1e-6, 1e-7));
  });

  it("refuses a state of the wrong shape, naming the layer, the port and both shapes", () => {
    const layer = build();
    expect(() => layer.forward({ in: { x: rt([2, 3, C], 1) }, hidden: { x: rt([2, D * H + 1], 2) }, cell: { x: rt([2, D * H], 3) } }, context()))
      .toThrow(`${layer.kind}: input "hidden" must be [B, ${D === 2 ? "2·" : ""}numHiddenUnits] = [2, ${D * H}], got [2, ${D * H + 1}]`);
  });

  it("survives serializeNet / deserializeNet in a net with its state ports", () => {
    const net = netGraph({
      inputs: ["x", "h", ...(hasCell ? ["c"] : [])],
      nodes: { seq: sequenceInputLayer(C), rnn: make({ hasStateInputs: true, hasStateOutputs: true, name: "rnn" }), fc: fullyConnectedLayer(2) },
      edges: [["x", "seq"], ["seq", "rnn/in"], ["h", "rnn/hidden"], ...(hasCell ? [["c", "rnn/cell"] as [string, string]] : []), ["rnn/out", "fc"]],
      outputs: { y: "fc", hidden: "rnn/hidden" },
    }).initialize({ seed: 2, hSize: D * H, ...(hasCell ? { cSize: D * H } : {}) });
    const copy = deserializeNet(serializeNet(net));
    const input = { x: rt([2, 5, C], 70), h: rt([2, D * H], 71), ...(hasCell ? { c: rt([2, D * H], 72) } : {}) };
    const [a, b] = [net, copy].map((n) => n.apply(input) as Record<string, Tensor>);
    for (const port of Object.keys(a)) expectClose(b[port], a[port].data, 0, 0, port);
    expect(copy.toString()).toBe(net.toString());
  });
});

describe("state ports", () => {
  it.each([
    ["lstmLayer", () => lstmLayer(H, { hasStateInputs: true, hasStateOutputs: true }), true],
    ["gruLayer", () => gruLayer(H, { hasStateInputs: true, hasStateOutputs: true }), false],
    ["basicRecurrentLayer", () => basicRecurrentLayer(H, { hasStateInputs: true, hasStateOutputs: true }), false],
  ] as const)("%s: running a sequence in two parts, the state passed on, equals running it whole", (_n, make, hasCell) => {
    const layer = make().initialize({ inputSize: C, seed: 5 });
    perturbBias(layer, 9);
    const x = rt([5, C], 80), zero = new Tensor(new Float32Array(H), [H]);
    const start = { hidden: zero, ...(hasCell ? { cell: zero } : {}) };
    const whole = layer.apply({ in: x, ...start }) as Record<string, Tensor>;
    const first = layer.apply({ in: ops.slice(x, 0, 0, 2), ...start }) as Record<string, Tensor>;
    const second = layer.apply({ in: ops.slice(x, 0, 2, 5), hidden: first.hidden, ...(hasCell ? { cell: first.cell } : {}) }) as Record<string, Tensor>;
    expectClose(ops.concat([first.out, second.out], 0), whole.out.data, 1e-5, 1e-6, "out");
    for (const port of layer.outputNames.slice(1)) expectClose(second[port], whole[port].data, 1e-5, 1e-6, port);
  });

  it("without state inputs starts from zeros, and state outputs are the last valid step's states", () => {
    const plain = lstmLayer(H, { hasStateOutputs: true }).initialize({ inputSize: C, seed: 5 });
    const withZeros = lstmLayer(H, { hasStateInputs: true, hasStateOutputs: true }).initialize({ inputSize: C, seed: 5 });
    const x = rt([4, C], 81), zero = new Tensor(new Float32Array(H), [H]);
    const a = plain.apply({ in: x }) as Record<string, Tensor>, b = withZeros.apply({ in: x, hidden: zero, cell: zero }) as Record<string, Tensor>;
    for (const port of ["out", "hidden", "cell"]) expectClose(a[port], b[port].data, 0, 0, port);
    expectClose(a.hidden, ops.slice(a.out, 0, 3, 4).data, 0, 0, "hidden = last step of out");
  });
});

describe("bidirectional layers", () => {
  /** a one-directional layer holding direction d's block of a bidirectional layer's parameters */
  const half = (bi: Layer, one: Layer, d: number) => {
    for (const [name, t] of Object.entries(bi.parameters)) {
      const rows = t.shape[0] / 2;
      one.setParameter(name, ops.slice(t, 0, d * rows, (d + 1) * rows));
    }
    return one;
  };
  const reverse = (x: Tensor) => ops.concat(Array.from({ length: x.shape[0] }, (_, t) => ops.slice(x, 0, x.shape[0] - 1 - t, x.shape[0] - t)), 0);
  it.each([
    ["bilstmLayer", () => bilstmLayer(H), () => lstmLayer(H)],
    ["gruLayer bidirectional", () => gruLayer(H, { bidirectional: true }), () => gruLayer(H)],
    ["gruLayer bidirectional before-multiplication", () => gruLayer(H, { bidirectional: true, resetGateMode: "before-multiplication" }), () => gruLayer(H, { resetGateMode: "before-multiplication" })],
    ["basicRecurrentLayer bidirectional", () => basicRecurrentLayer(H, { bidirectional: true }), () => basicRecurrentLayer(H)],
  ] as const)("%s: out is [forward; backward], the backward half the reversed run of the sequence reversed", (_n, makeBi, makeOne) => {
    const bi = makeBi().initialize({ inputSize: C, seed: 6 });
    perturbBias(bi, 10);
    expect([...bi.parameters.inputWeights.shape]).toEqual([2 * (bi.parameters.recurrentWeights.shape[0] / 2), C]);
    const fwd = half(bi, makeOne(), 0), bwd = half(bi, makeOne(), 1);
    const xs = [rt([5, C], 90), rt([2, C], 91)];
    const outs = bi.apply(xs) as Tensor[];
    xs.forEach((x, i) => {
      const expected = ops.concat([fwd.apply(x) as Tensor, reverse(bwd.apply(reverse(x)) as Tensor)], 1);
      expectClose(outs[i], expected.data, 1e-5, 1e-6, `sequence ${i + 1}`);
    });
  });

  it("bilstmLayer's parameters are MATLAB's: InputWeights 8H×C, RecurrentWeights 8H×H, Bias 8H with each forget-gate bias 1", () => {
    const layer = bilstmLayer(H).initialize({ inputSize: C });
    expect(layer.learnableShapes).toEqual({ inputWeights: [8 * H, C], recurrentWeights: [8 * H, H], bias: [8 * H] });
    expect(Array.from(layer.parameters.bias.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

describe("lstmLayer keeps its former behaviour", () => {
  it("its config (and so its saved form) is unchanged for the former options", () => {
    expect(JSON.stringify(lstmLayer(3, { outputMode: "last", name: "l" }).config())).toBe('{"kind":"lstmLayer","args":[3,{"outputMode":"last","inputSize":"auto","name":"l"}]}');
  });

  it("gives the numbers of the former recurrence (one op over every step, lastSteps for 'last')", () => {
    const layer = lstmLayer(H, { outputMode: "last" }).initialize({ inputSize: C, seed: 3 });
    const xs = [rt([4, C], 100), rt([2, C], 101)];
    const got = layer.apply(xs) as Tensor[];
    const { inputWeights, recurrentWeights, bias } = layer.parameters;
    xs.forEach((x, i) => {
      const former = lstmRecurrence(ops.linear(ops.reshape(x, [1, ...x.shape]), inputWeights), recurrentWeights, bias, [x.shape[0] - 1]);
      expectClose(got[i], former.data, 1e-6, 1e-7);
    });
  });
});

describe("options and display", () => {
  it("shows the state ports and the reset-gate mode", () => {
    const text = gruLayer(4, { hasStateInputs: true, resetGateMode: "before-multiplication", bidirectional: true }).toString();
    expect(text).toMatch(/hasStateInputs: true/);
    expect(text).toMatch(/resetGateMode: 'before-multiplication'/);
    expect(text).toMatch(/bidirectional: true/);
    expect(gruLayer(4, { hasStateInputs: true }).inputNames).toEqual(["in", "hidden"]);
    expect(lstmLayer(4, { hasStateOutputs: true }).outputNames).toEqual(["out", "hidden", "cell"]);
  });

  it("refuses bad options, naming the layer and the option", () => {
    expect(() => gruLayer(4, { resetGateMode: "after" as never })).toThrow(/gruLayer.*resetGateMode/);
    expect(() => lstmLayer(4, { bidirectional: true } as never)).toThrow(/lstmLayer.*bidirectional/);
    expect(() => basicRecurrentLayer(4, { hasStateInputs: "yes" as never })).toThrow(/basicRecurrentLayer.*hasStateInputs/);
    expect(() => bilstmLayer(0)).toThrow(/bilstmLayer.*numHiddenUnits/);
  });

  it("refuses an input that is not sequences, naming the layer, the port and the shape", () => {
    const layer = gruLayer(H).initialize({ inputSize: C });
    expect(() => layer.forward({ in: { x: rt([2, 3, 4, C], 1) } }, context())).toThrow(`gruLayer: input "in" must be [T, C] or [B, T, C] with C ≥ 1, got shape [2, 3, 4, ${C}]`);
    expect(() => lstmLayer(H, { hasStateInputs: true }).apply({ in: rt([3, C], 1) } as never)).toThrow(/lstmLayer.*hidden/);
  });

  it("refuses a net whose state port has the wrong size, naming the layer and the port", () => {
    const net = netGraph({
      inputs: ["x", "h"],
      nodes: { seq: sequenceInputLayer(C), h3: fullyConnectedLayer(3), rnn: gruLayer(H, { hasStateInputs: true }) },
      edges: [["x", "seq"], ["seq", "rnn/in"], ["h", "h3"], ["h3", "rnn/hidden"]],
    });
    expect(() => net.apply({ x: rt([2, 4, C], 1), h: rt([2, 2], 2) })).toThrow(/gruLayer.*"hidden" has 3 channels but the state has 2/);
  });
});

describe("export", () => {
  it("exportPyTorch refuses gruLayer's before-multiplication mode, which torch.nn.GRU has not", () => {
    const net = netChain([sequenceInputLayer(C), gruLayer(H, { resetGateMode: "before-multiplication" })]).initialize({ seed: 1 });
    expect(() => exportPyTorch(net)).toThrow(/gruLayer.*before-multiplication.*torch\.nn\.GRU/);
    expect(() => exportOnnx(net)).not.toThrow();
  });
});
