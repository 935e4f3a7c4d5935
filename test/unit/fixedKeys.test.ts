// Cross-attention's decoding state (src/decode/fixedKeys.ts): values derived from the fixed keys are computed once
// per keys tensor, and select(rows) hands the batch-major ones on as those rows instead of computing them again.
import { describe, expect, it } from "vitest";
import { FixedKeys } from "../../src/decode/fixedKeys.js";
import { selectRows } from "../../src/decode/state.js";
import { Tensor } from "../../src/index.js";

const keys = (B: number) => new Tensor(Float32Array.from({ length: B * 2 }, (_, i) => i), [B, 2]);
/** A batch-major value of keys [B, 2]: row b holds b·10 + 0, 1, 2. */
const derived = (k: Tensor) => new Tensor(Float32Array.from({ length: k.shape[0] * 3 }, (_, i) => Math.floor(i / 3) * 10 + (i % 3)), [k.shape[0], 3]);

describe("FixedKeys", () => {
  it("computes a value once per keys tensor", () => {
    const state = new FixedKeys(), k = keys(3);
    let calls = 0;
    const compute = () => (calls++, derived(k));
    const first = state.get(k, "v", compute);
    expect(state.get(k, "v", compute)).toBe(first);
    expect(calls).toBe(1);
    state.get(keys(3), "v", compute); // other keys: computed again
    expect(calls).toBe(2);
  });

  it("select(rows) hands batch-major tensors on as the selected rows (repeated, reordered, fewer); other values are computed again", () => {
    const state = new FixedKeys(), k = keys(3);
    const value = state.get(k, "v", () => derived(k));
    state.get(k, "flag", () => true);
    for (const rows of [[2, 0], [1, 1, 0, 2], [2, 1, 0]]) {
      const picked = state.select(rows), next = selectRows(k, rows);
      let calls = 0;
      const got = picked.get(next, "v", () => (calls++, derived(next)));
      expect(calls).toBe(0);
      expect(Array.from((got as Tensor).data)).toEqual(Array.from(selectRows(value, rows).data));
      expect(picked.get(next, "flag", () => (calls++, false))).toBe(false); // not a tensor: computed for the new keys
      expect(calls).toBe(1);
    }
  });

  it("select of a select composes the rows; a batch of one on either side computes again", () => {
    const state = new FixedKeys(), k = keys(3);
    const value = state.get(k, "v", () => derived(k));
    const twice = state.select([2, 1, 0]).select([0, 0]); // old rows 2, 2
    expect(Array.from((twice.get(selectRows(k, [2, 2]), "v", () => derived(k)) as Tensor).data)).toEqual(Array.from(selectRows(value, [2, 2]).data));
    let calls = 0;
    state.select([1]).get(selectRows(k, [1]), "v", () => (calls++, derived(k)));
    new FixedKeys().select([0, 0]).get(keys(2), "v", () => (calls++, derived(k)));
    expect(calls).toBe(2);
  });
});
