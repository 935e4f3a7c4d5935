// Bad input at every public entry point (issue 10): each probe must throw a plain Error whose message starts
// with the function or layer called and never names an internal op, class or JS runtime failure. The issue's
// own examples also check the exact option, expected and received values.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, classify, dotProductAttention, dropoutLayer, embeddingLayer, fullyConnectedLayer, globalAveragePooling1dLayer,
  layerNormalizationLayer, lstmLayer, netChain, netGraph, positionEmbeddingLayer, predict, selfAttentionLayer, sequenceAttentionLayer,
  sequenceInputLayer, serializeNet, softmaxLayer, tensor, valueAndGrad, zeros, padSequences, crossentropy, mse, argmaxRows, evaluate,
  registerAttentionKernel, referenceKernel, ops,
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
    expect(refused(() => attentionLayer("Dot").apply({ key: [[1]], value: [[1]], query: [[1]] }, { seed: "abc" as never }), "attentionLayer")).toMatch(/seed must be a finite number, got "abc"/);
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
