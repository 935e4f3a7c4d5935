// A net's text encoder (net.textEncoder) travels inside its file: serializeNet/saveNet write it under the
// metadata key "text_encoder" (with "text_encoder_crc32"), deserializeNet/loadNet restore it, and generate and
// decoder.next take strings through it. A net without one is written byte for byte as before; hostile encoder
// metadata is refused with "deserializeNet: " messages.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import {
  additionLayer, characterEncoder, deserializeNet, embeddingLayer, fullyConnectedLayer, generate, netChain, netGraph,
  positionEmbeddingLayer, selfAttentionLayer, serializeNet, Tensor, type NetGraph,
} from "../../src/index.js";
import { loadNet, saveNet } from "../../src/node/saveNet.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/nets/safetensors.js";
import { Crc32 } from "../../src/util/crc32.js";
import { tempDir } from "../helpers/tempDir.js";

const corpus = "hello world, hello net";

/** A one-block causal character model over the encoder's codes. */
function languageModel(vocabulary: number): NetGraph {
  const nodes = {
    tokens: embeddingLayer(8, vocabulary), positions: positionEmbeddingLayer(8, 64), embedded: additionLayer(2),
    attention: selfAttentionLayer(2, 8, { attentionMask: "causal" }), residual: additionLayer(2), head: fullyConnectedLayer(vocabulary),
  };
  const edges: [string, string][] = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"],
    ["embedded", "attention"], ["embedded", "residual/in1"], ["attention", "residual/in2"], ["residual", "head"]];
  return netGraph({ nodes, edges }).initialize({ seed: 3, inputSize: 1 });
}

function netWithEncoder(): NetGraph {
  const encoder = characterEncoder({ fromText: corpus, unknown: "class" });
  const net = languageModel(encoder.size);
  net.textEncoder = encoder;
  return net;
}

/** The file's bytes with its metadata edited (the tensors kept). */
function editMetadata(bytes: Uint8Array, edit: (metadata: Record<string, string>) => void): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const copy = { ...metadata };
  edit(copy);
  return encodeSafetensors(tensors, copy);
}

const crc = (text: string) => new Crc32().update(new TextEncoder().encode(text)).hex();
/** Sets the saved encoder to `text` with a matching checksum (a well-formed file around a hostile encoder). */
const withEncoderText = (bytes: Uint8Array, text: string) => editMetadata(bytes, (m) => Object.assign(m, { text_encoder: text, text_encoder_crc32: crc(text) }));

const greedy = { maxNewTokens: 15, temperature: 0 };
const seeded = { maxNewTokens: 15, temperature: 1.3, seed: 9 };

