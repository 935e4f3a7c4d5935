// The calls of the API contract (shared/spec/API.md), written as a user writes them, against the package by its
// name: `npm run typecheck` compiles this file under strict against the published declarations (the package's
// self-reference resolves "attention-layers" to dist/node/index.d.ts), and Vitest runs it (its alias maps the
// name to src/node/index.ts). So a documented call the types refuse fails the type-check, with no cast in
// sight; the expectTypeOf lines pin the result types a user relies on, the runtime lines their shapes.
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  attentionLayer, basicRecurrentLayer, bilstmLayer, characterEncoder, concatenationLayer, deserializeNet, dotProductAttention,
  embeddingLayer, exportOnnx, exportPyTorch, fullyConnectedLayer, generate, getNumThreads, gruLayer, importPyTorchWeights,
  layerNormalizationLayer, loadNet, lstmLayer, netChain, netGraph, ops, ready, saveNet, selfAttentionLayer, sequenceAttentionLayer,
  sequenceInputLayer, serializeNet, setNumThreads, softmaxLayer, tensor, trainNet, valueAndGrad,
  type NestedArray, type NetChain, type NetGraph, type Tensor, type TensorLike, type TrainingHistory, type TypedDecoder,
} from "attention-layers";
import { tempDir } from "../helpers/tempDir.js";

describe("API.md: tensors and autodiff", () => {
  it("tensor, shape, data, toArray, valueAndGrad, ops", () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tensor([[1, 0], [0, 1], [1, 1]]);
    const c = tensor(new Float32Array(6), [3, 2]);
    const shape: readonly number[] = a.shape;
    const data: Float32Array = a.data;
    const nested: NestedArray = a.toArray();
    const { value, grads } = valueAndGrad(() => ops.sum(ops.softmax(ops.add(ops.mul(ops.matmul(a, b), ops.matmul(a, c)), a.shape.length), 1)), [a, b]);
    expectTypeOf(value).toEqualTypeOf<number>();
    expectTypeOf(grads).toEqualTypeOf<Tensor[]>();
    expect([shape, data.length, nested, grads.map((g) => g.shape)]).toEqual([[2, 3], 6, [[1, 2, 3], [4, 5, 6]], [[2, 3], [3, 2]]]);
  });
});

describe("API.md: every layer", () => {
  it("apply (tensor, nested arrays, a list, a TensorLike, a record of ports), initialize, parameters, setParameter, port names", () => {
    const fc = fullyConnectedLayer(2).initialize({ seed: 1, inputSize: 3 });
    expectTypeOf(fc.apply(tensor([[1, 2, 3]]))).toEqualTypeOf<Tensor>();
    expectTypeOf(fc.apply([[1, 2, 3]])).toEqualTypeOf<NestedArray[]>();
    const like: TensorLike = [[1, 2, 3]];
    expect(fc.apply(like)).toEqual([[expect.any(Number), expect.any(Number)]]);
    const weights: Tensor = fc.parameters.weights;
    fc.setParameter("weights", [[1, 0, 0], [0, 1, 0]]);
    fc.setParameter("bias", tensor([0, 0]));
    const names: readonly string[] = [...fc.inputNames, ...fc.outputNames];
    expect([weights.shape, fc.apply([[1, 2, 3]]), names]).toEqual([[2, 3], [[1, 2]], ["in", "out"]]);
    const seq = sequenceAttentionLayer("Dot");
    expect((seq.apply({ input: [[1, 0], [0, 1]], query: [[1, 0]] }) as NestedArray[]).length).toBe(1);
  });
});

describe("API.md: attentionLayer, sequenceAttentionLayer, selfAttentionLayer", () => {
  const key = [[1, 0], [0, 1], [1, 1]], value = [[1], [2], [3]], query = [[1, 0]];

  it("attentionLayer: options, one example, a list, returnWeights, scoringNet", () => {
    const att = attentionLayer("Bilinear", { mask: "none", scoreRescaling: "dimensionSqrt", dropout: 0, multiHead: false });
    attentionLayer("Dot", { mask: "causal", scoreRescaling: "lengthSqrt" });
    attentionLayer("Dot", { mask: { causal: 1 } });
    const example = { key: tensor(key), value: tensor(value), query: tensor(query) };
    const y = att.apply(example);
    expectTypeOf(y).toEqualTypeOf<Tensor>();
    const { output, weights } = att.apply(example, { returnWeights: true });
    expectTypeOf(output).toEqualTypeOf<Tensor>();
    const list = att.apply([{ key, value, query }, { key: [[1, 0]], value: [[4]], query }]);
    expect([y.shape, output.shape, weights.shape, list.length]).toEqual([[1, 1], [1, 1], [1, 3], 2]);
    expect(att.scoringNet).toBeDefined();
  });

  it("sequenceAttentionLayer: one example or a list", () => {
    const seq = sequenceAttentionLayer("Bilinear");
    const y = seq.apply([{ input: [[1, 2], [3, 4]], query: [[1, 0, 0]] }, { input: [[1, 1]], query: [[0, 1, 0], [0, 0, 1]] }]);
    expect(y.map((r) => (r as NestedArray[]).length)).toEqual([1, 2]);
  });

  it("selfAttentionLayer: the options, apply(x), apply({ in, mask }) with scores, the read-only properties", () => {
    const layer = selfAttentionLayer(2, 4, {
      numValueChannels: "auto", outputSize: "auto", inputSize: "auto", hasPaddingMaskInput: true, attentionMask: "causal",
      dropoutProbability: 0, hasScoresOutput: true, weightsInitializer: "glorot", biasInitializer: (shape: number[]) => tensor(new Float32Array(shape.reduce((p, d) => p * d, 1)), shape),
      weightLearnRateFactor: 1, biasLearnRateFactor: 1, weightL2Factor: 1, biasL2Factor: 0, name: "enc",
    });
    const { out, scores } = layer.apply({ in: tensor(new Float32Array(2 * 3 * 4), [2, 3, 4]), mask: [[1, 1, 1], [1, 1, 0]] });
    expectTypeOf(out).toEqualTypeOf<Tensor>();
    expect([out.shape, scores.shape, layer.numHeads, layer.hasScoresOutput, layer.numInputs, layer.name]).toEqual([[2, 3, 4], [2, 2, 3, 3], 2, true, 2, "enc"]);
    const plain = selfAttentionLayer(1, 4).apply(tensor(new Float32Array(12), [3, 4]));
    expectTypeOf(plain).toEqualTypeOf<Tensor>();
  });
});

