// netChain / netGraph: composition, named ports, residual paths, shape inference and its errors,
// lists of varying-length sequences.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, fullyConnectedLayer, globalAveragePooling1dLayer, layerNormalizationLayer, netChain, netGraph,
  ops, Random, reluLayer, selfAttentionLayer, sequenceInputLayer, softmaxLayer, Tensor, valueAndGrad,
  sequenceAttentionLayer, attentionKernel, registerAttentionKernel, setDefaultAttentionKernel, referenceKernel, type Scoring, type SequenceAttentionLayerOptions,
} from "../../src/index.js";
import { checkGradients, expectClose, randomTensor } from "../helpers/numeric.js";
import { additiveScoring } from "../helpers/scoringNets.js";

const random = new Random(51);
const rt = (...shape: number[]) => randomTensor(shape, random);

const classifier = () => netChain([
  sequenceInputLayer(5), selfAttentionLayer(2, 4), layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(3), softmaxLayer(),
]);

describe("netChain", () => {
  it("infers sizes from the input layer and initializes every node", () => {
    const net = classifier().initialize({ seed: 1 });
    expect(net.isInitialized).toBe(true);
    expect(net.parameters["2/queryWeights"].shape).toEqual([4, 5]);
    expect(net.parameters["5/weights"].shape).toEqual([3, 5]);
  });

  it("a list of varying-length sequences gives each sequence's own result", () => {
    const net = classifier().initialize({ seed: 2 });
    const seqs = [rt(6, 5), rt(1, 5), rt(3, 5)];
    const outs = net.predict(seqs) as Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([[3], [3], [3]]);
    seqs.forEach((s, i) => expectClose(outs[i], (net.predict(s) as Tensor).data, 1e-5, 1e-6, `sequence ${i + 1}`));
    expect(Array.isArray(net.predict([[[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5], [0, 0, 0, 0, 1]]]))).toBe(true);
  });

  it("gradients flow through the whole chain (finite differences on a padded batch)", () => {
    const net = classifier().initialize({ seed: 3 });
    const x = rt(2, 4, 5), w = rt(2, 3);
    const f = () => ops.sum(ops.mul(net.forward({ input: { x, lengths: [4, 3] } }, { training: false, random: new Random(0) }).output.x, w));
    checkGradients(f, [x, ...Object.values(net.parameters)], { what: "chain" });
  });

  it("a chain nested in a chain takes its input size from the outer net", () => {
    const inner = netChain([fullyConnectedLayer(3), reluLayer()], { name: "inner" });
    const net = netChain([sequenceInputLayer(5), fullyConnectedLayer(4), inner, softmaxLayer()]).initialize({ seed: 5 });
    expect(net.parameters["inner/1/weights"].shape).toEqual([3, 4]);
    expect((net.predict(rt(2, 5)) as Tensor).shape).toEqual([2, 3]);
  });

  it("errors name the node and the port when sizes do not connect", () => {
    const bad = netChain([sequenceInputLayer(5), fullyConnectedLayer(4), selfAttentionLayer(2, 4, { inputSize: 6, name: "att" })]);
    expect(() => bad.initialize()).toThrow(/netChain: node "att": selfAttentionLayer "att": input "in" has 4 channels but inputSize is 6/);
    expect(() => classifier().predict(rt(3, 4))).toThrow(/sequenceInputLayer: input has 4 channels but inputSize is 5/);
  });
});

