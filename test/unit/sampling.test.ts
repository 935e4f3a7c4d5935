// Choosing tokens: greedy is argmax, the same seed gives the same draws, top-k and top-p keep what they say, and
// draws follow the softmax of logits / temperature (a chi-square test over many draws, with the probabilities
// computed here in float64 from the definition).
import { describe, expect, it } from "vitest";
import { Random, sampleToken } from "../../src/index.js";

const logits = [1.5, -0.3, 2.2, 0.7, 2.2, -4];

function softmax(z: number[], temperature = 1): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp((v - m) / temperature));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Pearson's chi-square statistic of counts against expected probabilities (over tokens with p > 0). */
function chiSquare(counts: number[], p: number[], n: number): number {
  return p.reduce((acc, pi, i) => (pi > 0 ? acc + (counts[i] - n * pi) ** 2 / (n * pi) : acc), 0);
}

function counts(draw: () => number, size: number, n: number): number[] {
  const c = new Array(size).fill(0);
  for (let i = 0; i < n; i++) c[draw()]++;
  return c;
}

describe("sampleToken", () => {
  it("temperature 0 is argmax, the lowest index among ties", () => {
    expect(sampleToken(logits, { temperature: 0 })).toBe(2);
    expect(sampleToken(new Float32Array([0.1, 0.7, 0.2]), { temperature: 0, input: "probabilities" })).toBe(1);
  });

  it("the same seed gives the same tokens; another seed other tokens", () => {
    const run = (seed: number) => { const r = new Random(seed); return Array.from({ length: 50 }, () => sampleToken(logits, {}, r)); };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("draws follow softmax(z / temperature) (chi-square, 5 degrees of freedom, p > 0.001)", () => {
    for (const temperature of [1, 0.5, 3]) {
      const r = new Random(1);
      const n = 20000;
      const c = counts(() => sampleToken(logits, { temperature }, r), logits.length, n);
      expect(chiSquare(c, softmax(logits, temperature), n)).toBeLessThan(20.5); // χ²(5) at 0.001
    }
  });

  it("probabilities are taken as log p: the same draws as their logits", () => {
    const p = softmax(logits);
    const a = new Random(3), b = new Random(3);
    for (let i = 0; i < 200; i++) expect(sampleToken(p, { input: "probabilities" }, a)).toBe(sampleToken(logits, {}, b));
  });

  it("topK keeps the K largest scores (ties with the K-th kept) and renormalizes", () => {
    const r = new Random(2);
    const n = 20000;
    const c = counts(() => sampleToken(logits, { topK: 1 }, r), logits.length, n);
    // two tokens tie at the largest logit: both are kept, each with half the mass
    expect(c[2] + c[4]).toBe(n);
    expect(chiSquare(c, [0, 0, 0.5, 0, 0.5, 0], n)).toBeLessThan(10.8); // χ²(1) at 0.001
    const c3 = counts(() => sampleToken(logits, { topK: 3 }, r), logits.length, n);
    const kept = softmax(logits).map((v, i) => ([0, 2, 4].includes(i) ? v : 0));
    const total = kept.reduce((a, b) => a + b, 0);
    expect(c3[1] + c3[3] + c3[5]).toBe(0);
    expect(chiSquare(c3, kept.map((v) => v / total), n)).toBeLessThan(13.8); // χ²(2) at 0.001
  });

  it("topP keeps the fewest most-probable tokens whose mass reaches p", () => {
    const p = softmax(logits);
    // sorted: tokens 2 and 4 (equal), then 0, 3, 1, 5; their mass reaches 0.9 only with token 0 and token 3
    const order = [2, 4, 0, 3, 1, 5];
    const cum = order.map((_, k) => order.slice(0, k + 1).reduce((a, i) => a + p[i], 0));
    const need = cum.findIndex((m) => m >= 0.9) + 1;
    const r = new Random(4);
    const c = counts(() => sampleToken(logits, { topP: 0.9 }, r), logits.length, 20000);
    for (const [k, i] of order.entries()) expect(c[i] > 0).toBe(k < need);
    // a tiny topP keeps one token: the most probable (the lowest index among ties)
    expect(new Set(Array.from({ length: 100 }, () => sampleToken(logits, { topP: 1e-6 }, r)))).toEqual(new Set([2]));
  });

  it("never draws a token of probability 0, or a −Infinity logit", () => {
    const r = new Random(5);
    for (let i = 0; i < 2000; i++) expect(sampleToken([0, -Infinity, 0], {}, r)).not.toBe(1);
    for (let i = 0; i < 2000; i++) expect(sampleToken([0.5, 0, 0.5], { input: "probabilities" }, r)).not.toBe(1);
  });

  it("refuses bad rows and options with messages that name them", () => {
    expect(() => sampleToken([1, NaN], {})).toThrow(/sampleToken: the net's output has NaN at token 1/);
    expect(() => sampleToken([0.5, -0.1], { input: "probabilities" })).toThrow(/-0.1 at token 1; probabilities must be finite and ≥ 0/);
    expect(() => sampleToken([], {})).toThrow(/output row is empty/);
    expect(() => sampleToken([-Infinity, -Infinity], {})).toThrow(/every token has probability 0/);
    expect(() => sampleToken([1, 2], { temperature: -1 })).toThrow(/sampleToken: temperature must be a finite number ≥ 0, got -1/);
    expect(() => sampleToken([1, 2], { topK: 0 })).toThrow(/topK must be a positive integer, got 0/);
    expect(() => sampleToken([1, 2], { topP: 0 })).toThrow(/topP must be in \(0, 1\]/);
    expect(() => sampleToken([1, 2], { topk: 2 } as never)).toThrow(/unknown option "topk" \(did you mean "topK"\?\)/);
    expect(() => sampleToken("12" as never)).toThrow(/row must be an array or typed array of scores, got "12"/);
    expect(() => sampleToken([1, 2], {}, 5 as never)).toThrow(/^sampleToken: random must be a Random \(new Random\(seed\)\) or undefined, got 5$/);
  });
});
