// The lm job's continuation past the net's context (app/cli/lmContinue.ts): pieces of at most context + 1 − window
// new characters (generate feeds back all but the last new token), each window the last context/2 characters.
// Before, a context of 1 asked for pieces of 0 characters forever.
import { describe, expect, it } from "vitest";
import { continuation } from "../../app/cli/lmContinue.js";

/** Runs a continuation, answering each piece with as many "x" as it asks; returns the pieces and the result. */
function run(context: number, prompt: string, maxNewTokens: number) {
  const it = continuation(context, prompt, maxNewTokens, 1);
  const pieces: { window: string; maxNewTokens: number }[] = [];
  let r = it.next();
  while (!r.done) {
    if (pieces.length > maxNewTokens) throw new Error("continuation: more pieces than characters (it does not advance)");
    pieces.push({ window: r.value.window, maxNewTokens: r.value.maxNewTokens });
    r = it.next("x".repeat(r.value.maxNewTokens));
  }
  return { pieces, text: r.value };
}

describe("continuation", () => {
  it("advances at every context, down to 1 (a bigram model)", () => {
    for (const context of [1, 2, 3, 8]) {
      const { pieces, text } = run(context, "And God", 20);
      expect(text).toBe("x".repeat(20));
      for (const p of pieces) {
        expect(p.maxNewTokens).toBeGreaterThan(0);
        expect([...p.window].length + p.maxNewTokens - 1).toBeLessThanOrEqual(context); // what generate's checkRoom allows
      }
    }
  });

  it("fills the whole context in the first piece of a short prompt, then restarts from the last context/2", () => {
    const { pieces } = run(8, "ab", 20);
    expect(pieces[0]).toEqual({ window: "ab", maxNewTokens: 7 });
    expect(pieces[1].window).toBe("xxxx");
    expect(pieces[1].maxNewTokens).toBe(5);
  });
});
