// Bad input at every public entry point (issue 10): each probe must throw a plain Error whose message starts
// with the function or layer called and never names an internal op, class or JS runtime failure. The issue's
// own examples also check the exact option, expected and received values.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, classify, dotProductAttention, dropoutLayer, embeddingLayer, fullyConnectedLayer, globalAveragePooling1dLayer,
  layerNormalizationLayer, lstmLayer, netChain, netGraph, positionEmbeddingLayer, predict, selfAttentionLayer, sequenceAttentionLayer,
  sequenceInputLayer, serializeNet, softmaxLayer, tensor, valueAndGrad, zeros, padSequences, crossentropy, mse, argmaxRows, evaluate,
  registerAttentionKernel, referenceKernel, ops, trainNet,
} from "../../src/index.js";

const INTERNAL = /ops\.|^tensor:|^Tensor:|Random:|BilinearScoring|DotScoring|Cannot read|is not a function|is not iterable|undefined \(reading/;

/** Throws a plain Error starting with `who` and naming nothing internal; returns the message. */
function refused(f: () => unknown, who: string): string {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, `${who}: expected an error`).toBeInstanceOf(Error);
  const e = error as Error;
  expect(e.constructor, `${who}: ${e.message}`).toBe(Error);
  expect(e.message.startsWith(who), `"${e.message}" should start with ${who}`).toBe(true);
  if (who !== "tensor") expect(e.message, "names an internal").not.toMatch(INTERNAL);
  return e.message;
}

const q = tensor([[[[1, 0], [0, 1]]]]);
const seqNet = () => netChain([sequenceInputLayer(2), selfAttentionLayer(1, 2), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer()]);
const L = () => fullyConnectedLayer(2);

describe("non-numbers and bad shapes are never coerced", () => {
  it("tensor() and every entry that takes arrays", () => {
    expect(refused(() => tensor([1, null] as never), "tensor")).toMatch(/expected numbers \(or booleans\), got null at element \[1\]/);
    expect(refused(() => tensor([[1, "a"]] as never), "tensor")).toMatch(/got "a" at element \[0, 1\]/);
    expect(refused(() => tensor([{}, 1] as never), "tensor")).toMatch(/got an object at element \[0\]/);
    expect(refused(() => tensor([1, 2, 3, 4], [-2, -2]), "tensor")).toMatch(/shape must be an array of non-negative integers, got \[-2, -2\]/);
    expect(refused(() => tensor([1, 2, 3, 4], [2.5, 1.6]), "tensor")).toMatch(/got \[2.5, 1.6\]/);
    refused(() => zeros([-1]), "zeros");
    expect(refused(() => dotProductAttention(null as never, q, q), "dotProductAttention")).toMatch(/query: expected a Tensor or nested arrays of numbers, got null/);
    refused(() => dotProductAttention([[[[1, "a"]]]] as never, q, q), "dotProductAttention");
    expect(refused(() => attentionLayer("Dot").apply({ key: [[1, "a"]], value: [[1]], query: [[1, 2]] } as never), "attentionLayer")).toMatch(/key: expected numbers .* got "a"/);
    expect(refused(() => attentionLayer("Dot").apply({ key: [[1]], value: [[1]], query: null } as never), "attentionLayer")).toMatch(/got null/);
    refused(() => selfAttentionLayer(1, 2).apply([[1, null]] as never), "selfAttentionLayer");
    refused(() => fullyConnectedLayer(2).apply([["1", 2]] as never), "fullyConnectedLayer");
    refused(() => seqNet().apply([[1, "a"]] as never), "netChain");
    expect(refused(() => classify(seqNet(), [[[1, "a"]]] as never), "classify")).toMatch(/got "a"/);
  });
  it("length-0 sequences and regression nets", () => {
    expect(refused(() => seqNet().apply([[[1, 2]], []] as never), "netChain")).toMatch(/sequence 2 .* T ≥ 1, got \[0\]/);
    refused(() => seqNet().apply(tensor(new Float32Array(0), [0, 2])), "netChain");
    refused(() => classify(seqNet(), [[[1, 2]], []] as never), "classify");
    const regression = netChain([sequenceInputLayer(2), globalAveragePooling1dLayer(), fullyConnectedLayer(1)]);
    expect(refused(() => classify(regression, [[[1, 2]]]), "classify")).toMatch(/output has 1 channel, not class scores; use predict/);
    refused(() => predict(null as never, [[[1, 2]]]), "predict");
    refused(() => classify(seqNet(), "x" as never), "classify");
  });
});

