// One step of causal self-attention over a key/value cache. Row b of the batch has consumed `cached` positions;
// its first counts[b] new positions are appended to the cache, and new query t (absolute position p = cached + t)
// attends over the row's keys 0 … p:
//   O[b, h, t] = Σ_{j ≤ p} softmax_j(scale · Q[b, h, t] · K[b, h, j]) V[b, h, j]
// which is the mask module's causal "bottomRight" rule over the row's cached + counts[b] keys. Rows run one at a
// time (each has its own number of keys), so prompts of different lengths share a batch.
// Three paths, by row:
//   a decoding step (at most 16 new positions): the split-K kernel over the cache's copy resident in kernel
//     memory (./residentKeys.ts), to which each step copies only its new positions; the threads share the keys;
//     one call per row, or one for the batch when every row steps at most one position and there is no window;
//   where that cannot run (no WebAssembly, a cache too large for the arena, magnitudes float32 cannot hold) and
//     the row is small: plain JS in float64 straight from the cache's storage (attendDirect, also the reference
//     the tests hold the kernel path to);
//   else (a prompt, or a large row that path refused): the attention kernel on a copy of the row's cache.
import { attend } from "../functional/attentionNode.js";
import * as ops from "../tensor/ops/index.js";
import { Tensor } from "../tensor/tensor.js";
import { residentForward } from "../kernels/wasm/attentionRange.js";
import { wasmUsable } from "../kernels/wasm/loader.js";
import type { KeyValueCache } from "./keyValueCache.js";

/**
 * q [B, H, T, D], k [B, Hkv, T, D], v [B, Hkv, T, Dv]: the new positions (row b's first counts[b] are real,
 * the rest padding). Appends the real keys and values to `cache` and returns the outputs [B, H, T, Dv]
 * (zeros at padded positions). `window` w: query p sees only keys p − w < j ≤ p.
 */
export function attendCached(q: Tensor, k: Tensor, v: Tensor, counts: readonly number[], cache: KeyValueCache, scale: number, window?: number): Tensor {
  const [B, H, T] = q.shape, Dv = v.shape[3];
  const out = new Float32Array(B * H * T * Dv);
  counts.forEach((n, b) => n > 0 && cache.append(b, k, v, n));
  if (B > 1 && T === 1 && window === undefined && attendResidentRows(q, counts, cache, scale, out)) return new Tensor(out, [B, H, T, Dv]);
  for (let b = 0; b < B; b++) {
    const n = counts[b];
    if (n === 0) continue;
    if (n <= RESIDENT_MAX_QUERIES && attendResident(q, b, n, cache, scale, window, out)) continue;
    if (H * n * cache.lengths[b] * (q.shape[3] + Dv) <= DIRECT_MAX_MACS) {
      attendDirect(q, b, n, cache, scale, window, out);
      continue;
    }
    const { keys, values } = cache.read(b); // [1, Hkv, cached + n, ·]
    const rowQ = ops.slice(ops.slice(q, 0, b, b + 1), 2, 0, n); // [1, H, n, D]
    const { output } = attend(rowQ, keys, values, { scale, mask: { causal: "bottomRight", window } }, false); // [1, H, n, Dv]
    for (let h = 0; h < H; h++) out.set(output.data.subarray(h * n * Dv, (h + 1) * n * Dv), ((b * H + h) * T) * Dv);
  }
  return new Tensor(out, [B, H, T, Dv]);
}

/** Rows of at most this many new positions attend with the split-K kernel over the cache's copy in kernel memory (one query block). */
const RESIDENT_MAX_QUERIES = 16;
const NONE = new Float32Array(0);

let residentCalls = 0;
/** How many rows attended over a resident copy so far, alone or in a batch call (for the tests: proof of the path taken). */
export function residentAttentionRuns(): number {
  return residentCalls;
}

/**
 * Row b's n new queries against the cache's copy in kernel memory (./residentKeys.ts: only the positions added
 * since its last use are copied in), by the split-K forward (src/kernels/wasm/assembly/attentionDecode.ts), into
 * out [B, H, T, Dv]. False, having written nothing, when WebAssembly cannot run, the arena cannot hold the cache,
 * or the range check refuses the magnitudes (float32 would overflow: the caller attends in float64).
 */
