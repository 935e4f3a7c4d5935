// generate(net, prompt, options): the decoder-driven loop against a loop over net.predict on the growing
// sequence (the same choices: argmax, or the same seeded draws), stop sequences, streaming and cancellation,
// text prompts through an encoder, and refusals.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, beamSearch, characterEncoder, embeddingLayer, fullyConnectedLayer, generate, generateStream, layerNormalizationLayer, netChain, netGraph,
  positionEmbeddingLayer, Random, sampleToken, selfAttentionLayer, softmaxLayer, Tensor, type NetGraph, type SamplingOptions,
} from "../../src/index.js";
import { bahdanauNet, predictPair, randomIds } from "../helpers/seq2seq.js";

const V = 6;

/** A one-block causal language model over V tokens, ending in logits or (with softmax) probabilities. */
function languageModel(withSoftmax: boolean, maxPosition = 40): NetGraph {
  const nodes = {
    tokens: embeddingLayer(8, V), positions: positionEmbeddingLayer(8, maxPosition), embedded: additionLayer(2),
    norm: layerNormalizationLayer(), attention: selfAttentionLayer(2, 8, { attentionMask: "causal" }), residual: additionLayer(2),
    head: fullyConnectedLayer(V), ...(withSoftmax ? { probabilities: softmaxLayer() } : {}),
  };
  const edges: [string, string][] = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"],
    ["embedded", "norm"], ["norm", "attention"], ["embedded", "residual/in1"], ["attention", "residual/in2"], ["residual", "head"]];
  if (withSoftmax) edges.push(["head", "probabilities"]);
  return netGraph({ nodes, edges }).initialize({ seed: 7, inputSize: 1 });
}

/** The oracle: rerun net.predict on the whole growing sequence and choose from its last row each time. */
function predictLoop(net: NetGraph, prompt: number[], n: number, options: SamplingOptions, seed: number): number[] {
  const random = new Random(seed), ids = prompt.slice();
  for (let i = 0; i < n; i++) {
    const y = net.predict(new Tensor(Float32Array.from(ids), [1, ids.length, 1])) as Tensor; // [1, T, V] (ids as [1, T, 1]: an embeddingLayer reads [1, 1] as one position per row)
    ids.push(sampleToken(y.data.subarray((ids.length - 1) * V, ids.length * V), options, random));
  }
  return ids.slice(prompt.length);
}

