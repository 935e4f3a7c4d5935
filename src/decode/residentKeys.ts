// A key/value cache's copy in the kernels' memory, so that a decoding step's attention reads the cached keys in
// place instead of copying them all in per call. One arena region (src/kernels/wasm/cacheArena.ts) holds keys
// [B, Hkv, cap, D4] then values [B, Hkv, cap, Dv4] (D, Dv rounded up to multiples of 4, zero padded; cap a multiple
// of 4: the cache's capacity when made). The cache's own arrays stay the truth (the float64 path and
// read() use them); the copy follows them lazily: row b's first synced[b] positions are known equal, and a use
// copies positions synced[b] … lengths[b] − 1 in. States only write past their lengths, so that holds until an
// undo puts lengths back (forget() then lowers synced). A copy of the cache (clone, select) copies its rows within
// kernel memory (select); a region the arena dropped, or one a row outgrew (the cache grew, ×2), is made again and
// filled from the cache.
// The copy also measures what it copies in (the largest finite |k| and |v| of each row, and whether any is NaN or
// ±∞), so the kernel's range check needs no pass over the cache per step. After an undo the measures keep the
// forgotten positions' values: an upper bound, which the check accepts (it can only make it more careful).
import { allocateRegion, freeRegion, regionOffset } from "../kernels/wasm/cacheArena.js";
import type { ResidentKeys } from "../kernels/wasm/attention.js";
import { wasmKernels } from "../kernels/wasm/loader.js";

/** What the copy reads of its cache. */
export interface CacheStorage {
  readonly batch: number; readonly heads: number; readonly keySize: number; readonly valueSize: number;
  readonly capacity: number; readonly lengths: readonly number[];
  storage(): { keys: Float32Array; values: Float32Array };
}

const up4 = (n: number) => (n + 3) & ~3;

export class ResidentCopy {
  private id = 0; // arena region, 0 = none
  private cap = 0;
  private readonly synced: number[];
  private readonly measured: { k: number; v: number; nonFinite: boolean }[];

  constructor(batch: number) {
    this.synced = new Array<number>(batch).fill(0);
    this.measured = Array.from({ length: batch }, () => ({ k: 0, v: 0, nonFinite: false }));
  }

  /** After an undo: positions past the cache's lengths may be written again, so they are no longer known equal. */
  forget(lengths: readonly number[]): void {
    lengths.forEach((n, b) => (this.synced[b] = Math.min(this.synced[b], n)));
  }

  /**
   * A copy whose row i is row rows[i] of this one (for the cache's clone and select: `cache` is this copy's cache),
   * copied within kernel memory with what is known of each row (synced positions, measures), so it is not copied
   * in again from the arrays; null when this one has no region or no new one fits.
   */
  select(cache: CacheStorage, rows: readonly number[]): ResidentCopy | null {
    const { heads: Hkv, keySize: D, valueSize: Dv } = cache, B = cache.batch, cap = this.cap;
    if (this.id === 0 || regionOffset(this.id) === undefined) return null;
    const keyBytes = Hkv * cap * up4(D) * 4, valueBytes = Hkv * cap * up4(Dv) * 4; // one batch row's
    const id = allocateRegion(rows.length * (keyBytes + valueBytes));
    const from = regionOffset(this.id); // after the allocation: it may have moved, or been dropped
    if (id === null || from === undefined) {
      if (id !== null) freeRegion(id);
      return null;
    }
    const to = regionOffset(id)!, heap = new Uint8Array(wasmKernels().memory.buffer), out = new ResidentCopy(rows.length);
    rows.forEach((r, i) => {
      heap.copyWithin(to + i * keyBytes, from + r * keyBytes, from + (r + 1) * keyBytes);
      heap.copyWithin(to + rows.length * keyBytes + i * valueBytes, from + B * keyBytes + r * valueBytes, from + B * keyBytes + (r + 1) * valueBytes);
      out.synced[i] = this.synced[r];
      out.measured[i] = { ...this.measured[r] };
    });
    out.id = id;
    out.cap = cap;
    return out;
  }

