// The key/value cache of one attention layer during decoding: keys [B, Hkv, capacity, D] and values
// [B, Hkv, capacity, Dv], preallocated; row b holds its first lengths[b] positions. An append that would pass
// the capacity doubles it (as often as needed), so n appends cost O(n) copies in all.
import { Tensor } from "../tensor/tensor.js";
import { ResidentCopy } from "./residentKeys.js";
import type { ResidentKeys } from "../kernels/wasm/attention.js";
import type { DecodeState } from "./state.js";

/** One attention layer's cached keys [B, Hkv, capacity, D] and values [B, Hkv, capacity, Dv], with each row's length. */
export class KeyValueCache implements DecodeState {
  /** cached positions per batch row */
  readonly lengths: number[];
  private keys: Float32Array;
  private values: Float32Array;
  /** the copy in kernel memory the decoding kernel reads (./residentKeys.ts), made on first use (or from the copy of the cache this one copies) */
  private residentCopy: ResidentCopy | null = null;

  constructor(readonly batch: number, readonly heads: number, readonly keySize: number, readonly valueSize: number, private cap: number, copyOf?: KeyValueCache) {
    this.lengths = copyOf ? copyOf.lengths.slice() : new Array(batch).fill(0);
    this.keys = copyOf ? copyOf.keys.slice() : new Float32Array(batch * heads * cap * keySize);
    this.values = copyOf ? copyOf.values.slice() : new Float32Array(batch * heads * cap * valueSize);
  }

  get capacity(): number {
    return this.cap;
  }

  clone(): KeyValueCache {
    const out = new KeyValueCache(this.batch, this.heads, this.keySize, this.valueSize, this.cap, this);
    out.residentCopy = this.residentCopy?.select(this, this.lengths.map((_, b) => b)) ?? null;
    return out;
  }

  /** A cache whose row i holds what row rows[i] of this one holds. */
  select(rows: readonly number[]): KeyValueCache {
    const out = new KeyValueCache(rows.length, this.heads, this.keySize, this.valueSize, this.cap);
    rows.forEach((r, i) => {
      copyRows(this.keys, this.cap, r, this.lengths[r], out.keys, this.cap, { row: i, position: 0 }, this.heads, this.keySize);
      copyRows(this.values, this.cap, r, this.lengths[r], out.values, this.cap, { row: i, position: 0 }, this.heads, this.valueSize);
      out.lengths[i] = this.lengths[r];
    });
    out.residentCopy = this.residentCopy?.select(this, rows) ?? null; // beam search selects every step: copied in kernel memory, not again from these arrays
    return out;
  }

  mark(): () => void {
    const saved = this.lengths.slice();
    return () => {
      saved.forEach((n, b) => (this.lengths[b] = n));
      this.residentCopy?.forget(this.lengths);
    };
  }

  /** Appends positions 0 … count − 1 of row `row` of k [B, Hkv, T, D] and v [B, Hkv, T, Dv] to batch row `row`. */
  append(row: number, k: Tensor, v: Tensor, count: number): void {
    const needed = this.lengths[row] + count;
    if (needed > this.cap) this.grow(needed);
    const at = { row, position: this.lengths[row] };
    copyRows(k.data, k.shape[2], row, count, this.keys, this.cap, at, this.heads, this.keySize);
    copyRows(v.data, v.shape[2], row, count, this.values, this.cap, at, this.heads, this.valueSize);
    this.lengths[row] = needed;
  }

  /** Row `row`'s cached keys [1, Hkv, lengths[row], D] and values [1, Hkv, lengths[row], Dv] (copies). */
  read(row: number): { keys: Tensor; values: Tensor } {
    const n = this.lengths[row];
    const take = (data: Float32Array, size: number) => {
      const out = new Float32Array(this.heads * n * size);
      copyRows(data, this.cap, row, n, out, n, { row: 0, position: 0 }, this.heads, size);
      return new Tensor(out, [1, this.heads, n, size]);
    };
    return { keys: take(this.keys, this.keySize), values: take(this.values, this.valueSize) };
  }

  /** The storage itself (no copy; valid until the next append): key d of head h at position j of row b is keys[((b·Hkv + h)·capacity + j)·D + d]. */
  storage(): { keys: Float32Array; values: Float32Array } {
    return { keys: this.keys, values: this.values };
  }

  /**
   * The keys and values of batch rows `rows` in kernel memory, up to date, addressed from row `first` (see
   * ResidentCopy.rows; use them at once); null when they do not fit there.
   */
  resident(rows: readonly number[], first: number): ResidentKeys | null {
    this.residentCopy ??= new ResidentCopy(this.batch);
    return this.residentCopy.rows(this, rows, first);
  }

  /**
   * For a step program (./stepProgram.ts) that appends one position to row `row` in kernel memory: the row's keys and
   * values there, up to date and with room for that position (the arrays grown first if full); null when the arena
   * cannot hold them. Then appendWritten records what the program wrote.
   */
  residentForStep(row: number): ResidentKeys | null {
    if (this.lengths[row] + 1 > this.cap) this.grow(this.lengths[row] + 1);
    this.residentCopy ??= new ResidentCopy(this.batch);
    return this.residentCopy.current(this, row, 1) ?? this.residentCopy.rows(this, [row], row, 1);
  }

  /**
   * Appends one position to row `row`: k [Hkv·D] and v [Hkv·Dv] (heads in order), which a step program also wrote
   * into the copy residentForStep gave it; `measured`: their largest finite |k| and |v|, and whether any is NaN or ±∞.
   */
  appendWritten(row: number, k: Float32Array, v: Float32Array, measured: { k: number; v: number; nonFinite: boolean }): void {
    const L = this.lengths[row], H = this.heads, D = this.keySize, Dv = this.valueSize;
    for (let h = 0; h < H; h++) {
      this.keys.set(k.subarray(h * D, (h + 1) * D), ((row * H + h) * this.cap + L) * D);
      this.values.set(v.subarray(h * Dv, (h + 1) * Dv), ((row * H + h) * this.cap + L) * Dv);
    }
    this.lengths[row] = L + 1;
    this.residentCopy!.wrote(this, row, measured.k, measured.v, measured.nonFinite);
  }

  /** Doubles the capacity until `needed` positions fit, keeping what is cached. */
  private grow(needed: number): void {
    let cap = Math.max(1, this.cap);
    while (cap < needed) cap *= 2;
    const move = (data: Float32Array, size: number) => {
      const out = new Float32Array(this.batch * this.heads * cap * size);
      for (let b = 0; b < this.batch; b++) {
        copyRows(data, this.cap, b, this.lengths[b], out, cap, { row: b, position: 0 }, this.heads, size);
      }
      return out;
    };
    this.keys = move(this.keys, this.keySize);
    this.values = move(this.values, this.valueSize);
    this.cap = cap;
  }
}

/**
 * Copies positions 0 … count − 1 of every head of batch row `row` of src [B, H, srcT, size] to row `at.row`
 * of dst [B', H, dstT, size], at positions at.position … at.position + count − 1.
 */
function copyRows(src: Float32Array, srcT: number, row: number, count: number, dst: Float32Array, dstT: number, at: { row: number; position: number }, heads: number, size: number): void {
  for (let h = 0; h < heads; h++) {
    const from = ((row * heads + h) * srcT) * size;
    const to = ((at.row * heads + h) * dstT + at.position) * size;
    dst.set(src.subarray(from, from + count * size), to);
  }
}