function attendResident(q: Tensor, b: number, n: number, cache: KeyValueCache, scale: number, window: number | undefined, out: Float32Array): boolean {
  if (!wasmUsable()) return false;
  const resident = cache.resident([b], b);
  if (!resident) return false;
  const [, H, T, D] = q.shape, Dv = cache.valueSize;
  let rowQ = q.data.subarray(b * H * T * D, (b + 1) * H * T * D);
  if (n < T) {
    const part = new Float32Array(H * n * D);
    for (let h = 0; h < H; h++) part.set(rowQ.subarray(h * T * D, (h * T + n) * D), h * n * D);
    rowQ = part;
  }
  const fwd = residentForward({ B: 1, H, Hkv: cache.heads, Tq: n, Tk: cache.lengths[b], D, Dv, q: rowQ, k: NONE, v: NONE, scale, mask: { causal: "bottomRight", window } }, resident);
  if (!fwd) return false;
  residentCalls++;
  for (let h = 0; h < H; h++) out.set(fwd.out.subarray(h * n * Dv, (h + 1) * n * Dv), ((b * H + h) * T) * Dv);
  return true;
}

/**
 * A step of one new position in every row that has one (no window), all rows in one kernel call over the cache's
 * copy: batch row b's query sees its keys 0 … lengths[b] − 1 (bottom-right causal over the longest row, cut at the
 * row's key length), a row with no new position sees none (zeros). The same items and merge order as one call per
 * row, so the same bits. False, having written nothing, where attendResident would be.
 */
function attendResidentRows(q: Tensor, counts: readonly number[], cache: KeyValueCache, scale: number, out: Float32Array): boolean {
  if (!wasmUsable()) return false;
  const stepped = counts.flatMap((n, b) => (n > 0 ? [b] : []));
  if (stepped.length === 0) return true; // nothing new: zeros
  const resident = cache.resident(stepped, 0);
  if (!resident) return false;
  const [B, H, , D] = q.shape, keyLengths = counts.map((n, b) => (n > 0 ? cache.lengths[b] : 0));
  const fwd = residentForward({
    B, H, Hkv: cache.heads, Tq: 1, Tk: Math.max(...keyLengths), D, Dv: cache.valueSize, q: q.data, k: NONE, v: NONE, scale,
    mask: { causal: "bottomRight", keyLengths },
  }, resident);
  if (!fwd) return false;
  residentCalls += stepped.length;
  out.set(fwd.out);
  return true;
}

/**
 * Rows the resident path does not take attend in attendDirect up to this many multiply-adds (H·n·keys·(D + Dv)),
 * the size below which the "wasm" kernel would run on one thread (PARALLEL_MIN_MACS in ../kernels/wasm/attention.ts).
 */
const DIRECT_MAX_MACS = 2 ** 18;

/**
 * Row b's n new queries q[b, h, t] against its cached keys 0 … p (p = cached + t; window w: p − w < j ≤ p), read
 * in place from the cache, query head h using key/value head ⌊h·Hkv/H⌋; written to out [B, H, T, Dv].
 * Scores and sums in float64 (one rounding at the end), so it agrees with the kernel within float32 rounding:
 *   m = max_j s_j,  O = Σ_j e^(s_j − m)·V_j / Σ_j e^(s_j − m),  s_j = scale · Q·K_j
 */
export function attendDirect(q: Tensor, b: number, n: number, cache: KeyValueCache, scale: number, window: number | undefined, out: Float32Array): void {
  const [, H, T, D] = q.shape, Hkv = cache.heads, Dv = cache.valueSize, cap = cache.capacity, L = cache.lengths[b];
  const { keys, values } = cache.storage();
  const scores = new Float64Array(L), sum = new Float64Array(Dv);
  for (let h = 0; h < H; h++) {
    const kv = b * Hkv + Math.floor((h * Hkv) / H);
    for (let t = 0; t < n; t++) {
      const p = L - n + t, first = window === undefined ? 0 : Math.max(0, p - window + 1);
      const qAt = ((b * H + h) * T + t) * D;
      let m = -Infinity;
      for (let j = first; j <= p; j++) {
        const kAt = (kv * cap + j) * D;
        let s = 0;
        for (let d = 0; d < D; d++) s += q.data[qAt + d] * keys[kAt + d];
        scores[j] = s * scale;
        if (scores[j] > m) m = scores[j];
      }
      sum.fill(0);
      let total = 0;
      for (let j = first; j <= p; j++) {
        const e = Math.exp(scores[j] - m), vAt = (kv * cap + j) * Dv;
        if (e === 0) continue; // as the kernel: a zero weight adds nothing, even times a non-finite value
        total += e;
        for (let d = 0; d < Dv; d++) sum[d] += e * values[vAt + d];
      }
      const oAt = ((b * H + h) * T + t) * Dv;
      for (let d = 0; d < Dv; d++) out[oAt + d] = sum[d] / total;
    }
  }
}
