// Token ids at a net's input (one that feeds an embeddingLayer): one rule everywhere a net reads examples
// (src/layers/applyInput.ts, idColumn): one example is [T] or the one-channel column [T, 1]; a net carries ids as
// sequences with their lengths (so padding in a mini-batch is masked); the size of an id input is known (1).
import { describe, expect, it } from "vitest";
import { beamSearch, evaluate, netGraph, embeddingLayer, gruLayer, fullyConnectedLayer, Random, Tensor, trainNet } from "../../src/index.js";
import { expectClose } from "../helpers/numeric.js";
import { bahdanauNet, predictPair, randomIds } from "../helpers/seq2seq.js";

const V = 5;
const random = new Random(31);
const column = (ids: readonly number[]) => ids.map((id) => [id]);
const sources = [randomIds(5, V, random), randomIds(2, V, random), randomIds(3, V, random), randomIds(1, V, random)];
const previous = sources.map(() => randomIds(3, V, random));
const targets = sources.map(() => randomIds(3, V, random));

describe("token ids [T] or [T, 1]", () => {
  it("trainNet takes either form and trains the same", () => {
    const run = (form: (ids: number[]) => number[] | number[][]) => {
      const net = bahdanauNet();
      const x = sources.map((s, i) => ({ source: form(s), previous: form(previous[i]) }));
      const { history } = trainNet(net, { x, y: targets }, { loss: "crossentropy-logits", maxEpochs: 2, miniBatchSize: 2, seed: 3, verbose: false });
      return { loss: history.loss, weights: Object.values(net.parameters).map((t) => Array.from(t.data)) };
    };
    const flat = run((ids) => ids), col = run(column);
    expect(flat.loss.every(Number.isFinite)).toBe(true);
    expect(flat).toEqual(col);
  });

  it("a mini-batch of id sequences of different lengths gives each example its own result (padding masked)", () => {
    const net = bahdanauNet();
    const data = { x: sources.map((s, i) => ({ source: s, previous: previous[i] })), y: targets };
    const together = evaluate(net, data, "crossentropy-logits", 4), alone = evaluate(net, data, "crossentropy-logits", 1);
    expectClose([together.loss], [alone.loss], 1e-5, 1e-6, "loss of one padded batch vs examples alone");
  });

  it("a training step on a padded mini-batch of ids is the mean of the examples' steps (gradients masked too)", () => {
    // sgdm without momentum or L2: w₁ = w₀ − lr·ḡ, and ḡ over two examples of equal target lengths is the mean of theirs
    const options = { loss: "crossentropy-logits" as const, solver: "sgdm" as const, momentum: 0, l2Regularization: 0, learnRate: 0.5, maxEpochs: 1, shuffle: "never" as const, verbose: false };
    const stepOn = (indices: number[]) => {
      const net = bahdanauNet();
      trainNet(net, { x: indices.map((i) => ({ source: sources[i], previous: previous[i] })), y: indices.map((i) => targets[i]) }, { ...options, miniBatchSize: indices.length });
      return Object.values(net.parameters).map((t) => Array.from(t.data));
    };
    const both = stepOn([0, 1]), a = stepOn([0]), b = stepOn([1]); // sources of lengths 5 and 2
    both.forEach((w, k) => expectClose(w, w.map((_, j) => (a[k][j] + b[k][j]) / 2), 1e-4, 1e-5, `parameter ${k}`));
  });

  it("startDecoding takes fixed id rows [Tᵢ, 1] in a list, and a [B, T, 1] batch, as their [Tᵢ] and [B, T] forms", () => {
    const net = bahdanauNet();
    const step = (inputs: Record<string, unknown>, B: number) => net.startDecoding({ inputs: inputs as never }).next(new Tensor(new Float32Array(B), [B, 1])) as Tensor;
    const listRows = step({ source: sources.map(column) }, 4), listFlat = step({ source: sources }, 4);
    expect(Array.from(listRows.data)).toEqual(Array.from(listFlat.data));
    const same = sources.slice(0, 1).concat([sources[0]]);
    const batch3 = step({ source: new Tensor(Float32Array.from(same.flat()), [2, 5, 1]) }, 2), batch2 = step({ source: new Tensor(Float32Array.from(same.flat()), [2, 5]) }, 2);
    expect(Array.from(batch3.data)).toEqual(Array.from(batch2.data));
    // and the decoder's steps equal predict on the pair
    const first = predictPair(net, sources[0], [0]);
    expectClose(listRows.data.subarray(0, V), first.data, 1e-5, 1e-6, "row 1, step 1");
  });

  it("beamSearch takes its one source as [T] or [T, 1]", () => {
    const net = bahdanauNet();
    const search = (source: unknown) => beamSearch(net, { inputs: { source: source as number[] }, start: 0, beamWidth: 3, maxNewTokens: 4 });
    expect(search(column(sources[0]))).toEqual(search(sources[0]));
  });

  it("next() takes the new ids of a batch as [B, Tnew, 1] too", () => {
    const net = bahdanauNet();
    const a = net.startDecoding({ inputs: { source: [sources[0]] } }), b = net.startDecoding({ inputs: { source: [sources[0]] } });
    const ya = a.next([previous[0]]) as Tensor, yb = b.next([column(previous[0])]) as Tensor;
    expect(yb.shape).toEqual([1, 3, V]);
    expect(Array.from(yb.data)).toEqual(Array.from(ya.data));
  });
});

describe("the size of an id input is known", () => {
  const build = () => netGraph({
    inputs: ["source", "previous"],
    nodes: { a: embeddingLayer(3, V), b: embeddingLayer(3, V), encoder: gruLayer(4), decoder: gruLayer(4), fc: fullyConnectedLayer(V) },
    edges: [["source", "a"], ["a", "encoder"], ["previous", "b"], ["b", "decoder"], ["encoder", "fc"]],
    outputs: { output: "fc", state: "decoder" },
  });

  it("initialize({ seed }) infers 1 channel for inputs that feed embeddingLayers", () => {
    const inferred = build().initialize({ seed: 5 }), given = build().initialize({ seed: 5, sourceSize: 1, previousSize: 1 });
    expect(inferred.isInitialized).toBe(true);
    expect(Object.keys(inferred.parameters)).toEqual(Object.keys(given.parameters));
    for (const [name, t] of Object.entries(inferred.parameters)) expect(Array.from(t.data), name).toEqual(Array.from(given.parameters[name].data));
    expect(inferred.isIdInput("source") && inferred.isIdInput("previous")).toBe(true);
  });

  it("a graph input that feeds no embeddingLayer still needs its size", () => {
    const net = netGraph({ nodes: { fc: fullyConnectedLayer(2) }, edges: [["input", "fc"]] });
    expect(net.isIdInput("input")).toBe(false);
    expect(() => net.initialize({ seed: 1 })).toThrow(/the size of graph input "input" is unknown; pass inputSize/);
  });
});
