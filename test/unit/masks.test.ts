// The mask module (src/functional/masks.ts) against the rules written out elementwise, one key at a time.
import { describe, expect, it } from "vitest";
import { Random, Tensor } from "../../src/index.js";
import { bothMasks, causalMode, explicitMask, paddingMask, visibilityMatrix, visibleKeyCount, type MaskSpec } from "../../src/functional/masks.js";

/** The rules of masks.ts's header, for one (b, h, i, j). */
function visibleByRule(mask: MaskSpec, Tq: number, Tk: number, b: number, h: number, i: number, j: number): boolean {
  const diagonal = mask.causal === "bottomRight" ? i + Tk - Tq : i;
  if (mask.causal && j > diagonal) return false;
  if (mask.window !== undefined && (mask.causal ? j <= diagonal - mask.window : Math.abs(j - diagonal) >= mask.window)) return false;
  if (mask.keyLengths && j >= mask.keyLengths[b]) return false;
  const e = mask.explicit;
  return !e || e.data[b * e.strides[0] + h * e.strides[1] + i * e.strides[2] + j * e.strides[3]] !== 0;
}

const bits = (shape: number[], seed: number) => {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: n }, () => (r.uniform() < 0.6 ? 1 : 0)), shape);
};

describe("masks", () => {
  const [B, H, Tq, Tk] = [2, 3, 4, 6];
  const specs: MaskSpec[] = [
    { causal: false },
    { causal: "topLeft" },
    { causal: "bottomRight", window: 2 },
    { causal: false, window: 2, keyLengths: [6, 3] },
    { causal: "topLeft", keyLengths: [2, 5], explicit: explicitMask(bits([B, 1, Tq, Tk], 1), [B, H, Tq, Tk], "test", "mask") },
    { causal: false, explicit: bothMasks(explicitMask(bits([Tq, Tk], 2), [B, H, Tq, Tk], "test", "mask"), paddingMask(bits([B, Tk], 3)), [B, H, Tq, Tk]) },
  ];

  it("visibleKeyCount and visibilityMatrix follow every rule, alone and combined", () => {
    for (const mask of specs) {
      const m = visibilityMatrix(mask, B, 2, Tq, Tk, [4, 2]);
      for (let b = 0; b < B; b++) for (let i = 0; i < Tq; i++) {
        const expected = Array.from({ length: Tk }, (_, j) => visibleByRule(mask, Tq, Tk, b, 0, i, j));
        expect(visibleKeyCount(mask, Tq, Tk, b, 0, i)).toBe(expected.filter(Boolean).length);
        for (let head = 0; head < 2; head++) {
          const row = Array.from(m.data.subarray(((b * 2 + head) * Tq + i) * Tk, ((b * 2 + head) * Tq + i + 1) * Tk));
          expect(row).toEqual(expected.map((v) => (v && i < [4, 2][b] ? 1 : 0))); // rows past queryCounts see nothing
        }
      }
    }
  });

  it("bothMasks allows a key only where both masks do, keeping only the axes either has", () => {
    const custom = bits([Tq, Tk], 4), pad = bits([B, Tk], 5);
    const both = bothMasks(explicitMask(custom, [B, H, Tq, Tk], "test", "mask"), paddingMask(pad), [B, H, Tq, Tk])!;
    expect(both.strides).toEqual([Tq * Tk, 0, Tk, 1]);
    for (let b = 0; b < B; b++) for (let i = 0; i < Tq; i++) for (let j = 0; j < Tk; j++) {
      expect(both.data[b * Tq * Tk + i * Tk + j]).toBe(custom.data[i * Tk + j] && pad.data[b * Tk + j] ? 1 : 0);
    }
    const one = paddingMask(pad);
    expect(bothMasks(undefined, one, [B, H, Tq, Tk])).toBe(one);
  });

  it("causalMode reads dotProductAttention's option; explicit masks are checked by name", () => {
    expect([true, "topLeft", "bottomRight", false, undefined].map((c) => causalMode(c as never))).toEqual(["topLeft", "topLeft", "bottomRight", false, false]);
    expect(() => explicitMask([[1, 2]], [1, 1, 1, 2], "someLayer", "attentionMask")).toThrow(/^someLayer: attentionMask values must be true\/false or 1\/0, got 2 at flat index 1/);
    expect(() => explicitMask([[1, 0, 1]], [1, 1, 1, 2], "someLayer", "mask")).toThrow(/^someLayer: mask of shape \[1, 3\] does not broadcast to \[1, 1, 1, 2\]/);
  });
});
