// generateStream(net, prompt, options): the async-iterator form of generate. Oracle: generate itself (the same
// tokens for the same options, stop sequences included); it lets the event loop run between tokens, stops its
// work when the loop breaks or the signal aborts, and checks its arguments at the call.
import { describe, expect, it } from "vitest";
import {
  additionLayer, characterEncoder, embeddingLayer, fullyConnectedLayer, generate, generateStream, netGraph, positionEmbeddingLayer,
  selfAttentionLayer, type GenerateStreamOptions, type GeneratedToken, type NetGraph,
} from "../../src/index.js";

const V = 6;

/** A one-block causal language model over V tokens (logits). */
function languageModel(): NetGraph {
  return netGraph({
    nodes: {
      tokens: embeddingLayer(8, V), positions: positionEmbeddingLayer(8, 64), embedded: additionLayer(2),
      attention: selfAttentionLayer(2, 8, { attentionMask: "causal" }), residual: additionLayer(2), head: fullyConnectedLayer(V),
    },
    edges: [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"],
      ["embedded", "attention"], ["embedded", "residual/in1"], ["attention", "residual/in2"], ["residual", "head"]],
  }).initialize({ seed: 7, inputSize: 1 });
}

async function collect(stream: AsyncIterable<GeneratedToken>): Promise<GeneratedToken[]> {
  const out: GeneratedToken[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** Counts the decoder calls the net makes (one for the prompt, one per later token). */
function countDecoderCalls(net: NetGraph): { calls: number } {
  const counter = { calls: 0 };
  const start = net.startDecoding.bind(net);
  net.startDecoding = (o) => {
    const decoder = start(o);
    const next = decoder.next.bind(decoder);
    decoder.next = ((x: Parameters<typeof next>[0]) => (counter.calls++, next(x))) as typeof decoder.next;
    return decoder;
  };
  return counter;
}

describe("generateStream", () => {
  const net = languageModel();

  it("yields the tokens generate returns for the same options and seed, stop sequences left out", async () => {
    const all = generate(net, [0], { maxNewTokens: 30, temperature: 2, seed: 3 });
    const pair = all.slice(8, 10), lone = all[12];
    const cases: Omit<GenerateStreamOptions, "maxNewTokens">[] = [
      { temperature: 0 }, { temperature: 2, seed: 3 }, { temperature: 1.3, topK: 3, seed: 9 }, { temperature: 2, seed: 3, stop: [new Array<number>(31).fill(0), pair] },
      { temperature: 2, seed: 3, stop: lone }, { temperature: 2, seed: 3, stop: [[pair[0], ...new Array<number>(31).fill(0)]] }, // a stop that starts but never completes (longer than any output)
    ];
    for (const options of cases) {
      const expected = generate(net, [0], { maxNewTokens: 30, ...options });
      const streamed = await collect(generateStream(net, [0], { maxNewTokens: 30, ...options }));
      expect(streamed.map((s) => s.token)).toEqual(expected);
      expect(streamed.every((s) => s.text === undefined)).toBe(true);
    }
    expect(generate(net, [0], { maxNewTokens: 30, temperature: 2, seed: 3, stop: [new Array<number>(31).fill(0), pair] }).length).toBeLessThan(30); // the stop did stop it
  });

  it("with an encoder, each item carries its text and the texts join to generate's string", async () => {
    const encoder = characterEncoder({ characters: "abcdef" });
    const text = generate(net, "fab", { maxNewTokens: 20, temperature: 1, seed: 4, encoder, stop: "cc" });
    const streamed = await collect(generateStream(net, "fab", { maxNewTokens: 20, temperature: 1, seed: 4, encoder, stop: "cc" }));
    expect(streamed.map((s) => s.text).join("")).toBe(text);
    expect(streamed.map((s) => s.token)).toEqual(encoder.encode(text));
  });

  it("lets the event loop run between tokens: a timer set before the loop fires while tokens still come", async () => {
    let fired = false, tokensWhenFired = -1, n = 0;
    setTimeout(() => ((fired = true), (tokensWhenFired = n)), 0);
    for await (const _ of generateStream(net, [1], { maxNewTokens: 40, temperature: 0 })) {
      n++;
      if (fired) break;
    }
    expect(fired).toBe(true);
    expect(tokensWhenFired).toBeLessThan(40);
  });

  it("breaking out of for-await stops the decoding work", async () => {
    const lm = languageModel();
    const calls = countDecoderCalls(lm);
    const got: number[] = [];
    for await (const { token } of generateStream(lm, [2, 3], { maxNewTokens: 40, temperature: 0 })) if (got.push(token) === 5) break;
    expect(got).toEqual(generate(net, [2, 3], { maxNewTokens: 5, temperature: 0 }));
    expect(calls.calls).toBe(5); // the prompt and 4 tokens fed back: the 5th was never fed
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.calls).toBe(5); // and nothing ran after the break
  });

  it("an aborted signal ends the stream before the next token; nothing runs before the first token is asked for", async () => {
    const lm = languageModel();
    const calls = countDecoderCalls(lm);
    const controller = new AbortController();
    const stream = generateStream(lm, [4], { maxNewTokens: 40, temperature: 0, signal: controller.signal });
    expect(calls.calls).toBe(0);
    const got: number[] = [];
    for await (const { token } of stream) if (got.push(token) === 7) controller.abort();
    expect(got).toEqual(generate(net, [4], { maxNewTokens: 7, temperature: 0 }));
    expect(calls.calls).toBe(7); // the prompt and 6 tokens fed back: the 7th was never fed
    const aborted = await collect(generateStream(lm, [4], { maxNewTokens: 40, temperature: 0, signal: AbortSignal.abort() }));
    expect(aborted).toEqual([]);
  });

  it("checks its arguments at the call, naming generateStream", () => {
    expect(() => generateStream(net, [1], { maxNewTokens: 3, signal: 5 as never })).toThrow("generateStream: signal must be an AbortSignal, got 5");
    expect(() => generateStream(net, [1], { maxNewTokens: 3, onToken: () => undefined } as never)).toThrow(/generateStream.*onToken/);
    expect(() => generateStream(net, [], { maxNewTokens: 3 })).toThrow("generateStream: the prompt is empty; give at least one token");
    expect(() => generateStream(net, [1], { maxNewTokens: 66 })).toThrow(/^generateStream: the prompt \(1 tokens\) and maxNewTokens \(66\) need 66 positions/);
  });
});
