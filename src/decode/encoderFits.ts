// A text encoder must not give codes an embedding has no row for: an encoder of `size` codes (its characters, and
// one more with unknown: "class") feeding an embeddingLayer of numWords rows needs size ≤ numWords.
import type { NetGraph } from "../nets/netGraph.js";
import type { CharacterEncoder } from "../text/characterEncoder.js";
import { embeddingsFedBy } from "./decoder.js";

/** Refuses `encoder` when an embeddingLayer fed by one of graph inputs `ports` has fewer rows than it has codes. */
export function checkEncoderFits(net: NetGraph, encoder: CharacterEncoder, ports: readonly string[], where: string): void {
  for (const port of ports) {
    for (const [node, layer] of embeddingsFedBy(net, port)) {
      if (encoder.size <= layer.numWords) continue;
      const codes = `${encoder.characters.length} characters${encoder.unknown === "class" ? " and the unknown code" : ""}`;
      throw new Error(`${where}: the text encoder has ${encoder.size} codes (${codes}) but embeddingLayer "${node}"${net.inputNames.length > 1 ? ` (input "${port}")` : ""} has numWords ${layer.numWords}; codes ${layer.numWords} to ${encoder.size - 1} would have no embedding row. Build the embeddingLayer with numWords ≥ ${encoder.size}, or the encoder with at most ${layer.numWords} codes`);
    }
  }
}