describe("API.md: the functional kernel and threads", () => {
  it("dotProductAttention with its options, returnWeights; ready, setNumThreads, getNumThreads", async () => {
    await ready();
    const q = tensor(new Float32Array(8), [1, 2, 2, 2]), kv = tensor(new Float32Array(4), [1, 1, 2, 2]);
    const y = dotProductAttention(q, kv, kv, { scale: 0.5, causal: "bottomRight", window: 2, keyLengths: [2], dropout: { rate: 0, seed: 1 }, implementation: "reference" });
    const { output, weights } = dotProductAttention(q, kv, kv, { causal: true, returnWeights: true });
    expectTypeOf(y).toEqualTypeOf<Tensor>();
    const threads = getNumThreads();
    setNumThreads(threads);
    expect([y.shape, output.shape, weights.shape, getNumThreads()]).toEqual([[1, 2, 2, 2], [1, 2, 2, 2], [1, 2, 2, 2], threads]);
  });
});

describe("API.md: nets, training, files, export", () => {
  it("netChain, trainNet → { net, history }, summary, serializeNet/deserializeNet, saveNet/loadNet, exportOnnx, exportPyTorch, importPyTorchWeights", () => {
    const net = netChain([sequenceInputLayer(2), selfAttentionLayer(1, 2), layerNormalizationLayer(), fullyConnectedLayer(2), softmaxLayer()]);
    const x = [tensor([[1, 0], [0, 1]]), tensor([[0, 1]])];
    const { net: trained, history } = trainNet(net, { x, y: [[0, 1], [1]] }, { maxEpochs: 1, verbose: false });
    expectTypeOf(trained).toEqualTypeOf<NetChain>();
    expectTypeOf(history).toEqualTypeOf<TrainingHistory>();
    const summary: string = net.summary();
    const copy = deserializeNet<NetChain>(serializeNet(net));
    const path = join(tempDir("api-contract"), "net.safetensors");
    saveNet(net, path);
    const loaded = loadNet<NetChain>(path);
    const each = loaded.predict(x);
    expectTypeOf(each).toEqualTypeOf<Tensor[]>();
    expect(copy.predict(x[0]).data).toEqual(net.predict(x[0]).data);
    const onnx: Uint8Array = exportOnnx(net, { name: "net", docString: "a net" });
    const { code, weights } = exportPyTorch(net);
    importPyTorchWeights(net, weights);
    expect([summary.length > 0, each.map((t) => t.shape), onnx.length > 0, code.includes("class Net")]).toEqual([true, [[2, 2], [1, 2]], true, true]);
  });

  it("netGraph: net.nodes.fc.apply, predict of a list of records, a loaded NetGraph", () => {
    const net = netGraph({
      inputs: ["key", "query"], nodes: { s: sequenceAttentionLayer("Dot"), fc: fullyConnectedLayer(3) },
      edges: [["key", "s/input"], ["query", "s/query"], ["s", "fc"]],
    }).initialize({ seed: 2, keySize: 2, querySize: 2 });
    const records = [{ key: tensor([[1, 0], [0, 1]]), query: tensor([[1, 0]]) }, { key: tensor([[1, 1]]), query: tensor([[0, 1]]) }];
    const each = net.predict(records);
    expectTypeOf(each).toEqualTypeOf<Tensor[]>();
    const inner = net.nodes.fc.apply(tensor([[1, 2]])); // the node as the spec gave it: a FullyConnectedLayer
    expectTypeOf(inner).toEqualTypeOf<Tensor>();
    const kinds: string[] = net.order.map((n) => net.nodes[n].kind); // the wiring walked by name (a string): every node is a Layer
    expect(kinds).toEqual(["sequenceAttentionLayer", "fullyConnectedLayer"]);
    const graph = deserializeNet<NetGraph>(serializeNet(net));
    const out = graph.predict(records[0]); // NetGraph: output names unknown to the types, so a value or a record
    expect([each.map((t) => t.shape), inner.shape, out instanceof Object]).toEqual([[[1, 3], [1, 3]], [1, 3], true]);
  });
});