describe("options are checked for type and value, not truthiness", () => {
  it("the issue's examples name the option, the expectation and the received value", () => {
    expect(refused(() => attentionLayer("Dot", { multiHead: "false" as never }), "attentionLayer")).toMatch(/multiHead must be true or false, got "false"/);
    expect(refused(() => selfAttentionLayer(1, 2, { hasPaddingMaskInput: "false" as never }), "selfAttentionLayer")).toMatch(/hasPaddingMaskInput must be true or false, got "false"/);
    expect(refused(() => attentionLayer("Dot", { dropout: "0.5" as never }), "attentionLayer")).toMatch(/dropout must be in \[0, 1\) \(a number\), got "0.5"/);
    expect(refused(() => attentionLayer("Dot", { dropout: [0.5] as never }), "attentionLayer")).toMatch(/got \[0.5\]/);
    expect(refused(() => attentionLayer("Dot").apply({ key: [[1]], value: [[1]], query: [[1]] }, { returnWeights: "yes" as never }), "attentionLayer")).toMatch(/returnWeights must be true or false, got "yes"/);
    expect(refused(() => attentionLayer("Dot").apply({ key: [[1]], value: [[1]], query: [[1]] }, { seed: "abc" as never }), "attentionLayer")).toMatch(/seed must be an integer in \[0, 4294967295\], got "abc"/);
    expect(refused(() => selfAttentionLayer(NaN, 2), "selfAttentionLayer")).toMatch(/numHeads must be a positive integer, got NaN/);
    for (const size of [2.5, "3", 0]) expect(refused(() => fullyConnectedLayer(size as never), "fullyConnectedLayer")).toMatch(/outputSize must be a positive integer, got/);
    expect(refused(() => dotProductAttention(q, q, q, { keyLengths: [2.5] }), "dotProductAttention")).toMatch(/keyLengths\[0\] must be an integer in \[0, 2\] \(Tk\), got 2.5/);
    expect(refused(() => netGraph({ nodes: { a: L() }, edges: ["input->a" as never] }), "netGraph")).toMatch(/edge 1 must be \[from, to\] with two strings, got "input->a"/);
    expect(refused(() => selfAttentionLayer(1, 2, { attentionMask: [[1, 2], [1, 1]] }), "selfAttentionLayer")).toMatch(/attentionMask values must be true\/false or 1\/0, got 2/);
    expect(refused(() => selfAttentionLayer(1, 2, { attentionMask: [[1, 0, 1]] }), "selfAttentionLayer")).toMatch(/attentionMask must be square/);
  });
  it("sequenceInputLayer statistics are finite numbers, standard deviations positive", () => {
    const s = (mean: unknown, sd: unknown) => () => sequenceInputLayer(3, { normalization: "zscore", mean: mean as never, standardDeviation: sd as never });
    expect(refused(s([0, NaN, 0], [1, 1, 1]), "sequenceInputLayer")).toMatch(/mean\[1\] must be a finite number, got NaN/);
    expect(refused(s([0, null, 0], [1, 1, 1]), "sequenceInputLayer")).toMatch(/mean\[1\] must be a finite number, got null/);
    expect(refused(s(["0", 0, 0], [1, 1, 1]), "sequenceInputLayer")).toMatch(/mean\[0\] must be a finite number, got "0"/);
    expect(refused(s([0, 0, 0], [1, Infinity, 1]), "sequenceInputLayer")).toMatch(/standardDeviation\[1\] must be a finite number > 0, got Infinity/);
    expect(refused(s([0, 0, 0], [1, 0, 1]), "sequenceInputLayer")).toMatch(/standardDeviation\[1\] must be a finite number > 0, got 0/);
    expect(refused(s([0, 0, 0], undefined), "sequenceInputLayer")).toMatch(/give both or neither/);
    expect(refused(() => sequenceInputLayer(3, { normalization: "z" as never }), "sequenceInputLayer")).toMatch(/normalization must be "none" or "zscore", got "z"/);
  });
  it("a table of probes over every constructor, apply and initialize", () => {
    const probes: [string, () => unknown][] = [
      ["dotProductAttention", () => dotProductAttention(q, q, q, { scale: "2" as never })],
      ["dotProductAttention", () => dotProductAttention(q, q, q, { causal: "yes" as never })],
      ["dotProductAttention", () => dotProductAttention(q, q, q, { window: 2.5 })],
      ["dotProductAttention", () => dotProductAttention(q, q, q, { dropout: 0.5 as never })],
      ["dotProductAttention", () => dotProductAttention(q, q, q, { dropout: { rate: "0.5", seed: 1 } as never })],
      ["dotProductAttention", () => dotProductAttention(q, q, q, { returnWeights: 1 as never })],
      ["dotProductAttention", () => dotProductAttention(q, q, q, null as never)],
      ["attentionLayer", () => attentionLayer("dot" as never)],
      ["attentionLayer", () => attentionLayer("Dot", { mask: { causal: 2.5 } })],
      ["attentionLayer", () => attentionLayer("Dot", { scoreRescaling: "length" as never })],
      ["attentionLayer", () => attentionLayer("Dot", { name: 5 as never })],
      ["attentionLayer", () => attentionLayer("Dot", { key: 2.5 })],
      ["attentionLayer", () => attentionLayer("Dot").apply(5 as never)],
      ["attentionLayer", () => attentionLayer("Dot").apply({ key: [[1]], value: [[1], [2]], query: [[1]] })],
      ["attentionLayer", () => attentionLayer("Dot").apply({ key: [[]], value: [[1]], query: [[]] })],
      ["attentionLayer", () => attentionLayer("Bilinear").initialize({ keySize: 2.5 })],
      ["attentionLayer", () => attentionLayer("Bilinear").initialize({ keySize: "3" as never })],
      ["attentionLayer", () => attentionLayer("Bilinear").setParameter("weights", [1, 2, 3])],
      ["sequenceAttentionLayer", () => sequenceAttentionLayer("Dot", { multiHead: true } as never)],
      ["sequenceAttentionLayer", () => sequenceAttentionLayer("Dot").initialize({ keySize: 2 } as never)],
      ["sequenceAttentionLayer", () => sequenceAttentionLayer("Dot").apply({ input: [1, 2], query: [[1, 2]] })],
      ["selfAttentionLayer", () => selfAttentionLayer(2.5, 4)],
      ["selfAttentionLayer", () => selfAttentionLayer(3, 4)],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4, { numValueChannels: "4" as never })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4, { dropoutProbability: "0.1" as never })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4, { weightsInitializer: "xavier" as never })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4, { weightLearnRateFactor: "1" as never })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4, { queryWeights: [1, 2] })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4).apply([[]])],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4).apply([[1, 2]], { training: "yes" as never })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4).initialize({ inputSize: "3" as never })],
      ["selfAttentionLayer", () => selfAttentionLayer(2, 4, { hasPaddingMaskInput: true }).apply({ in: [[1, 2], [3, 4]], mask: [1, 2] })],
      ["fullyConnectedLayer", () => fullyConnectedLayer(2, { hasBias: "false" as never })],
      ["fullyConnectedLayer", () => fullyConnectedLayer(2, { weights: [1, 2] })],
      ["fullyConnectedLayer", () => fullyConnectedLayer(2, { inputSize: 3 }).apply([[1, 2]])],
      ["fullyConnectedLayer", () => fullyConnectedLayer(2).apply(null as never)],
      ["fullyConnectedLayer", () => fullyConnectedLayer(2).apply(5)],
      ["layerNormalizationLayer", () => layerNormalizationLayer({ epsilon: "1e-5" as never })],
      ["dropoutLayer", () => dropoutLayer(1)],
      ["dropoutLayer", () => dropoutLayer("0.5" as never)],
      ["globalAveragePooling1dLayer", () => globalAveragePooling1dLayer({ name: 5 as never })],
      ["additionLayer", () => additionLayer(1.5)],
      ["additionLayer", () => additionLayer(2).apply({ in1: [1] })],
      ["additionLayer", () => additionLayer(2).apply(null as never)],
      ["embeddingLayer", () => embeddingLayer(2, "3" as never)],
      ["embeddingLayer", () => embeddingLayer(2, 3).apply([[0], [3]])],
      ["positionEmbeddingLayer", () => positionEmbeddingLayer(2, 2).apply([[1], [2], [3]])],
      ["lstmLayer", () => lstmLayer(3, { outputMode: "all" as never })],
      ["lstmLayer", () => lstmLayer(3, { inputSize: "x" as never })],
      ["sequenceInputLayer", () => sequenceInputLayer(2).apply([1, 2])],
      ["netChain", () => netChain([L(), null as never])],
      ["netChain", () => netChain([L()], "x" as never)],
      ["netChain", () => seqNet().apply([[1, 2]], { training: "yes" as never })],
      ["netChain", () => seqNet().initialize({ inputSize: "2" as never })],
      ["netChain", () => netChain([L()]).parameterFactors("nope/x")],
      ["netGraph", () => netGraph(null as never)],
      ["netGraph", () => netGraph({ nodes: { a: 5 as never }, edges: [] })],
      ["netGraph", () => netGraph({ nodes: { a: L() }, edges: [["input", "a"]], inputs: "input" as never })],
      ["netGraph", () => netGraph({ nodes: { a: L() }, edges: [["input", "a"]], name: 5 as never })],
      ["netGraph", () => netGraph({ nodes: { a: L() }, edges: [["input", "constructor"]] })],
      ["netGraph", () => netGraph({
        nodes: { i: sequenceInputLayer(2), sa: selfAttentionLayer(1, 2, { hasScoresOutput: true }), f: L() },
        edges: [["input", "i"], ["i", "sa"], ["sa/scores", "f"]], outputs: { o: "f", s: "sa/out" },
      }).apply([[1, 2]])],
      ["netGraph", () => netGraph({ inputs: ["key", "query"], nodes: { a: attentionLayer("Dot") }, edges: [["key", "a/key"], ["key", "a/value"], ["query", "a/query"]] })
        .apply({ key: tensor([[[1, 0]], [[0, 1]]]), query: tensor([[[1, 0]]]) })],
      ["serializeNet", () => serializeNet(seqNet())],
      ["serializeNet", () => serializeNet(null as never)],
      ["valueAndGrad", () => valueAndGrad(5 as never, [])],
      ["padSequences", () => padSequences(null as never)],
      ["padSequences", () => padSequences([tensor([[1]]), tensor([[1, 2]])])],
      ["crossentropy", () => crossentropy(null as never, [0])],
      ["crossentropy", () => crossentropy(tensor([[0.5, 0.5]]), null as never)],
      ["mse", () => mse(tensor([1]), null as never)],
      ["argmaxRows", () => argmaxRows(null as never)],
      ["evaluate", () => evaluate(seqNet(), { x: [], y: [] })],
      ["evaluate", () => evaluate(null as never, { x: [], y: [] })],
      ["registerAttentionKernel", () => registerAttentionKernel(null as never)],
      ["zeros", () => zeros([1e6, 1e6])], // too large for one Float32Array: a clear error, not a RangeError
      ["selfAttentionLayer", () => selfAttentionLayer(1, 1e6).initialize({ inputSize: 1e6 })],
    ];
    for (const [who, f] of probes) refused(f, who);
  });
});

