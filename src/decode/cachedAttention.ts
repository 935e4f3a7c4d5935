// One step of causal self-attention over a key/value cache. Row b of the batch has consumed `cached` positions;
// its first counts[b] new positions are appended to the cache, and new query t (absolute position p = cached + t)
// attends over the row's keys 0 … p:
//   O[b, h, t] = Σ_{j ≤ p} softmax_j(scale · Q[b, h, t] · K[b, h, j]) V[b, h, j]
// which is the mask module's causal "bottomRight" rule over the row's cached + counts[b] keys. Rows run one at a
// time (each has its own number of keys), so prompts of different lengths share a batch.
import { attend } from "../functional/attentionNode.js";
import * as ops from "../tensor/ops/index.js";
import { Tensor } from "../tensor/tensor.js";
import type { KeyValueCache } from "./keyValueCache.js";

/**
 * q [B, H, T, D], k [B, Hkv, T, D], v [B, Hkv, T, Dv]: the new positions (row b's first counts[b] are real,
 * the rest padding). Appends the real keys and values to `cache` and returns the outputs [B, H, T, Dv]
 * (zeros at padded positions). `window` w: query p sees only keys p − w < j ≤ p.
 */
export function attendCached(q: Tensor, k: Tensor, v: Tensor, counts: readonly number[], cache: KeyValueCache, scale: number, window?: number): Tensor {
  const [B, H, T] = q.shape, Dv = v.shape[3];
  const out = new Float32Array(B * H * T * Dv);
  for (let b = 0; b < B; b++) {
    const n = counts[b];
    if (n === 0) continue;
    cache.append(b, k, v, n);
    const { keys, values } = cache.read(b); // [1, Hkv, cached + n, ·]
    const rowQ = ops.slice(ops.slice(q, 0, b, b + 1), 2, 0, n); // [1, H, n, D]
    const { output } = attend(rowQ, keys, values, { scale, mask: { causal: "bottomRight", window } }, false); // [1, H, n, Dv]
    for (let h = 0; h < H; h++) out.set(output.data.subarray(h * n * Dv, (h + 1) * n * Dv), ((b * H + h) * T) * Dv);
  }
  return new Tensor(out, [B, H, T, Dv]);
}