describe("generate", () => {
  for (const withSoftmax of [false, true]) {
    const net = languageModel(withSoftmax);
    const input = withSoftmax ? "probabilities" : "logits";
    it(`greedy (temperature 0) equals an argmax loop over net.predict (net ends in ${input})`, () => {
      expect(generate(net, [1, 4, 2], { maxNewTokens: 12, temperature: 0 })).toEqual(predictLoop(net, [1, 4, 2], 12, { temperature: 0, input }, 0));
    });
    it(`sampling with topK / topP draws what the predict loop draws with the same seed (net ends in ${input})`, () => {
      for (const options of [{ temperature: 1.5 }, { temperature: 0.9, topK: 3 }, { temperature: 1.2, topP: 0.8 }]) {
        expect(generate(net, [3], { maxNewTokens: 15, seed: 5, ...options })).toEqual(predictLoop(net, [3], 15, { ...options, input }, 5));
      }
    });
  }

  const net = languageModel(false);
  it("the same seed gives the same tokens; other seeds give others", () => {
    const draw = (seed: number) => generate(net, [2, 2], { maxNewTokens: 20, temperature: 2, seed });
    expect(draw(11)).toEqual(draw(11));
    expect(new Set([1, 2, 3, 4].map((s) => draw(s).join())).size).toBeGreaterThan(1);
  });

  it("maxNewTokens bounds the length; stop ids and id sequences end generation and are left out", () => {
    const all = generate(net, [0], { maxNewTokens: 25, temperature: 2, seed: 3 });
    expect(all).toHaveLength(25);
    const stopAt = all[6], first = all.indexOf(stopAt);
    expect(generate(net, [0], { maxNewTokens: 25, temperature: 2, seed: 3, stop: stopAt })).toEqual(all.slice(0, first));
    const pair = all.slice(4, 6);
    const end = all.findIndex((_, i) => i >= 1 && all[i - 1] === pair[0] && all[i] === pair[1]);
    const tooLong = new Array<number>(26).fill(0); // longer than any output: never matches
    expect(generate(net, [0], { maxNewTokens: 25, temperature: 2, seed: 3, stop: [tooLong, pair] })).toEqual(all.slice(0, end - 1));
  });

  it("streams each token to onToken; returning \"stop\" cancels", () => {
    const seen: number[] = [];
    const out = generate(net, [5, 1], { maxNewTokens: 10, temperature: 0, onToken: (t) => void seen.push(t) });
    expect(seen).toEqual(out);
    const few: number[] = [];
    const cancelled = generate(net, [5, 1], { maxNewTokens: 10, temperature: 0, onToken: (t) => (few.push(t) === 3 ? "stop" : undefined) });
    expect(cancelled).toEqual(out.slice(0, 3));
  });

  it("a string prompt and stop strings through a text encoder give text", () => {
    const encoder = characterEncoder({ characters: "abcdef" });
    const ids = generate(net, encoder.encode("fab"), { maxNewTokens: 8, temperature: 0 });
    const texts: string[] = [];
    expect(generate(net, "fab", { maxNewTokens: 8, temperature: 0, encoder, onToken: (_t, text) => void texts.push(text!) })).toBe(encoder.decode(ids));
    expect(texts.join("")).toBe(encoder.decode(ids));
    const cut = encoder.decode(ids).indexOf(encoder.decode([ids[3]]));
    expect(generate(net, "fab", { maxNewTokens: 8, temperature: 0, encoder, stop: encoder.decode([ids[3]]) })).toBe(encoder.decode(ids.slice(0, cut)));
  });

  it("refuses prompts past maxPosition, naming both lengths and the way out, and bad options", () => {
    const short = languageModel(false, 5);
    expect(() => generate(short, [1, 2, 3, 4, 5, 1], { maxNewTokens: 1 })).toThrow(/generate: the prompt has 6 tokens but node "positions" \(positionEmbeddingLayer\) has maxPosition 5; shorten the prompt or lower maxNewTokens/);
    expect(() => generate(short, [1, 2, 3], { maxNewTokens: 4 })).toThrow(/the prompt \(3 tokens\) and maxNewTokens \(4\) need 6 positions \(the last new token is not fed back\) but node "positions" \(positionEmbeddingLayer\) has maxPosition 5/);
    // a position embedding inside a nested net is checked up front too, named by its path
    const inner = netChain([positionEmbeddingLayer(8, 5)]);
    const nested = netGraph({
      nodes: { tokens: embeddingLayer(8, V), inner, embedded: additionLayer(2), logits: fullyConnectedLayer(V) },
      edges: [["input", "tokens"], ["tokens", "inner"], ["tokens", "embedded/in1"], ["inner", "embedded/in2"], ["embedded", "logits"]],
    }).initialize({ seed: 1, inputSize: 1 });
    expect(() => generate(nested, [1, 2, 3], { maxNewTokens: 4 })).toThrow(/need 6 positions \(the last new token is not fed back\) but node "inner\/[^"]+" \(positionEmbeddingLayer\) has maxPosition 5/);
    expect(generate(nested, [1, 2, 3], { maxNewTokens: 3, temperature: 0 })).toHaveLength(3);
    // the last new token is never fed back, so a full window still gives one token (refused before): the argmax of predict
    const full = [1, 2, 3, 4, 5];
    const y = short.predict(new Tensor(Float32Array.from(full), [1, 5, 1])) as Tensor, last = Array.from(y.data.subarray(4 * y.shape[2])); // [1, 5, V]
    expect(generate(short, full, { maxNewTokens: 1, temperature: 0 })).toEqual([last.indexOf(Math.max(...last))]);
    expect(generate(short, [1, 2, 3], { maxNewTokens: 3, temperature: 0 })).toHaveLength(3);
    expect(() => generate(net, "ab", { maxNewTokens: 2 })).toThrow(/a string prompt needs the encoder option/);
    expect(() => generate(net, [1], { maxNewTokens: 0 })).toThrow(/maxNewTokens must be a positive integer/);
    expect(() => generate(net, [1], { maxNewTokens: 2, seed: -1 })).toThrow(/seed must be an integer/);
    expect(() => generate(net, [1], { maxNewTokens: 2, topk: 3 } as never)).toThrow(/topk/);
    expect(() => generate(net, [], { maxNewTokens: 2 })).toThrow(/the prompt is empty/);
  });

  it("refuses a stop id past the net's outputs (it could never be generated), in generate and generateStream", async () => {
    expect(() => generate(net, [1, 2], { maxNewTokens: 3, stop: [2, V] })).toThrow(`generate: stop token ${V} is past the net's ${V} outputs (token ids 0 … ${V - 1}); it could never be generated`);
    expect(() => generate(net, [1, 2], { maxNewTokens: 3, stop: [[1, 99]] })).toThrow(/stop token 99 is past/);
    const stream = generateStream(net, [1, 2], { maxNewTokens: 3, stop: V });
    await expect(stream.next()).rejects.toThrow(`generateStream: stop token ${V} is past the net's ${V} outputs`);
    expect(generate(net, [1, 2], { maxNewTokens: 3, stop: V - 1 }).every((t) => t < V)).toBe(true);
  });

  it("names the prompt or the stop string that holds a character outside the encoder's vocabulary", () => {
    const encoder = characterEncoder({ characters: "abcdef" });
    expect(() => generate(net, "ab", { maxNewTokens: 2, encoder, stop: "a?" })).toThrow(/^generate: stop string "a\?": characterEncoder\.encode: the character "\?" \(U\+003F\) at position 1 is not in the vocabulary/);
    expect(() => generate(net, ["ab", "xa"], { maxNewTokens: 2, encoder })).toThrow(/^generate: the prompt \(prompt 2\): characterEncoder\.encode: the character "x"/);
  });
});