describe("a registered kernel's results are checked before they become tensors", () => {
  const q = tensor([[[[1, 0], [0, 1]]]]);
  const register = (name: string, forwardOut: (n: number) => unknown, dq: (n: number) => unknown) => registerAttentionKernel({
    name,
    forward: (p, w) => ({ ...referenceKernel.forward(p, w), out: forwardOut(p.B * p.H * p.Tq * p.Dv) as Float32Array }),
    backward: (p, fwd, dOut, dW) => ({ ...referenceKernel.backward(p, fwd, dOut, dW), dq: dq(p.B * p.H * p.Tq * p.D) as Float32Array }),
  });

  it("a forward output of the wrong type or length is refused, naming the kernel and the array", () => {
    register("short-out", (n) => new Float32Array(n - 1), (n) => new Float32Array(n));
    expect(() => dotProductAttention(q, q, q, { implementation: "short-out" })).toThrow('attention kernel "short-out": out must be a Float32Array of 4 values, got a Float32Array of 3');
    register("float64-out", (n) => new Float64Array(n), (n) => new Float32Array(n));
    expect(() => dotProductAttention(q, q, q, { implementation: "float64-out" })).toThrow(/^attention kernel "float64-out": out must be a Float32Array of 4 values, got /);
  });

  it("a gradient of the wrong length is refused in the backward pass", () => {
    register("short-dq", (n) => new Float32Array(n), () => new Float32Array(1));
    expect(() => valueAndGrad(() => ops.sum(dotProductAttention(q, q, q, { implementation: "short-dq" })), [q])).toThrow('attention kernel "short-dq": dq must be a Float32Array of 4 values, got a Float32Array of 1');
  });
});

