// Cross-attention's decoding state (src/decode/fixedKeys.ts): values derived from the fixed keys are computed once
// per keys tensor, and select(rows) hands those marked byRow on as those rows instead of computing them again.
import { describe, expect, it } from "vitest";
import { FixedKeys } from "../../src/decode/fixedKeys.js";
import { selectRows } from "../../src/decode/state.js";
import { Tensor } from "../../src/index.js";
import { expectClose } from "../helpers/numeric.js";
import { bahdanauNet, predictPair } from "../helpers/seq2seq.js";

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

  it("select(rows) hands tensors marked byRow on as the selected rows (repeated, reordered, fewer); other values are computed again", () => {
    const state = new FixedKeys(), k = keys(3);
    const value = state.get(k, "v", () => derived(k), true);
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
    const value = state.get(k, "v", () => derived(k), true);
    const twice = state.select([2, 1, 0]).select([0, 0]); // old rows 2, 2
    expect(Array.from((twice.get(selectRows(k, [2, 2]), "v", () => derived(k)) as Tensor).data)).toEqual(Array.from(selectRows(value, [2, 2]).data));
    let calls = 0;
    state.select([1]).get(selectRows(k, [1]), "v", () => (calls++, derived(k)));
    new FixedKeys().select([0, 0]).get(keys(2), "v", () => (calls++, derived(k)));
    expect(calls).toBe(2);
  });

  it("a batch-major tensor not marked byRow is computed again after select, whatever its shape", () => {
    const state = new FixedKeys(), k = keys(3);
    state.get(k, "visibility", () => derived(k)); // [3, 3]: its first axis is the batch, but it depends on more than each row's keys
    let calls = 0;
    state.select([2, 0, 1]).get(selectRows(k, [2, 0, 1]), "visibility", () => (calls++, derived(k)));
    expect(calls).toBe(1);
  });
});

describe("decoder.select with cross-attention and rows of different query counts", () => {
  // The visibility of the fixed keys depends on each row's key length and query count. select([1, 0]) used to hand
  // it on as rows (it is [B, h, M, N]) under the name of the old rows' counts "2,1"; the next step, counts "2,1" in
  // the new order, took it, so the new row 0 (old row 1, which had 1 query) hid its second query from every key.
  it("each row after select([1, 0]) continues as alone", () => {
    const net = bahdanauNet();
    const sources = [[1, 2, 3, 4, 0], [2, 1]], previous = [[1, 2, 3, 4], [3, 0, 1, 2]];
    const dec = net.startDecoding({ inputs: { source: sources } });
    dec.next([previous[0].slice(0, 2), previous[1].slice(0, 1)]);
    const [row0, row1] = dec.select([1, 0]).next([previous[1].slice(1, 3), previous[0].slice(2, 3)]) as Tensor[];
    const V = 5, alone1 = predictPair(net, sources[1], previous[1].slice(0, 3)), alone0 = predictPair(net, sources[0], previous[0].slice(0, 3));
    expectClose(row0.data, alone1.data.subarray(V), 1e-5, 1e-6, "new row 0 (old row 1), positions 1-2");
    expectClose(row1.data, alone0.data.subarray(2 * V), 1e-5, 1e-6, "new row 1 (old row 0), position 2");
  });
});