describe("a text encoder inside the net", () => {
  const net = netWithEncoder();

  it("round-trips through serializeNet/deserializeNet: the same encoder, the same generated text (greedy and seeded)", () => {
    const loaded = deserializeNet<NetGraph>(serializeNet(net));
    expect(loaded.textEncoder?.characters).toEqual(net.textEncoder!.characters);
    expect(loaded.textEncoder?.unknown).toBe("class");
    for (const options of [greedy, seeded]) {
      const before = generate(net, "hello", options);
      expect(typeof before).toBe("string");
      expect(before).toHaveLength(15);
      expect(generate(loaded, "hello", options)).toBe(before);
    }
  });

  it("round-trips through saveNet/loadNet", () => {
    const path = join(tempDir("textnet"), "lm.safetensors");
    saveNet(net, path);
    const loaded = loadNet<NetGraph>(path);
    expect(loaded.textEncoder?.characters).toEqual(net.textEncoder!.characters);
    expect(generate(loaded, "hel", seeded)).toBe(generate(net, "hel", seeded));
  });

  it("a netChain keeps its encoder too", () => {
    const encoder = characterEncoder({ characters: "ab" });
    const chain = netChain([embeddingLayer(4, 2), fullyConnectedLayer(2)]).initialize({ seed: 1, inputSize: 1 });
    chain.textEncoder = encoder;
    expect(deserializeNet<NetGraph>(serializeNet(chain)).textEncoder?.characters).toEqual(["a", "b"]);
  });

  it("generate decodes with the net's encoder, keeps token ids for id prompts, and the encoder option wins", () => {
    const ids = net.textEncoder!.encode("hello");
    const generated = generate(net, ids, greedy);
    expect(generate(net, "hello", greedy)).toBe(net.textEncoder!.decode(generated));
    // another encoder of the same size maps the same codes to other characters: its text is the option's
    const other = characterEncoder({ characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZ".slice(0, net.textEncoder!.size) });
    expect(generate(net, other.decode(ids), { ...greedy, encoder: other })).toBe(other.decode(generated));
    expect(generate(net, "hello", { ...greedy, stop: "l", maxNewTokens: 40 })).not.toContain("l");
  });

  it("decoder.next takes a string on a net with an encoder: the outputs of its codes", () => {
    const text = net.startDecoding().next("hello w") as Tensor;
    const codes = net.startDecoding().next(net.textEncoder!.encode("hello w")) as Tensor;
    expect(text.shape).toEqual(codes.shape);
    expect(Array.from(text.data)).toEqual(Array.from(codes.data));
    const plain = languageModel(4);
    expect(() => plain.startDecoding().next("ab")).toThrow(/decoder\.next: a string input needs a net with a textEncoder/);
  });

  it("refuses a string prompt on a net without an encoder, and a textEncoder that is not a characterEncoder", () => {
    const plain = languageModel(4);
    expect(() => generate(plain, "ab", greedy)).toThrow(/a string prompt needs the encoder option \(a characterEncoder\) or a net with a textEncoder/);
    expect(() => {
      (plain as { textEncoder: unknown }).textEncoder = { characters: ["a"] };
    }).toThrow(/textEncoder must be a characterEncoder or undefined, got/);
    plain.textEncoder = undefined;
    expect(plain.textEncoder).toBeUndefined();
  });
});

describe("files without a text encoder", () => {
  it("a net without an encoder is written as before: the four old metadata keys, the bytes of the file without the encoder's keys", () => {
    const withEncoder = netWithEncoder();
    const plain = deserializeNet<NetGraph>(serializeNet(withEncoder));
    plain.textEncoder = undefined;
    const bytes = serializeNet(plain);
    expect(Object.keys(decodeSafetensors(bytes).metadata).sort()).toEqual(["config", "config_crc32", "format", "tensors_crc32"]);
    const stripped = editMetadata(serializeNet(withEncoder), (m) => {
      delete m.text_encoder;
      delete m.text_encoder_crc32;
    });
    expect(bytes).toEqual(stripped);
  });

  it("old files (no text_encoder key) still load, with no encoder", () => {
    const loaded = deserializeNet<NetGraph>(serializeNet(languageModel(5)));
    expect(loaded.textEncoder).toBeUndefined();
    expect(generate(loaded, [1, 2], greedy)).toHaveLength(15);
  });
});

describe("hostile text encoder metadata", () => {
  const bytes = serializeNet(netWithEncoder());
  const refuse = (file: Uint8Array, message: RegExp) => expect(() => deserializeNet(file)).toThrow(message);

  it("a checksum mismatch", () => {
    const file = editMetadata(bytes, (m) => (m.text_encoder = m.text_encoder.replace("h", "j")));
    refuse(file, /^deserializeNet: checksum mismatch: the text encoder is corrupt \(stored text_encoder_crc32 [0-9a-f]{8}, computed [0-9a-f]{8}\)/);
    refuse(editMetadata(bytes, (m) => (m.text_encoder_crc32 = "xyz")), /^deserializeNet: metadata "text_encoder_crc32" must be 8 hex digits/);
    refuse(editMetadata(bytes, (m) => delete m.text_encoder), /^deserializeNet: the metadata has "text_encoder_crc32" but no "text_encoder"/);
  });

  it("a vocabulary above MAX_VOCABULARY, and a text above the length limit", () => {
    const many = Array.from({ length: 70_000 }, (_, i) => String.fromCodePoint(0x10000 + i)).join("");
    refuse(withEncoderText(bytes, JSON.stringify({ characters: many, unknown: "error" })), /^deserializeNet: the text encoder is not valid: characterEncoder: at most 65536 characters, got 70000/);
    refuse(withEncoderText(bytes, JSON.stringify({ characters: "a".repeat(900_000) })), /^deserializeNet: the text encoder is \d+ characters long, above the \d+-character limit/);
  });

  it("wrong types, duplicate characters, bad JSON", () => {
    const cases: [string, RegExp][] = [
      ['{"characters":5,"unknown":"error"}', /characters must be a string or a list of characters, got/],
      ['{"characters":["a","bc"],"unknown":"error"}', /characters\[1\] must be one character/],
      ['{"characters":"abc","unknown":"maybe"}', /unknown/],
      ['{"characters":"aab","unknown":"error"}', /the character "a" appears twice in characters/],
      ['{"characters":"abc","extra":1}', /extra/],
      ['["a","b"]', /a saved encoder is \{ characters, unknown \}/],
      ['{"characters":', /JSON/],
      ['{"characters":""}', /the vocabulary is empty/],
    ];
    for (const [text, message] of cases) {
      expect(() => deserializeNet(withEncoderText(bytes, text)), text).toThrow(/^deserializeNet: the text encoder is not valid: /);
      expect(() => deserializeNet(withEncoderText(bytes, text)), text).toThrow(message);
    }
  });

  it("an encoder on a single layer's file", () => {
    const layer = fullyConnectedLayer(2).initialize({ seed: 1, inputSize: 3 });
    refuse(withEncoderText(serializeNet(layer), '{"characters":"ab","unknown":"error"}'), /^deserializeNet: the file holds a text encoder but its net is a single fullyConnectedLayer, not a netGraph or netChain/);
  });
});