// Issue 15, point 11: bad input that was still met as an internal error (a RangeError, a TypeError, a message
// naming an internal op or the wrong function), and values that were silently coerced.
describe("bad input once met as an internal error", () => {
  const x = [[[1, 2], [3, 4]], [[1, 0]]];
  const quiet = { verbose: false, maxEpochs: 1 } as const;

  it("net.initialize checks its sizes and seed (a graph without sequenceInputLayer)", () => {
    const net = () => netChain([selfAttentionLayer(1, 2), fullyConnectedLayer(2)]);
    expect(refused(() => net().initialize({ inputSize: -3 }), "netChain.initialize")).toBe("netChain.initialize: inputSize must be a positive integer, got -3");
    expect(refused(() => net().initialize({ inputSize: 2.5 }), "netChain.initialize")).toBe("netChain.initialize: inputSize must be a positive integer, got 2.5");
    expect(refused(() => net().initialize({ inputSize: 0 }), "netChain.initialize")).toMatch(/inputSize must be a positive integer, got 0/);
    expect(refused(() => net().initialize({ inputSize: 3, seed: "x" as never }), "netChain.initialize")).toMatch(/seed must be an integer in \[0, 4294967295\], got "x"/);
    const graph = netGraph({ inputs: ["key", "query"], nodes: { a: attentionLayer("Dot") }, edges: [["key", "a/key"], ["key", "a/value"], ["query", "a/query"]] });
    expect(refused(() => graph.initialize({ keySize: 2, querySize: NaN }), "netGraph.initialize")).toMatch(/querySize must be a positive integer, got NaN/);
    expect(net().initialize({ inputSize: 3 }).learnableShapes["2/weights"]).toEqual([2, 3]); // selfAttentionLayer keeps the 3 channels
  });

  it('trainNet and evaluate with loss "mse" and class indices name y[i] and the loss', () => {
    expect(refused(() => trainNet(seqNet(), { x, y: [0, 1] }, { ...quiet, loss: "mse" }), "trainNet")).toBe(
      'trainNet: y[0] = 0 is one number, but the net\'s output has 2 values per sequence; loss "mse" needs a target array of 2 values (for class indices use loss "crossentropy")',
    );
    expect(refused(() => evaluate(seqNet(), { x, y: [0, 1] }, "mse"), "evaluate")).toMatch(/^evaluate: y\[0\] = 0 is one number/);
    // a net whose sizes are not known before the first mini-batch: the same check on the first output
    const lazy = netChain([selfAttentionLayer(1, 2), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer()]).initialize({ inputSize: 2 });
    expect(refused(() => trainNet(lazy, { x, y: [0, 1] }, { ...quiet, loss: "mse" }), "trainNet")).toMatch(/^trainNet: y\[0\] = 0 is one number/);
    // integer-valued target arrays are mse targets like any other (they were taken for class indices: a TypeError)
    const run = (y: unknown[]) => trainNet(seqNet().initialize({ seed: 2 }), { x, y: y as never }, { ...quiet, maxEpochs: 3, loss: "mse" }).history.loss;
    expect(run([[1, 0], [0, 1]])).toEqual(run([tensor([1, 0]), tensor([0, 1])]));
    // one number per sequence is the target of a one-value output
    const regression = () => netChain([sequenceInputLayer(2), globalAveragePooling1dLayer(), fullyConnectedLayer(1)]).initialize({ seed: 2 });
    const one = (y: unknown[]) => trainNet(regression(), { x, y: y as never }, { ...quiet, maxEpochs: 3, loss: "mse" }).history.loss;
    expect(one([0.5, -1])).toEqual(one([tensor([0.5]), tensor([-1])]));
    expect(refused(() => trainNet(seqNet(), { x, y: [tensor([[1, 0], [0, 1]]), tensor([[1, 0]])] }, { ...quiet, loss: "mse" }), "trainNet"))
      .toMatch(/^trainNet: y\[0\] has shape \[2, 2\] but the net's output (has 2 values per sequence|"output" is per sequence)/);
  });

  it("targets per step for a net with one output per sequence (and the reverse) name trainNet's y[i], not crossentropy", () => {
    expect(refused(() => trainNet(seqNet(), { x, y: [[0, 1], [1]] }, quiet), "trainNet")).toBe(
      'trainNet: y[0] holds 2 class indices (one per time step), but the net\'s output "output" is per sequence ([B, 2]): give one class index per sequence',
    );
    expect(refused(() => trainNet(seqNet(), { x, y: [0, 1] }, { ...quiet, validationData: { x, y: [[0, 1], [1]] } }), "trainNet")).toMatch(/^trainNet: validationData\.y\[0\] holds 2 class indices/);
    expect(refused(() => evaluate(seqNet(), { x, y: [[0, 1], [1]] }), "evaluate")).toMatch(/^evaluate: y\[0\] holds 2 class indices/);
    const perStep = netChain([sequenceInputLayer(2), fullyConnectedLayer(2), softmaxLayer()]);
    expect(refused(() => trainNet(perStep, { x, y: [[0, 1], 1] as never }, quiet), "trainNet")).toBe(
      'trainNet: y[1] is one class index, but the net\'s output "output" is per time step ([B, T, 2]): give a class index per time step',
    );
    // no step was taken before the refusal
    const net = seqNet().initialize({ seed: 1 });
    const before = Object.values(net.parameters).map((t) => Array.from(t.data));
    refused(() => trainNet(net, { x, y: [1, [0, 1]] as never }, quiet), "trainNet");
    expect(Object.values(net.parameters).map((t) => Array.from(t.data))).toEqual(before);
  });

  it("classify and predict with one [T, C] sequence instead of a list say that a list is expected", () => {
    const message = refused(() => classify(seqNet(), [[1, 2], [3, 4], [5, 6]] as never), "classify");
    expect(message).toBe("classify: sequences must be a list of sequences [Tᵢ, C], but element 0 is [1, 2]; it looks like one sequence [T, C] (3 steps): pass [sequence]");
    expect(refused(() => predict(seqNet(), [[1, 2]] as never), "predict")).toMatch(/pass \[sequence\]$/);
    expect(refused(() => classify(seqNet(), [new Float32Array(2)] as never), "classify")).toMatch(/but element 0 is a Float32Array$/);
    expect(classify(seqNet(), [[[1, 2], [3, 4], [5, 6]]])).toHaveLength(1);
  });

  it("data never take booleans (true is not 1); masks do", () => {
    const value = [[[[true, 2]]]] as never;
    expect(refused(() => dotProductAttention([[[[1, 0]]]], [[[[1, 0]]]], value), "dotProductAttention")).toBe(
      "dotProductAttention: value: expected numbers (booleans only in masks), got true at element [0, 0, 0, 0]",
    );
    refused(() => dotProductAttention([[[[false, 0]]]] as never, [[[[1, 0]]]], [[[[1, 2]]]]), "dotProductAttention");
    refused(() => selfAttentionLayer(1, 2).apply([[1, true]] as never), "selfAttentionLayer");
    refused(() => attentionLayer("Dot").apply({ key: [[1, 0]], value: [[true]], query: [[1, 0]] } as never), "attentionLayer");
    refused(() => trainNet(seqNet(), { x: [[[1, true]]] as never, y: [0] }, quiet), "trainNet");
    // masks take booleans, the same as 1/0: dotProductAttention's mask, attentionMask, a padding-mask input (alone and in a net)
    const k = tensor([[[[1, 0], [0, 1], [1, 1]]]]);
    expect(dotProductAttention(k, k, k, { mask: [[true, false, true]] }).data).toEqual(dotProductAttention(k, k, k, { mask: [[1, 0, 1]] }).data);
    const masked = () => selfAttentionLayer(1, 2, { hasPaddingMaskInput: true }).initialize({ inputSize: 2, seed: 3 });
    const seq = [[1, 2], [3, 4]];
    expect(masked().apply({ in: seq, mask: [true, false] })).toEqual(masked().apply({ in: seq, mask: [1, 0] }));
    expect([...(selfAttentionLayer(1, 2, { attentionMask: [[true, false], [true, true]] }).attentionMask as { data: Float32Array }).data]).toEqual([1, 0, 1, 1]);
    const graph = () => netGraph({ inputs: ["in", "mask"], nodes: { att: masked() }, edges: [["in", "att/in"], ["mask", "att/mask"]] });
    expect(graph().apply({ in: [seq], mask: [[true, false]] })).toEqual(graph().apply({ in: [seq], mask: [[1, 0]] }));
    expect(refused(() => graph().apply({ in: [[[true, 2], [3, 4]]], mask: [[true, false]] } as never), "netGraph")).toMatch(/input "in": expected numbers \(booleans only in masks\), got true/);
    expect(tensor([true, false]).data).toEqual(new Float32Array([1, 0])); // tensor() itself converts them, as documented
  });

  it("an attentionLayer in a multi-input netGraph takes one unbatched example as the layer alone does", () => {
    const graph = () => netGraph({ inputs: ["key", "value", "query"], nodes: { att: attentionLayer("Dot") }, edges: [["key", "att/key"], ["value", "att/value"], ["query", "att/query"]] });
    const example = { key: [[1, 0], [0, 1]], value: [[1], [2]], query: [[1, 1]] };
    const other = { key: [[2, 0], [0, 1], [1, 1]], value: [[1], [2], [5]], query: [[1, 0], [0, 3]] };
    const alone = (e: typeof example) => attentionLayer("Dot").apply(e);
    expect(graph().apply(example)).toEqual(alone(example));
    expect(graph().apply([example, other])).toEqual([alone(example), alone(other)]);
    // a record of batches ([B, N, k]) is still a batch
    const batch = graph().apply({ key: [example.key, example.key], value: [example.value, example.value], query: [example.query, [[0, 2]]] });
    expect(batch).toEqual([alone(example), alone({ ...example, query: [[0, 2]] })]);
    // multiHead ports: one example is [N, h, k]
    const heads = () => netGraph({ inputs: ["key", "value", "query"], nodes: { att: attentionLayer("Dot", { multiHead: true }) }, edges: [["key", "att/key"], ["value", "att/value"], ["query", "att/query"]] });
    const h2 = { key: [[[1, 0], [0, 1]], [[1, 1], [0, 2]]], value: [[[1], [2]], [[3], [4]]], query: [[[1, 0], [1, 1]]] };
    expect(heads().apply(h2)).toEqual(attentionLayer("Dot", { multiHead: true }).apply(h2));
  });
});

describe("a list of sequences where only one array is taken", () => {
  it("names the layer or net and says which inputs pad a list (it was a ragged-array error)", () => {
    const seqs = [[[1, 2], [3, 4]], [[1, 0]]];
    expect(refused(() => lstmLayer(3).apply(seqs), "lstmLayer")).toMatch(/^lstmLayer: input "in" takes one array, not a list of 2 sequences of different lengths: only a net whose input feeds a sequenceInputLayer, or selfAttentionLayer's "in", pads such a list/);
    expect(refused(() => netChain([lstmLayer(3), fullyConnectedLayer(2)]).apply(seqs), "netChain")).toMatch(/^netChain: input "input" takes one array, not a list of 2 sequences/);
    // the forms that stay: one rectangular array, and a list behind a sequenceInputLayer
    expect(lstmLayer(3).apply([[1, 2], [3, 4]])).toHaveLength(2);
    expect(netChain([sequenceInputLayer(2), lstmLayer(3)]).apply(seqs)).toHaveLength(2);
    // one malformed sequence is still a ragged array, not a list
    expect(refused(() => lstmLayer(3).apply([[1, 2], [3]]), "lstmLayer")).toMatch(/ragged nested array/);
    // a net's record whose port holds sequences of different lengths
    const two = netGraph({ inputs: ["a", "b"], nodes: { ia: sequenceInputLayer(2), ib: sequenceInputLayer(2), add: additionLayer(2) }, edges: [["a", "ia"], ["b", "ib"], ["ia", "add/in1"], ["ib", "add/in2"]] });
    expect(refused(() => two.apply({ a: seqs, b: seqs }), "netGraph")).toMatch(/^netGraph: input "a" is a list of 2 sequences of different lengths, which one record cannot batch: pass a list of records \[\{ a, b \}, …\]$/);
    expect(two.apply([{ a: seqs[0], b: seqs[0] }, { a: seqs[1], b: seqs[1] }])).toHaveLength(2);
  });
});
