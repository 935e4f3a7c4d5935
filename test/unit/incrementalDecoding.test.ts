// Incremental decoding (net.startDecoding): for every split of a sequence into consecutive next() calls, the
// concatenated outputs equal net.predict on the whole sequence; forks continue independently; nets and layers
// that cannot decode are refused by name.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, bilstmLayer, concatenationLayer, dropoutLayer, type AttentionLayerOptions, embeddingLayer, fullyConnectedLayer, geluLayer, globalAveragePooling1dLayer, layerNormalizationLayer,
  netChain, netGraph, positionEmbeddingLayer, Random, selfAttentionLayer, sequenceAttentionLayer, sequenceInputLayer, SimpleLayer, Tensor, type Decoder, type Layer, type NetGraph,
} from "../../src/index.js";
import { KeyValueCache } from "../../src/decode/keyValueCache.js";
import { residentAttentionRuns } from "../../src/decode/cachedAttention.js";
import { stepProgramRuns } from "../../src/decode/stepProgram.js";
import { compositions, decodeInPieces } from "../helpers/decoding.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

const random = new Random(16);

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) => expectClose(Float32Array.from(actual), expected, 1e-5, 1e-6, what);

/** A token-id transformer: embedding + position embedding (added), `blocks` pre-norm blocks with residuals, logits. */
function transformer(vocabulary: number, size: number, heads: number, blocks: number, maxPosition: number): NetGraph {
  const nodes: Record<string, Layer> = {
    tokens: embeddingLayer(size, vocabulary), positions: positionEmbeddingLayer(size, maxPosition), embedded: additionLayer(2),
  };
  const edges: [string, string][] = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"]];
  let last = "embedded";
  for (let b = 1; b <= blocks; b++) {
    Object.assign(nodes, {
      [`norm${b}a`]: layerNormalizationLayer(), [`attention${b}`]: selfAttentionLayer(heads, size, { attentionMask: "causal" }), [`residual${b}a`]: additionLayer(2),
      [`norm${b}b`]: layerNormalizationLayer(), [`up${b}`]: fullyConnectedLayer(2 * size), [`gelu${b}`]: geluLayer(), [`down${b}`]: fullyConnectedLayer(size), [`residual${b}b`]: additionLayer(2),
    });
    edges.push([last, `norm${b}a`], [`norm${b}a`, `attention${b}`], [last, `residual${b}a/in1`], [`attention${b}`, `residual${b}a/in2`],
      [`residual${b}a`, `norm${b}b`], [`norm${b}b`, `up${b}`], [`up${b}`, `gelu${b}`], [`gelu${b}`, `down${b}`], [`residual${b}a`, `residual${b}b/in1`], [`down${b}`, `residual${b}b/in2`]);
    last = `residual${b}b`;
  }
  Object.assign(nodes, { head: fullyConnectedLayer(vocabulary) });
  edges.push([last, "head"]);
  return netGraph({ nodes, edges }).initialize({ seed: 3, inputSize: 1 });
}

/** input [T, 5] → query (4), key (keySize) and value (2) projections → `attention` (key, value, query ports). */
function selfAttentionGraph(attention: Layer, keySize = 4): NetGraph {
  return netGraph({
    nodes: { in: sequenceInputLayer(5), q: fullyConnectedLayer(4), k: fullyConnectedLayer(keySize), v: fullyConnectedLayer(2), attention },
    edges: [["input", "in"], ["in", "q"], ["in", "k"], ["in", "v"], ["q", "attention/query"], ["k", "attention/key"], ["v", "attention/value"]],
  }).initialize({ seed: 2 });
}

const tokens = (T: number, vocabulary: number) => Array.from({ length: T }, () => random.int(vocabulary));
/** net.predict on one id sequence, as [T, V] data (the net takes a batch [1, T, 1]: an embeddingLayer reads [1, 1] as one position per row). */
const predictIds = (net: NetGraph, ids: number[]) => (net.predict(new Tensor(Float32Array.from(ids), [1, ids.length, 1])) as Tensor).data;

