// Text in and out: codes follow the vocabulary's order, encode and decode are inverse on the vocabulary, unknown
// characters are refused by name and position or mapped to one extra code, and the saved form rebuilds the encoder.
import { describe, expect, it } from "vitest";
import { CharacterEncoder, characterEncoder } from "../../src/index.js";

describe("characterEncoder", () => {
  it("the default vocabulary is Wolfram's: tab, newline and printable ASCII, in that order", () => {
    const e = characterEncoder();
    expect(e.size).toBe(97);
    expect(e.encode("\t\n A~")).toEqual([0, 1, 2, 2 + 0x41 - 32, 96]);
  });

  it("a vocabulary built from text holds its distinct characters by code point, astral characters whole", () => {
    const e = characterEncoder({ fromText: "banana 🍌!" });
    expect(e.characters).toEqual([" ", "!", "a", "b", "n", "🍌"]);
    const text = "an 🍌 ban!";
    expect(e.encode(text)).toEqual([2, 4, 0, 5, 0, 3, 2, 4, 1]);
    expect(e.decode(e.encode(text))).toBe(text);
  });

  it("unknown characters: an error naming the character and its position, or one extra code", () => {
    expect(() => characterEncoder({ characters: "ab" }).encode("abc")).toThrow(/the character "c" \(U\+0063\) at position 2 is not in the vocabulary of 2 characters/);
    const e = characterEncoder({ characters: "ab", unknown: "class" });
    expect(e.size).toBe(3);
    expect(e.encode("axb")).toEqual([0, 2, 1]);
    expect(e.decode([0, 2, 1])).toBe("a\uFFFDb");
    expect(() => e.decode([3])).toThrow(/code 3 at position 0 is not a code of this encoder \(0 to 2\)/);
  });

  it("the saved form rebuilds the same encoder", () => {
    const e = characterEncoder({ fromText: "to be or not", unknown: "class" });
    const copy = CharacterEncoder.fromConfig(JSON.parse(JSON.stringify(e.toConfig())));
    expect(copy.characters).toEqual(e.characters);
    expect(copy.encode("tobex")).toEqual(e.encode("tobex"));
  });

  it("refuses bad vocabularies with clear messages", () => {
    expect(() => characterEncoder({ characters: "aba" })).toThrow(/the character "a" appears twice/);
    expect(() => characterEncoder({ characters: ["a", "bc"] })).toThrow(/characters\[1\] must be one character, got "bc"/);
    expect(() => characterEncoder({ characters: "" })).toThrow(/the vocabulary is empty/);
    expect(() => characterEncoder({ characters: "ab", fromText: "x" })).toThrow(/give characters or fromText, not both/);
    expect(() => characterEncoder({ unknown: "skip" } as never)).toThrow(/unknown must be "error" or "class", got "skip"/);
    expect(() => CharacterEncoder.fromConfig("ab")).toThrow(/a saved encoder is \{ characters, unknown \}, got "ab"/);
  });
});