describe("netGraph", () => {
  it("residual path: x + selfAttention(x), then layer norm", () => {
    const net = netGraph({
      nodes: { in: sequenceInputLayer(4), att: selfAttentionLayer(2, 4), res: additionLayer(2), norm: layerNormalizationLayer() },
      edges: [["input", "in"], ["in", "att"], ["in", "res/in1"], ["att", "res/in2"], ["res", "norm"]],
    }).initialize({ seed: 4 });
    const x = rt(5, 4);
    const y = net.predict(x) as Tensor;
    const att = (net.nodes.att as ReturnType<typeof selfAttentionLayer>).apply(x) as Tensor;
    expectClose(y, (layerNormalizationLayer().apply(ops.add(x, att)) as Tensor).data, 1e-5, 1e-6);
  });

  it("multi-input graphs feed attention ports by name", () => {
    const net = netGraph({
      inputs: ["keys", "queries"],
      nodes: { proj: fullyConnectedLayer(3), att: attentionLayer("Dot") },
      edges: [["keys", "proj"], ["proj", "att/key"], ["keys", "att/value"], ["queries", "att/query"]],
    });
    const keys = rt(1, 4, 2), queries = rt(1, 2, 3);
    const out = net.apply({ keys, queries }) as Tensor;
    expect(out.shape).toEqual([1, 2, 2]);
    const proj = net.nodes.proj as ReturnType<typeof fullyConnectedLayer>;
    const expected = attentionLayer("Dot").apply({ key: proj.apply(ops.reshape(keys, [4, 2])) as Tensor, value: ops.reshape(keys, [4, 2]), query: ops.reshape(queries, [2, 3]) });
    expectClose(out, expected.data, 1e-5, 1e-6);
    const { grads } = valueAndGrad(() => ops.sum(net.apply({ keys, queries }) as Tensor), [keys, queries]);
    expect(grads.every((g) => g.data.some((v) => v !== 0))).toBe(true);
  });

  it("wiring errors: unknown nodes and ports, double connections, cycles, unconnected inputs", () => {
    const fc = () => fullyConnectedLayer(2);
    expect(() => netGraph({ nodes: { a: fc() }, edges: [["input", "b"]] })).toThrow(/no node "b"/);
    expect(() => netChain([additionLayer(2)])).toThrow(/^netChain: edge input → 1: node "1" has inputs in1, in2/);
    expect(() => netGraph({ nodes: { a: additionLayer(2) }, edges: [["input", "a/in1"], ["input", "a/in3"]] })).toThrow(/node "a" has no input "in3" \(inputs: in1, in2\)/);
    expect(() => netGraph({ nodes: { a: additionLayer(2) }, edges: [["input", "a/in1"]] })).toThrow(/input "in2" of node "a" \(additionLayer\) is not connected/);
    expect(() => netGraph({ nodes: { a: fc() }, edges: [["input", "a"], ["input", "a"]] })).toThrow(/connected twice/);
    expect(() => netGraph({ nodes: { a: additionLayer(2), b: reluLayer() }, edges: [["input", "a/in1"], ["b", "a/in2"], ["a", "b"]] })).toThrow(/cycle: .*a → b → a|cycle: .*b → a → b/);
    expect(() => netGraph({ nodes: { a: fc(), b: fc() }, edges: [["input", "a"], ["input", "b"]] })).toThrow(/cannot tell the output: a\/out, b\/out are unconsumed/);
    expect((netGraph({ nodes: { a: fc() }, edges: [["input", "a"]] }).apply(rt(2, 3)) as Tensor).shape).toEqual([2, 2]);
  });
});