describe("API.md: autoregressive use", () => {
  const text = characterEncoder({ characters: "abc " });
  const lm = () => netChain([embeddingLayer(8, text.size), selfAttentionLayer(2, 8, { attentionMask: "causal" }), fullyConnectedLayer(text.size)]).initialize({ seed: 1, inputSize: 1 });

  it("startDecoding({ batch, capacity }), next (a Tensor for a one-output net), position, fork, generate", () => {
    const net = lm();
    const dec = net.startDecoding({ capacity: 4 });
    expectTypeOf(dec).toEqualTypeOf<TypedDecoder<"output">>();
    const first = dec.next([0, 1, 2]);
    expectTypeOf(first).toEqualTypeOf<Tensor>();
    const fork: TypedDecoder<"output"> = dec.fork();
    const selected: TypedDecoder<"output"> = dec.select([0]); // select keeps the net's output type as fork does
    const a = dec.next([3]), b = fork.next([3]);
    expectTypeOf(selected.next([3])).toEqualTypeOf<Tensor>();
    const batch = net.startDecoding({ batch: 2, capacity: 8 });
    const rows = batch.next([[0, 1], [2]]); // a list of sequences: one result each
    expect([first.shape, a.data, dec.position, fork.position, batch.position]).toEqual([[3, text.size], b.data, 4, 4, [2, 1]]);
    expect(Array.isArray(rows) && rows.length).toBe(2);
    const ids: number[] = generate(net, [0, 1], { maxNewTokens: 3, temperature: 0.8, topK: 2, topP: 0.9, seed: 3, stop: [3], onToken: () => {} });
    const words: string = generate(net, "ab", { maxNewTokens: 2, temperature: 0, encoder: text });
    expect([ids.length <= 3, typeof words]).toEqual([true, "string"]);
  });
});

describe("API.md: recurrent layers and multi-input training", () => {
  it("lstmLayer, gruLayer (reset-gate modes, bidirectional), basicRecurrentLayer, bilstmLayer: options, state ports, parameters", () => {
    const lstm = lstmLayer(3, { outputMode: "last", hasStateInputs: true, hasStateOutputs: true, inputSize: 2, name: "enc" }).initialize({ seed: 1 });
    const gru = gruLayer(3, { outputMode: "sequence", hasStateInputs: false, hasStateOutputs: false, resetGateMode: "recurrent-bias-after-multiplication" });
    gruLayer(3, { resetGateMode: "before-multiplication", bidirectional: true });
    gruLayer(3, { resetGateMode: "after-multiplication" });
    const rnn = basicRecurrentLayer(3, { bidirectional: true });
    const bi = bilstmLayer(3, { outputMode: "last" });
    const iw: Tensor = lstm.parameters.inputWeights;
    const states = lstm.apply({ in: tensor(new Float32Array(8), [2, 2, 2]), hidden: tensor(new Float32Array(6), [2, 3]), cell: tensor(new Float32Array(6), [2, 3]) });
    expect(states).toHaveProperty("hidden");
    expect([iw.shape, lstm.parameters.recurrentWeights.shape, lstm.parameters.bias.shape, lstm.inputNames, lstm.outputNames]).toEqual([[12, 2], [12, 3], [12], ["in", "hidden", "cell"], ["out", "hidden", "cell"]]);
    expect([gru.kind, rnn.kind, bi.kind]).toEqual(["gruLayer", "basicRecurrentLayer", "bilstmLayer"]);
  });

  it("trainNet on a two-input net: a list of records by port, and a record of lists", () => {
    const net = netGraph({
      inputs: ["in", "dec"],
      nodes: { a: sequenceInputLayer(2), b: sequenceInputLayer(2), enc: gruLayer(4), decoder: lstmLayer(4), att: attentionLayer("Dot"), cat: concatenationLayer(1, 2), fc: fullyConnectedLayer(2) },
      edges: [["in", "a"], ["dec", "b"], ["a", "enc"], ["b", "decoder"], ["enc", "att/key"], ["enc", "att/value"], ["decoder", "att/query"], ["decoder", "cat/in1"], ["att", "cat/in2"], ["cat", "fc"]],
    });
    const seqs = [[[1, 0], [0, 1]], [[0, 1]]];
    const options = { maxEpochs: 1, loss: "crossentropy-logits", verbose: false } as const;
    const records = trainNet(net, { x: seqs.map((s) => ({ in: s, dec: s })), y: [[0, 1], [1]] }, options);
    const lists = trainNet(net, { x: { in: seqs, dec: seqs }, y: [[0, 1], [1]] }, options);
    expect([records.history.epoch.length, lists.history.epoch.length]).toEqual([1, 1]);
  });
});
