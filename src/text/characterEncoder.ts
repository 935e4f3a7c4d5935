// Text in and out, one code per character, in the spirit of Wolfram's NetEncoder["Characters"] and its
// NetDecoder: a vocabulary of characters (Unicode code points, so an emoji is one character), codes 0, 1, … in
// vocabulary order (Wolfram counts from 1; here codes are class indices as trainNet and embeddingLayer take
// them). A character outside the vocabulary is an error naming it and its position, or, with
// `unknown: "class"`, the extra last code (Wolfram's "_" entry), which decodes to U+FFFD.
import type { JsonValue } from "../layers/layer.js";
import { checkOneOf, checkOptionNames, checkString, describe, isRecord } from "../util/validate.js";
import { quote } from "../util/text.js";

/** What characterEncoder takes: a vocabulary (characters, or the characters of fromText) and what unknown characters become. */
export interface CharacterEncoderOptions {
  /** the characters, in code order (a string or a list of one-character strings) */
  characters?: string | readonly string[];
  /** build the vocabulary from the distinct characters of this text, sorted by code point */
  fromText?: string;
  /** what a character outside the vocabulary becomes: "error" (default) or "class" (one extra last code) */
  unknown?: "error" | "class";
}

/** Wolfram's default "Characters" table: tab, newline, and printable ASCII (space to ~). */
export const DEFAULT_CHARACTERS: readonly string[] = ["\t", "\n", ...Array.from({ length: 95 }, (_, i) => String.fromCodePoint(32 + i))];

/** At most this many characters in a vocabulary (a bound for vocabularies read from files). */
export const MAX_VOCABULARY = 65536;

const UNKNOWN_TEXT = "\uFFFD";

/** Text to codes and back, one code per character (see characterEncoder). */
export class CharacterEncoder {
  readonly kind = "characterEncoder";
  /** the characters, by code */
  readonly characters: readonly string[];
  readonly unknown: "error" | "class";
  private readonly codes: Map<string, number>;

  constructor(options: CharacterEncoderOptions = {}) {
    const where = "characterEncoder";
    checkOptionNames(options, ["characters", "fromText", "unknown"], where);
    if (options.characters !== undefined && options.fromText !== undefined) throw new Error(`${where}: give characters or fromText, not both`);
    this.unknown = options.unknown === undefined ? "error" : checkOneOf(options.unknown, ["error", "class"] as const, where, "unknown");
    this.characters = options.fromText !== undefined ? [...new Set(Array.from(checkString(options.fromText, where, "fromText")))].sort(byCodePoint)
      : options.characters !== undefined ? characterList(options.characters, where) : DEFAULT_CHARACTERS;
    if (this.characters.length === 0) throw new Error(`${where}: the vocabulary is empty`);
    if (this.characters.length > MAX_VOCABULARY) throw new Error(`${where}: at most ${MAX_VOCABULARY} characters, got ${this.characters.length}`);
    this.codes = new Map(this.characters.map((c, i) => [c, i]));
    if (this.codes.size !== this.characters.length) {
      const seen = new Set<string>();
      const repeated = this.characters.find((c) => seen.size === seen.add(c).size);
      throw new Error(`${where}: the character ${quote(repeated!)} appears twice in characters`);
    }
  }

  /** How many codes the net's input embedding and output layer need (one more with unknown: "class"). */
  get size(): number {
    return this.characters.length + (this.unknown === "class" ? 1 : 0);
  }

  /** The codes of a text, one per character. */
  encode(text: string): number[] {
    checkString(text, "characterEncoder.encode", "text");
    const out: number[] = [];
    let position = 0;
    for (const c of text) {
      const code = this.codes.get(c);
      if (code !== undefined) out.push(code);
      else if (this.unknown === "class") out.push(this.characters.length);
      else throw new Error(`characterEncoder.encode: the character ${quote(c)} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) at position ${position} is not in the vocabulary of ${this.characters.length} characters; build the encoder with unknown: "class" to map such characters to one extra code`);
      position++;
    }
    return out;
  }

  /** The text of a list of codes. */
  decode(codes: ArrayLike<number>): string {
    let text = "";
    for (let i = 0; i < codes.length; i++) text += this.character(codes[i], i);
    return text;
  }

  /** The character of one code. */
  character(code: number, position = 0): string {
    if (Number.isInteger(code) && code >= 0 && code < this.characters.length) return this.characters[code];
    if (code === this.characters.length && this.unknown === "class") return UNKNOWN_TEXT;
    throw new Error(`characterEncoder.decode: code ${describe(code)} at position ${position} is not a code of this encoder (0 to ${this.size - 1})`);
  }

  /** The JSON form saved inside a net file. */
  toConfig(): JsonValue {
    return { characters: this.characters.join(""), unknown: this.unknown };
  }

  /** Rebuilds an encoder from its saved form (hostile input: checked like any options). */
  static fromConfig(config: unknown): CharacterEncoder {
    if (!isRecord(config)) throw new Error(`characterEncoder: a saved encoder is { characters, unknown }, got ${describe(config)}`);
    return new CharacterEncoder(config as CharacterEncoderOptions);
  }
}

/** A character encoder and decoder (Wolfram's NetEncoder["Characters"]): `characterEncoder({ fromText: corpus })`. */
export function characterEncoder(options?: CharacterEncoderOptions): CharacterEncoder {
  return new CharacterEncoder(options);
}

function byCodePoint(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

function characterList(v: unknown, where: string): string[] {
  if (typeof v === "string") return Array.from(v);
  if (!Array.isArray(v)) throw new Error(`${where}: characters must be a string or a list of characters, got ${describe(v)}`);
  return v.map((c, i) => {
    if (typeof c !== "string" || Array.from(c).length !== 1) throw new Error(`${where}: characters[${i}] must be one character, got ${describe(c)}`);
    return c;
  });
}