describe("attention layers inside nets run the padded batch in one kernel call", () => {
  /** f's result with `name` as the default attention kernel (the previous default restored after). */
  function withDefaultKernel<T>(name: string, f: () => T): T {
    const previous = attentionKernel().name;
    setDefaultAttentionKernel(name);
    try { return f(); } finally { setDefaultAttentionKernel(previous); }
  }
  /** Counts calls of the reference kernel while f runs. */
  function kernelCalls(f: () => void): number {
    let calls = 0;
    registerAttentionKernel({
      name: "counting-reference",
      forward: (p, w) => { calls++; return referenceKernel.forward(p, w); },
      backward: (p, fwd, dOut, dW) => referenceKernel.backward(p, fwd, dOut, dW),
    });
    withDefaultKernel("counting-reference", f);
    return calls;
  }
  const bits = (t: Tensor) => Array.from(new Uint32Array(t.data.slice().buffer));

  const settings: [string, Scoring, SequenceAttentionLayerOptions, number][] = [
    ["Dot", "Dot", {}, 1],
    ["Bilinear, causal, lengthSqrt", "Bilinear", { mask: "causal", scoreRescaling: "lengthSqrt" }, 1],
    ["Dot, causal window 2, dimensionSqrt", "Dot", { mask: { causal: 2 }, scoreRescaling: "dimensionSqrt" }, 1],

    ["a custom additive scoring net", additiveScoring(), {}, 1],
    ["a custom additive scoring net, causal window 2, lengthSqrt", additiveScoring(), { mask: { causal: 2 }, scoreRescaling: "lengthSqrt" }, 1],
  ];
  for (const [what, scoring, options, calls] of settings) {
    it(`sequenceAttentionLayer (${what}): each sequence's result is the one it gets alone, to the bit`, () => {
      const att = sequenceAttentionLayer(scoring, options);
      const net = netGraph({
        nodes: { in: sequenceInputLayer(3), att },
        edges: [["input", "in"], ["in", "att/input"], ["in", "att/query"]],
      }).initialize({ seed: 5 });
      const seqs = [rt(3, 3), rt(1, 3), rt(6, 3), rt(6, 3)]; // the longest not first: rules must not take row 1's length
      let outs: Tensor[] = [];
      expect(kernelCalls(() => { outs = net.predict(seqs) as Tensor[]; })).toBe(calls);
      seqs.forEach((s, i) => {
        const alone = withDefaultKernel("reference", () => att.apply({ input: s, query: s }));
        expect(outs[i].shape).toEqual(alone.shape);
        expect(bits(outs[i]), `sequence ${i + 1}`).toEqual(bits(alone));
      });
    });
  }

  for (const scoring of ["Bilinear", additiveScoring()] as Scoring[]) {
    it(`lengthSqrt without a mask on rows of different key counts (a scale per batch row), ${typeof scoring === "string" ? scoring : "custom net"}: one call, each row as alone`, () => {
      const att = sequenceAttentionLayer(scoring, { scoreRescaling: "lengthSqrt" });
      const net = netGraph({ nodes: { in: sequenceInputLayer(3), att }, edges: [["input", "in"], ["in", "att/input"], ["in", "att/query"]] }).initialize({ seed: 5 });
      const seqs = [rt(3, 3), rt(1, 3), rt(6, 3), rt(6, 3)];
      let outs: Tensor[] = [], alone: Tensor[] = [];
      expect(kernelCalls(() => { outs = net.predict(seqs) as Tensor[]; })).toBe(1);
      expect(kernelCalls(() => { alone = seqs.map((s) => att.apply({ input: s, query: s }) as Tensor); })).toBe(4);
      // the reference kernel scales scores in float64 (alone) where the batch scales the query rows in float32: close, not equal
      seqs.forEach((_, i) => expectClose(outs[i], alone[i].data, 1e-6, 1e-7, `sequence ${i + 1}`));
      // the default fused kernel makes the same float32 product either way: equal to the bit
      expect(attentionKernel().name).toBe("wasm");
      const fused = net.predict(seqs) as Tensor[];
      seqs.forEach((s, i) => expect(bits(fused[i]), `sequence ${i + 1}`).toEqual(bits(att.apply({ input: s, query: s }) as Tensor)));
    });
  }

  it("attentionLayer with multiHead and ports of their own lengths: rows match, padded queries are zero", () => {
    const att = attentionLayer("Bilinear", { multiHead: true }).initialize({ keySize: 3, querySize: 2, seed: 6 });
    const key = rt(3, 4, 2, 3), value = rt(3, 4, 2, 5), query = rt(3, 6, 2, 2);
    const keyLengths = [4, 2, 0], queryLengths = [6, 1, 3];
    const context = { training: false, random: new Random(0) };
    let out: Tensor | undefined;
    expect(kernelCalls(() => {
      out = att.forward({ key: { x: key, lengths: keyLengths }, value: { x: value, lengths: keyLengths }, query: { x: query, lengths: queryLengths } }, context).output.x;
    })).toBe(1);
    expect(out!.shape).toEqual([3, 6, 2, 5]);
    for (let b = 0; b < 3; b++) {
      const row = (x: Tensor, len: number) => ops.slice(ops.reshape(ops.slice(x, 0, b, b + 1), x.shape.slice(1)), 0, 0, len);
      const alone = withDefaultKernel("reference", () => att.apply({ key: row(key, keyLengths[b]), value: row(value, keyLengths[b]), query: row(query, queryLengths[b]) }));
      const got = row(out!, 6);
      expect(bits(ops.slice(got, 0, 0, queryLengths[b])), `row ${b + 1}`).toEqual(bits(alone));
      expect(Array.from(ops.slice(got, 0, queryLengths[b], 6).data).every((v) => v === 0), `row ${b + 1} padding`).toBe(true);
    }
  });

  it("a custom scoring net on a padded batch: NaN in the padding reaches nothing; gradients match finite differences", () => {
    const att = sequenceAttentionLayer(additiveScoring(3), { mask: "causal" }).initialize({ inputSize: 3, querySize: 3, seed: 8 });
    const x = rt(3, 4, 3), w = rt(3, 4, 3);
    const lengths = [4, 2, 3];
    const context = { training: false, random: new Random(0) };
    const withNaNPadding = x.data.slice();
    lengths.forEach((len, b) => withNaNPadding.fill(NaN, (b * 4 + len) * 3, (b + 1) * 4 * 3));
    const xNaN = new Tensor(withNaNPadding, [3, 4, 3]);
    let out: Tensor | undefined;
    expect(kernelCalls(() => { out = att.forward({ input: { x: xNaN, lengths }, query: { x: xNaN, lengths } }, context).output.x; })).toBe(1);
    lengths.forEach((len, b) => {
      const row = ops.slice(ops.reshape(ops.slice(x, 0, b, b + 1), [4, 3]), 0, 0, len);
      const got = ops.reshape(ops.slice(out!, 0, b, b + 1), [4, 3]);
      expect(bits(ops.slice(got, 0, 0, len)), `row ${b + 1}`).toEqual(bits(withDefaultKernel("reference", () => att.apply({ input: row, query: row }) as Tensor)));
      expect(Array.from(ops.slice(got, 0, len, 4).data).every((v) => v === 0), `row ${b + 1} padding`).toBe(true);
    });
    const f = () => ops.sum(ops.mul(att.forward({ input: { x, lengths }, query: { x, lengths } }, context).output.x, w));
    checkGradients(f, [x, ...Object.values(att.parameters)], { what: "batched custom scoring" });
  });

  for (const scoring of ["Bilinear", additiveScoring(3)] as Scoring[]) {
    it(`queries with two position axes and NaN in the padded query steps (${typeof scoring === "string" ? scoring : "custom net"}): rows as alone, padding exactly 0`, () => {
      const att = attentionLayer(scoring, { scoreRescaling: "lengthSqrt" }).initialize({ keySize: 3, querySize: 3, seed: 9 });
      const key = rt(2, 4, 3), value = rt(2, 4, 3), query = rt(2, 3, 2, 3);
      const keyLengths = [4, 2], queryLengths = [3, 1];
      const q = query.data.slice();
      queryLengths.forEach((len, b) => q.fill(NaN, (b * 3 + len) * 2 * 3, (b + 1) * 3 * 2 * 3)); // the padded query steps hold NaN
      const context = { training: false, random: new Random(0) };
      let out: Tensor | undefined;
      expect(kernelCalls(() => {
        out = att.forward({ key: { x: key, lengths: keyLengths }, value: { x: value, lengths: keyLengths }, query: { x: new Tensor(q, [2, 3, 2, 3]), lengths: queryLengths } }, context).output.x;
      })).toBe(1);
      expect(out!.shape).toEqual([2, 3, 2, 3]);
      for (let b = 0; b < 2; b++) {
        const row = (x: Tensor, len: number) => ops.slice(ops.reshape(ops.slice(x, 0, b, b + 1), x.shape.slice(1)), 0, 0, len);
        const alone = withDefaultKernel("reference", () => att.apply({ key: row(key, keyLengths[b]), value: row(value, keyLengths[b]), query: row(query, queryLengths[b]) }) as Tensor);
        const got = ops.reshape(ops.slice(out!, 0, b, b + 1), [3, 2, 3]);
        // lengthSqrt scales per row here, so the batch and the row alone round the scale differently on the reference kernel
        expectClose(ops.slice(got, 0, 0, queryLengths[b]), alone.data, 1e-6, 1e-7, `row ${b + 1}`);
        expect(Array.from(ops.slice(got, 0, queryLengths[b], 3).data).every((v) => v === 0), `row ${b + 1} padding`).toBe(true);
      }
    });
  }

  it("gradients of the batched sequenceAttentionLayer (finite differences on a padded batch)", () => {
    const att = sequenceAttentionLayer("Bilinear", { mask: "causal", scoreRescaling: "lengthSqrt" }).initialize({ inputSize: 3, querySize: 3, seed: 7 });
    const x = rt(2, 4, 3), w = rt(2, 4, 3);
    const f = () => ops.sum(ops.mul(att.forward({ input: { x, lengths: [4, 2] }, query: { x, lengths: [4, 2] } }, { training: false, random: new Random(0) }).output.x, w));
    checkGradients(f, [x, att.parameters.weights], { what: "batched sequenceAttentionLayer" });
  });
});