describe("generate: several prompts as one batch, and seq2seq nets with fixed inputs", () => {
  const lm = languageModel(false);
  it("a list of prompts of different lengths gives what each prompt gives alone (greedy), stop rows leaving early", () => {
    const prompts = [[1, 4, 2], [3], [0, 5]];
    const alone = prompts.map((p) => generate(lm, p, { maxNewTokens: 8, temperature: 0 }));
    expect(generate(lm, prompts, { maxNewTokens: 8, temperature: 0 })).toEqual(alone);
    const stop = alone[0][2]; // some rows stop (at different steps), others run to maxNewTokens
    const cut = alone.map((g) => (g.includes(stop) ? g.slice(0, g.indexOf(stop)) : g));
    expect(new Set(cut.map((g) => g.length)).size).toBeGreaterThan(1);
    const rows: number[] = [];
    expect(generate(lm, prompts, { maxNewTokens: 8, temperature: 0, stop, onToken: (_t, _text, row) => void rows.push(row) })).toEqual(cut);
    expect(rows.filter((r) => r === 1)).toHaveLength(Math.min(8, cut[1].length + 1));
    // a list of one prompt draws what the prompt alone draws
    expect(generate(lm, [[2, 2]], { maxNewTokens: 10, temperature: 1.3, seed: 4 })).toEqual([generate(lm, [2, 2], { maxNewTokens: 10, temperature: 1.3, seed: 4 })]);
  });

  for (const softmax of [false, true]) {
    it(`seq2seq (${softmax ? "softmax" : "logits"}): greedy generation from a fixed source equals an argmax loop over net.predict; a batch of sources equals each alone`, () => {
      const net = bahdanauNet({ softmax, seed: 4 });
      const random = new Random(8);
      const sources = [randomIds(4, 5, random), randomIds(1, 5, random), randomIds(6, 5, random), randomIds(2, 5, random)];
      const argmaxLoop = (source: number[], n: number) => {
        const previous = [0];
        for (let i = 0; i < n; i++) {
          const y = predictPair(net, source, previous);
          previous.push(sampleToken(y.data.subarray((previous.length - 1) * 5, previous.length * 5), { temperature: 0, input: softmax ? "probabilities" : "logits" }));
        }
        return previous.slice(1);
      };
      const alone = sources.map((s) => generate(net, [0], { inputs: { source: s }, maxNewTokens: 6, temperature: 0 }));
      alone.forEach((g, b) => expect(g).toEqual(argmaxLoop(sources[b], 6)));
      expect(generate(net, sources.map(() => [0]), { inputs: { source: sources }, maxNewTokens: 6, temperature: 0 })).toEqual(alone);
      const stop = alone[0][1];
      const cut = alone.map((g) => (g.includes(stop) ? g.slice(0, g.indexOf(stop)) : g));
      expect(generate(net, sources.map(() => [0]), { inputs: { source: sources }, maxNewTokens: 6, temperature: 0, stop })).toEqual(cut);
    });
  }

  it("refuses a prompt count other than the fixed rows, and a multi-input net without fixed inputs", () => {
    const net = bahdanauNet();
    expect(() => generate(net, [[0], [0]], { inputs: { source: [[1, 2], [3], [4]] }, maxNewTokens: 2 })).toThrow(/generate: 2 prompts but the fixed inputs have 3 rows; give one prompt per row/);
    expect(() => generate(net, [0], { maxNewTokens: 2 })).toThrow(/node "encoder": gruLayer: cannot decode step by step: it is bidirectional/);
  });

  it("a position embedding fed by the fixed inputs alone (the source side) does not bound the generated length; the stepped side's does", () => {
    // source positions: maxPosition 4 (the source has 3 tokens); target positions: maxPosition 12
    const net = netGraph({
      inputs: ["source", "previous"],
      nodes: {
        sourceTokens: embeddingLayer(4, V), sourcePositions: positionEmbeddingLayer(4, 4), encoded: additionLayer(2),
        targetTokens: embeddingLayer(4, V), targetPositions: positionEmbeddingLayer(4, 12), target: additionLayer(2),
        attention: selfAttentionLayer(1, 4, { attentionMask: "causal" }), cross: attentionLayer("Dot"), logits: fullyConnectedLayer(V),
      },
      edges: [["source", "sourceTokens"], ["sourceTokens", "sourcePositions"], ["sourceTokens", "encoded/in1"], ["sourcePositions", "encoded/in2"],
        ["previous", "targetTokens"], ["targetTokens", "targetPositions"], ["targetTokens", "target/in1"], ["targetPositions", "target/in2"],
        ["target", "attention"], ["encoded", "cross/key"], ["encoded", "cross/value"], ["attention", "cross/query"], ["cross", "logits"]],
    }).initialize({ seed: 3, sourceSize: 1, previousSize: 1 });
    const source = [1, 2, 3], options = { inputs: { source }, maxNewTokens: 8, temperature: 0 };
    // the oracle: an argmax loop over net.predict on the growing target side
    const previous = [0];
    for (let n = 0; n < 8; n++) {
      const y = predictPair(net, source, previous), last = Array.from(y.data.subarray((previous.length - 1) * V, previous.length * V));
      previous.push(last.indexOf(Math.max(...last)));
    }
    expect(generate(net, [0], options)).toEqual(previous.slice(1));
    expect(beamSearch(net, { inputs: { source }, start: 0, beamWidth: 1, maxNewTokens: 8 })[0].tokens).toEqual(previous.slice(1));
    expect(() => generate(net, [0], { ...options, maxNewTokens: 14 })).toThrow(/need 14 positions \(the last new token is not fed back\) but node "targetPositions" \(positionEmbeddingLayer\) has maxPosition 12/);
  });
});
