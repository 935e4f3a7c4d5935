// attendCached (src/decode/cachedAttention.ts): steps of up to 16 positions attend over the cache's copy in kernel
// memory, longer ones (prompts) through the kernel on a copy. Both against dotProductAttention's reference kernel
// on the row's cached keys (causal "bottomRight", with and without a window, grouped-query heads, several new
// positions, rows of different lengths, a cache that grew past its capacity). test/unit/residentKeys.test.ts
// holds the resident path to the float64 JS path and to the kernel on a copy.
import { describe, it } from "vitest";
import { dotProductAttention, ops, Random, Tensor } from "../../src/index.js";
import { attendCached } from "../../src/decode/cachedAttention.js";
import { KeyValueCache } from "../../src/decode/keyValueCache.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

const random = new Random(83);

describe("attendCached: the direct path and the kernel path equal attention over the cached keys", () => {
  // [H, Hkv, D, Dv, prompt, steps]: small, and large (a prompt of 300: the kernel on a copy, then steps over 300 keys)
  for (const [H, Hkv, D, Dv, prompt, steps] of [[4, 2, 8, 4, 5, 4], [2, 1, 3, 5, 1, 6], [4, 4, 64, 64, 300, 2]]) {
    for (const window of [undefined, 3]) {
      it(`H = ${H}, Hkv = ${Hkv}, D = ${D}, Dv = ${Dv}, prompt ${prompt} then ${steps} steps of 1 and 2 positions, window ${window ?? "none"}`, () => {
        const B = 2, cache = new KeyValueCache(B, Hkv, D, Dv, 2), scale = 1 / Math.sqrt(D);
        const all = { k: [] as Tensor[], v: [] as Tensor[] }; // each row's keys and values so far, [1, Hkv, L, ·]
        const feed = (counts: number[]) => {
          const T = Math.max(...counts);
          const q = randomTensor([B, H, T, D], random), k = randomTensor([B, Hkv, T, D], random), v = randomTensor([B, Hkv, T, Dv], random);
          const out = attendCached(q, k, v, counts, cache, scale, window);
          counts.forEach((n, b) => {
            if (n === 0) return;
            const row = (t: Tensor) => ops.slice(ops.slice(t, 0, b, b + 1), 2, 0, n);
            all.k[b] = all.k[b] ? ops.concat([all.k[b], row(k)], 2) : row(k);
            all.v[b] = all.v[b] ? ops.concat([all.v[b], row(v)], 2) : row(v);
            const expected = dotProductAttention(row(q), all.k[b], all.v[b], { scale, causal: "bottomRight", window, implementation: "reference" }) as Tensor;
            expectClose(row(out).data, expected.data, 1e-5, 1e-6, `row ${b}`);
          });
        };
        feed([prompt, Math.max(1, prompt - 2)]);
        for (let s = 0; s < steps; s++) feed([1 + (s % 2), s % 3 === 0 ? 0 : 1]);
      });
    }
  }
});