  /**
   * The keys and values of rows `rows` in kernel memory, up to date with `cache`, addressed from batch row `first`
   * (k and v point at its keys and values; the rows follow at a stride of Hkv·cap positions), measured over those
   * rows. Valid until the next arena allocation or memory release: use them at once. Null when the arena cannot
   * hold the cache. `room`: positions past the longest row's length that the copy must also hold (a step program
   * writes its new position there itself: see wrote).
   */
  rows(cache: CacheStorage, rows: readonly number[], first: number, room = 0): ResidentKeys | null {
    const { batch: B, heads: Hkv, keySize: D, valueSize: Dv } = cache;
    const D4 = up4(D), Dv4 = up4(Dv), longest = Math.max(0, ...rows.map((b) => cache.lengths[b])) + room;
    let base = this.id === 0 ? undefined : regionOffset(this.id);
    if (base === undefined || up4(longest) > this.cap) {
      if (this.id !== 0) freeRegion(this.id);
      const cap = up4(Math.max(longest, cache.capacity)), floats = B * Hkv * cap * (D4 + Dv4);
      const id = allocateRegion(floats * 4);
      this.id = id ?? 0;
      if (id === null) return null;
      base = regionOffset(id)!;
      this.cap = cap;
      this.synced.fill(0);
      this.measured.forEach((m) => { m.k = 0; m.v = 0; m.nonFinite = false; });
      if (D4 !== D || Dv4 !== Dv) new Float32Array(wasmKernels().memory.buffer, base, floats).fill(0); // the padding columns (positions past a row's length are never read: copyIn zeros those up to the next 4)
    }
    const cap = this.cap, heap = new Float32Array(wasmKernels().memory.buffer), { keys, values } = cache.storage();
    const keysAt = (b: number) => base + b * Hkv * cap * D4 * 4, valuesAt = (b: number) => base + (B * cap * D4 + b * cap * Dv4) * Hkv * 4;
    const measured = { k: 0, v: 0, nonFinite: false };
    for (const b of rows) {
      const L = cache.lengths[b], m = this.measured[b];
      const kMax = copyIn(keys, cache.capacity, D, heap, keysAt(b) / 4, cap, D4, b, Hkv, this.synced[b], L);
      const vMax = copyIn(values, cache.capacity, Dv, heap, valuesAt(b) / 4, cap, Dv4, b, Hkv, this.synced[b], L);
      m.k = Math.max(m.k, kMax.largest); m.v = Math.max(m.v, vMax.largest); m.nonFinite ||= kMax.nonFinite || vMax.nonFinite;
      this.synced[b] = L;
      measured.k = Math.max(measured.k, m.k); measured.v = Math.max(measured.v, m.v); measured.nonFinite ||= m.nonFinite;
    }
    return { k: keysAt(first), v: valuesAt(first), stride: cap, measured };
  }

  /**
   * Row b alone (batch row b's keys and values, its measures) when this copy holds it up to date with room for
   * `room` more positions: what rows(cache, [b], b, room) would give without its pass over the heads (a step
   * program's every step), else null (rows() then copies what is missing). Positions from lengths[b] up to the next
   * multiple of 4 may hold an undone step's values here; the program overwrites them (see wrote).
   */
  current(cache: CacheStorage, b: number, room: number): ResidentKeys | null {
    const L = cache.lengths[b];
    if (this.id === 0 || this.synced[b] !== L || up4(L + room) > this.cap) return null;
    const base = regionOffset(this.id);
    if (base === undefined) return null;
    const { batch: B, heads: Hkv, keySize: D, valueSize: Dv } = cache, cap = this.cap;
    return { k: base + b * Hkv * cap * up4(D) * 4, v: base + (B * cap * up4(D) + b * cap * up4(Dv)) * Hkv * 4, stride: cap, measured: this.measured[b] };
  }

  /**
   * A step program wrote row b's newest position (lengths[b] − 1, now in the cache's arrays too) into this copy
   * in kernel memory, zero padded as copyIn pads, and it was measured: the largest finite |k| and |v|, and whether
   * any was NaN or ±∞. Right only when no arena allocation has happened since the rows() call that gave the
   * program its address.
   */
  wrote(cache: CacheStorage, b: number, k: number, v: number, nonFinite: boolean): void {
    const m = this.measured[b];
    m.k = Math.max(m.k, k); m.v = Math.max(m.v, v); m.nonFinite ||= nonFinite;
    if (this.synced[b] === cache.lengths[b] - 1) this.synced[b] = cache.lengths[b];
  }
}

/**
 * Positions from … to − 1 of every head of row b of src [B, Hkv, srcCap, size] into dst [Hkv, cap, size4] at
 * float `at`, then zeros at positions to … up4(to) − 1 (read by the kernel's 4-key tiles, under weight 0).
 * Returns the largest finite |x| copied and whether any x was NaN or ±∞.
 */
function copyIn(src: Float32Array, srcCap: number, size: number, dst: Float32Array, at: number, cap: number, size4: number, b: number, heads: number, from: number, to: number): { largest: number; nonFinite: boolean } {
  let largest = 0, nonFinite = false;
  for (let h = 0; h < heads; h++) {
    const s = (b * heads + h) * srcCap * size, d = at + h * cap * size4;
    for (let i = s + from * size; i < s + to * size; i++) {
      const a = Math.abs(src[i]);
      if (a < Infinity) largest = a > largest ? a : largest;
      else nonFinite = true; // ±∞ or NaN
    }
    if (size === size4) dst.set(src.subarray(s + from * size, s + to * size), d + from * size);
    else for (let j = from; j < to; j++) dst.set(src.subarray(s + j * size, s + (j + 1) * size), d + j * size4);
    dst.fill(0, d + to * size4, d + up4(to) * size4);
  }
  return { largest, nonFinite };
}