describe("incremental decoding equals the whole-sequence prediction", () => {
  for (const [heads, key, C, T] of [[1, 3, 5, 1], [1, 3, 5, 7], [2, 6, 5, 7], [2, 4, 3, 7]] as const) {
    it(`selfAttentionLayer alone in a chain: ${heads} head(s), key channels ${key}, C = ${C}, every split of T = ${T}`, () => {
      const net = netChain([sequenceInputLayer(C), selfAttentionLayer(heads, key, { attentionMask: "causal", outputSize: 4 })]).initialize({ seed: 1 });
      const x = randomTensor([T, C], random);
      const whole = (net.predict(x) as Tensor).data;
      for (const pieces of compositions(T)) close(decodeInPieces(net.startDecoding({ capacity: 2 }), x, pieces), whole, `pieces ${pieces}`);
    });
  }

  const attentionVariants: [string, "Dot" | "Bilinear", AttentionLayerOptions][] = [
    ["Dot, causal", "Dot", { mask: "causal" }],
    ["Bilinear, causal, lengthSqrt", "Bilinear", { mask: "causal", scoreRescaling: "lengthSqrt" }],
    ["Dot, causal window 3, dimensionSqrt", "Dot", { mask: { causal: 3 }, scoreRescaling: "dimensionSqrt" }],
    ["Bilinear, causal window 2, lengthSqrt", "Bilinear", { mask: { causal: 2 }, scoreRescaling: "lengthSqrt" }],
  ];
  for (const [what, scoring, options] of attentionVariants) {
    it(`attentionLayer used as self-attention (${what}): every split of T = 6`, () => {
      const net = selfAttentionGraph(attentionLayer(scoring, options), scoring === "Dot" ? 4 : 3);
      const x = randomTensor([6, 5], random);
      const whole = (net.predict(x) as Tensor).data;
      for (const pieces of compositions(6)) close(decodeInPieces(net.startDecoding({ capacity: 1 }), x, pieces), whole, `pieces ${pieces}`);
    });
  }

  it("sequenceAttentionLayer (one port for keys and values) with a causal mask: every split of T = 6", () => {
    const net = netGraph({
      nodes: { in: sequenceInputLayer(5), q: fullyConnectedLayer(4), k: fullyConnectedLayer(3), attention: sequenceAttentionLayer("Bilinear", { mask: "causal", scoreRescaling: "lengthSqrt" }) },
      edges: [["input", "in"], ["in", "q"], ["in", "k"], ["q", "attention/query"], ["k", "attention/input"]],
    }).initialize({ seed: 4 });
    const x = randomTensor([6, 5], random);
    const whole = (net.predict(x) as Tensor).data;
    for (const pieces of compositions(6)) close(decodeInPieces(net.startDecoding({ capacity: 1 }), x, pieces), whole, `pieces ${pieces}`);
  });

  it("a chain nested in a chain, with dropout (off at inference) and concatenation: every split of T = 5", () => {
    const inner = netGraph({
      nodes: { a: selfAttentionLayer(2, 4, { attentionMask: "causal", dropoutProbability: 0.5 }), drop: dropoutLayer(0.3), both: concatenationLayer(1, 2) },
      edges: [["input", "a"], ["a", "drop"], ["drop", "both/in1"], ["input", "both/in2"]],
    });
    const net = netChain([sequenceInputLayer(3), inner, fullyConnectedLayer(2)]).initialize({ seed: 5 });
    const x = randomTensor([5, 3], random);
    const whole = (net.predict(x) as Tensor).data;
    for (const pieces of compositions(5)) close(decodeInPieces(net.startDecoding(), x, pieces), whole, `pieces ${pieces}`);
  });

  it("a 2-block pre-norm transformer graph with embedding + position embedding: every split of T = 7", () => {
    const net = transformer(11, 8, 2, 2, 16);
    const ids = tokens(7, 11);
    const whole = predictIds(net, ids);
    const resident = residentAttentionRuns(), programs = stepProgramRuns();
    for (const pieces of compositions(7)) close(decodeInPieces(net.startDecoding({ capacity: 3 }), new Tensor(Float32Array.from(ids), [7]), pieces), whole, `pieces ${pieces}`);
    // pieces of one position ran as step programs (src/decode/stepProgram.ts), the others layer by layer; both attend over the caches' copies in kernel memory
    const singles = compositions(7).flat().filter((n) => n === 1).length;
    expect(stepProgramRuns() - programs, "one-position pieces that ran as step programs").toBe(singles);
    expect(residentAttentionRuns() - resident, "the other pieces attended over the caches' copies in kernel memory").toBe(2 * (256 - singles)); // 2 layers × the 256 pieces of the 64 splits of 7
  });

  it("a prompt longer than one kernel block (70 positions): at once, one by one, and in uneven pieces", () => {
    const net = transformer(13, 8, 2, 1, 80);
    const ids = tokens(70, 13);
    const whole = predictIds(net, ids);
    const x = new Tensor(Float32Array.from(ids), [70]);
    for (const pieces of [[70], new Array(70).fill(1), [33, 1, 1, 35], [1, 64, 5]]) close(decodeInPieces(net.startDecoding(), x, pieces), whole, `pieces ${pieces.length}`);
  });

  it("a batch of prompts of different lengths, then one token per row per call", () => {
    const net = transformer(9, 8, 2, 2, 32);
    const prompts = [tokens(5, 9), tokens(2, 9), tokens(8, 9)];
    const continuations = [tokens(3, 9), tokens(3, 9), tokens(3, 9)];
    const decoder = net.startDecoding({ batch: 3 });
    const got: number[][] = [[], [], []];
    const first = decoder.next(prompts.map((p) => Float32Array.from(p)).map((p) => new Tensor(p, [p.length]))) as Tensor[];
    first.forEach((y, b) => { expect(y.shape).toEqual([prompts[b].length, 9]); got[b].push(...y.data); });
    for (let step = 0; step < 3; step++) {
      const y = decoder.next(continuations.map((c) => [c[step]])) as Tensor; // a rectangular [B, 1] batch
      expect(y.shape).toEqual([3, 1, 9]);
      for (let b = 0; b < 3; b++) got[b].push(...y.data.subarray(b * 9, (b + 1) * 9));
    }
    expect(decoder.position).toEqual(prompts.map((p) => p.length + 3));
    for (let b = 0; b < 3; b++) close(got[b], predictIds(net, [...prompts[b], ...continuations[b]]), `row ${b + 1}`);
  });

  it("fork() continues independently of the original", () => {
    const net = transformer(7, 8, 2, 1, 16);
    const prompt = tokens(4, 7), a = tokens(3, 7), b = tokens(2, 7);
    const original = net.startDecoding({ capacity: 4 });
    original.next(prompt);
    const copy = original.fork();
    const fromOriginal = original.next(a) as Tensor;
    const fromCopy = copy.next(b) as Tensor; // would see a's keys if the caches were shared
    expect(copy.position).toBe(6);
    expect(original.position).toBe(7);
    close(fromOriginal.data, predictIds(net, [...prompt, ...a]).slice(4 * 7), "original");
    close(fromCopy.data, predictIds(net, [...prompt, ...b]).slice(4 * 7), "fork");
  });
});

