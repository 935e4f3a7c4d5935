// A text encoder with more codes than the embeddingLayer it feeds has rows (numWords) is refused where it meets
// the net: net.textEncoder (one-input nets, so loadNet too), startDecoding (the stepped input of any net), and
// generate's encoder option; each message names both sizes. Before, such codes reached the embedding as indices
// past its table (or not at all until a character past the vocabulary came).
import { describe, expect, it } from "vitest";
import { characterEncoder, embeddingLayer, fullyConnectedLayer, generate, netChain, type NetGraph } from "../../src/index.js";
import { bahdanauNet } from "../helpers/seq2seq.js";

const V = 6;
const model = (): NetGraph => netChain([embeddingLayer(4, V, { name: "tokens" }), fullyConnectedLayer(V)]).initialize({ seed: 1, inputSize: 1 });

describe("a text encoder and the embedding it feeds", () => {
  it("net.textEncoder refuses an encoder with more codes than the embedding's numWords, naming both", () => {
    const net = model();
    expect(() => { net.textEncoder = characterEncoder({ characters: "abcdefg" }); }).toThrow(
      /textEncoder: the text encoder has 7 codes \(7 characters\) but embeddingLayer "tokens" has numWords 6; codes 6 to 6 would have no embedding row/);
    // the unknown code counts: 6 characters and unknown: "class" are 7 codes
    expect(() => { net.textEncoder = characterEncoder({ characters: "abcdef", unknown: "class" }); }).toThrow(/7 codes \(6 characters and the unknown code\) but embeddingLayer "tokens" has numWords 6/);
    expect(net.textEncoder).toBeUndefined();
    net.textEncoder = characterEncoder({ characters: "abcdef" });
    expect(net.textEncoder?.size).toBe(V);
    net.textEncoder = characterEncoder({ characters: "abc" }); // fewer codes than rows: fine
  });

  it("generate refuses an encoder option too big for the net's embedding, before encoding the prompt", () => {
    expect(() => generate(model(), "ab", { maxNewTokens: 2, encoder: characterEncoder({ characters: "abcdefgh" }) })).toThrow(
      /^generate: the text encoder has 8 codes \(8 characters\) but embeddingLayer "tokens" has numWords 6; codes 6 to 7/);
  });

  it("startDecoding refuses a net's encoder too big for the embedding of its stepped input (a seq2seq target side)", () => {
    const net = bahdanauNet({ vocabulary: 5 });
    net.textEncoder = characterEncoder({ characters: "abcdefg" }); // two inputs: which one it feeds is known at decoding
    expect(() => net.startDecoding({ inputs: { source: [0, 1, 2] } })).toThrow(
      /startDecoding: the text encoder has 7 codes \(7 characters\) but embeddingLayer "targetEmbedding" \(input "previous"\) has numWords 5/);
    net.textEncoder = characterEncoder({ characters: "abcde" });
    expect(() => net.startDecoding({ inputs: { source: [0, 1, 2] } })).not.toThrow();
  });
});