describe("the key/value cache", () => {
  it("grows by doubling past its capacity and keeps what it held; clone() is a deep copy", () => {
    const cache = new KeyValueCache(2, 1, 2, 1, 2);
    const k = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [2, 1, 3, 2]);
    const v = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 1, 3, 1]);
    cache.append(1, k, v, 3);
    expect(cache.capacity).toBe(4);
    const copy = cache.clone();
    cache.append(1, k, v, 2);
    expect(cache.capacity).toBe(8);
    expect(cache.lengths).toEqual([0, 5]);
    expect(Array.from(cache.read(1).keys.data)).toEqual([7, 8, 9, 10, 11, 12, 7, 8, 9, 10]);
    expect(Array.from(cache.read(1).values.data)).toEqual([4, 5, 6, 4, 5]);
    expect(copy.lengths).toEqual([0, 3]);
    expect(Array.from(copy.read(1).keys.data)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it("select(rows): row i of the result is a copy of row rows[i] (repeats allowed)", () => {
    const cache = new KeyValueCache(2, 1, 2, 1, 2);
    const k = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [2, 1, 3, 2]);
    const v = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 1, 3, 1]);
    cache.append(0, k, v, 1);
    cache.append(1, k, v, 2);
    const picked = cache.select([1, 1, 0]);
    expect(picked.batch).toBe(3);
    expect(picked.lengths).toEqual([2, 2, 1]);
    expect(Array.from(picked.read(0).keys.data)).toEqual([7, 8, 9, 10]);
    expect(Array.from(picked.read(1).values.data)).toEqual([4, 5]);
    expect(Array.from(picked.read(2).keys.data)).toEqual([1, 2]);
    picked.append(0, k, v, 1); // the copy grows alone
    expect(cache.lengths).toEqual([1, 2]);
  });
});

describe("decoding refusals", () => {
  const C = 4;
  const chainWith = (...layers: Parameters<typeof netChain>[0]) => netChain([sequenceInputLayer(C), ...layers]).initialize({ seed: 1 });
  it("non-causal self-attention, custom masks, padding mask inputs, scores outputs", () => {
    expect(() => chainWith(selfAttentionLayer(1, 4)).startDecoding()).toThrow(/node "2": selfAttentionLayer: cannot decode step by step: its attentionMask is "none".*attentionMask "causal"/);
    const custom = [[true, false], [true, true]];
    expect(() => chainWith(selfAttentionLayer(1, 4, { attentionMask: custom })).startDecoding()).toThrow(/attentionMask is a custom mask/);
    const masked = netGraph({ nodes: { a: selfAttentionLayer(1, 4, { attentionMask: "causal", hasPaddingMaskInput: true }) }, edges: [["input", "a/in"], ["mask", "a/mask"]], inputs: ["input", "mask"] });
    masked.initialize({ inputSize: C, maskSize: 1 });
    expect(() => masked.startDecoding()).toThrow(/node "a": selfAttentionLayer: cannot decode step by step: it has a padding mask input/);
    expect(() => masked.startState(1, 4)).toThrow(/it has a padding mask input/);
  });
  it("attentionLayer without a causal mask, with a custom scoring net, or multiHead", () => {
    expect(() => selfAttentionGraph(attentionLayer("Dot")).startDecoding()).toThrow(/node "attention": attentionLayer: cannot decode step by step: its mask is "none"/);
    const custom = netGraph({ nodes: { s: additionLayer(2) }, edges: [["input", "s/in1"], ["query", "s/in2"]], inputs: ["input", "query"] });
    expect(() => attentionLayer(custom as never, { mask: "causal" }).startState(1, 4)).toThrow(/custom scoring net/);
    expect(() => attentionLayer("Dot", { mask: "causal", multiHead: true }).startState(1, 4)).toThrow(/multiHead attention cannot decode yet/);
  });

  it("a layer of one's own is not taken as position-wise unless it says so", () => {
    class Reversed extends SimpleLayer { // reverses the time axis: position t depends on later ones
      readonly kind = "reversedLayer";
      protected channelsOut(c: number) { return c; }
      protected compute(x: Tensor) { return { x: new Tensor(x.data.slice().reverse(), x.shape) }; }
    }
    expect(() => chainWith(new Reversed()).startDecoding()).toThrow(/node "2": reversedLayer: cannot decode step by step \(it has no step form\)/);
    class Doubled extends SimpleLayer {
      readonly kind = "doubledLayer";
      protected override readonly positionWise = true;
      protected channelsOut(c: number) { return c; }
      protected compute(x: Tensor) { return { x: new Tensor(x.data.map((v) => 2 * v), x.shape) }; }
    }
    const x = randomTensor([3, C], random);
    expect(Array.from((chainWith(new Doubled()).startDecoding().next(x) as Tensor).data)).toEqual(Array.from(x.data, (v) => Math.fround(2 * v)));
  });

  it("layers that mix the whole sequence, and an uninitialized net", () => {
    expect(() => chainWith(globalAveragePooling1dLayer()).startDecoding()).toThrow(/globalAveragePooling1dLayer.*cannot decode step by step: it averages over the whole sequence/);
    expect(() => chainWith(bilstmLayer(3)).startDecoding()).toThrow(/bilstmLayer.*cannot decode step by step: it is bidirectional/);
    expect(() => netChain([sequenceInputLayer(C), selfAttentionLayer(1, 4, { attentionMask: "causal" })]).startDecoding()).toThrow(/not initialized/);
    expect(() => chainWith(selfAttentionLayer(1, 4, { attentionMask: "causal" })).startDecoding({ batch: 0 })).toThrow(/batch must be a positive integer/);
  });
  it("positions past maxPosition, naming both lengths; the failed call changes nothing", () => {
    const net = transformer(5, 8, 2, 1, 6);
    const decoder = net.startDecoding();
    decoder.next([1, 2, 3, 4]);
    expect(() => decoder.next([1, 2, 3])).toThrow(/node "positions": positionEmbeddingLayer: decoding would reach position 7 but maxPosition is 6; keep prompt and generated tokens within 6 positions/);
    expect(decoder.position).toBe(4);
    close((decoder.next([0, 1]) as Tensor).data, predictIds(net, [1, 2, 3, 4, 0, 1]).slice(4 * 5), "after the refused call");
  });
  it("a batch of the wrong size or shape", () => {
    const net = transformer(5, 8, 2, 1, 6);
    expect(() => net.startDecoding({ batch: 2 }).next([1, 2])).toThrow(/started for 2 sequences but got 1/);
    expect(() => net.startDecoding().next([[[1, 2]]])).toThrow(/token ids \[Tnew\], \[B, Tnew\]/); // ([[[1]]], [B, Tnew, 1], is the column form of ids)
  });
});
