// Decoding's attention over key/value caches kept in kernel memory (src/decode/residentKeys.ts, the arena of
// src/kernels/wasm/cacheArena.ts): attendCached's resident path against the float64 JS path (attendDirect) and
// the reference kernel on the row's whole cache, on awkward shapes (one key, odd sizes, grouped-query heads,
// windows, batch rows of different lengths, growth past the capacity), against the split-K kernel on a copy of
// the cache (the same bits), at 1 and 2 threads (the same bits), and through what can make the copy stale:
// copies of a state that diverge, an undo, the arena evicting regions, the memory released, the resident weights
// replaced, and magnitudes the range check refuses.
import { afterAll, describe, expect, it, vi } from "vitest";
import { dotProductAttention, getNumThreads, ops, Random, releaseMemory, setNumThreads, Tensor } from "../../src/index.js";
import { attendCached, attendDirect, residentAttentionRuns } from "../../src/decode/cachedAttention.js";
import { KeyValueCache } from "../../src/decode/keyValueCache.js";
import { wasmAttentionKernel } from "../../src/kernels/wasm/attention.js";
import { arenaUsage } from "../../src/kernels/wasm/cacheArena.js";
import { withResident } from "../../src/kernels/wasm/resident.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm.js";
import { wasmKernels } from "../../src/kernels/wasm/loader.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));
const random = new Random(161);

/** A cache fed through attendCached, with each row's keys and values so far kept aside for the references. */
class Fed {
  readonly all: { k?: Tensor; v?: Tensor }[];
  constructor(readonly cache: KeyValueCache, readonly H: number, readonly scale: number, readonly window?: number, all?: { k?: Tensor; v?: Tensor }[]) {
    this.all = all ?? Array.from({ length: cache.batch }, () => ({}));
  }

  copy(cache: KeyValueCache, rows?: readonly number[]): Fed {
    return new Fed(cache, this.H, this.scale, this.window, (rows ?? this.all.map((_, b) => b)).map((r) => ({ ...this.all[r] })));
  }

  /**
   * One call with counts[b] new positions per row (values times `magnitude`): checks every row against the
   * reference kernel on its whole cache (float32 rounding) and against attendDirect on a twin cache; returns the outputs.
   */
  step(counts: number[], magnitude = 1, expectResident: boolean | "either" = true): Tensor {
    const { cache, H, scale, window } = this, B = cache.batch, Hkv = cache.heads, D = cache.keySize, Dv = cache.valueSize;
    const T = Math.max(...counts);
    const q = randomTensor([B, H, T, D], random, magnitude), k = randomTensor([B, Hkv, T, D], random, magnitude), v = randomTensor([B, Hkv, T, Dv], random, magnitude);
    const runs = residentAttentionRuns();
    const out = attendCached(q, k, v, counts, cache, scale, window);
    const attended = counts.filter((n) => n > 0 && n <= 16).length;
    if (expectResident !== "either") expect(residentAttentionRuns() - runs, "rows that took the resident path").toBe(expectResident ? attended : 0);
    counts.forEach((n, b) => {
      if (n === 0) return;
      const row = (t: Tensor) => ops.slice(ops.slice(t, 0, b, b + 1), 2, 0, n);
      const seen = this.remember(b, row(k), row(v));
      const expected = dotProductAttention(row(q), seen.k, seen.v, { scale, causal: "bottomRight", window, implementation: "reference" }) as Tensor;
      const got = row(out);
      expectClose(got.data, expected.data, 1e-5, 1e-6 * magnitude, `row ${b} against the reference`);
      // attendDirect on a one-row cache holding the same keys: row 0 of a batch of one
      const twinCache = new KeyValueCache(1, Hkv, D, Dv, 1);
      twinCache.append(0, seen.k, seen.v, seen.k.shape[2]);
      const one = new Float32Array(H * n * Dv);
      attendDirect(row(q), 0, n, twinCache, scale, window, one);
      expectClose(got.data, one, 1e-5, 1e-6 * magnitude, `row ${b} against attendDirect`);
    });
    return out;
  }

  /** Appends k [1, Hkv, n, D] and v [1, Hkv, n, Dv] to row b without attending. */
  append(b: number, k: Tensor, v: Tensor): void {
    const put = (t: Tensor) => { const rows = new Array<Tensor>(this.cache.batch).fill(t); return ops.concat(rows, 0); };
    this.cache.append(b, put(k), put(v), k.shape[2]);
    this.remember(b, k, v);
  }

  remember(b: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    const seen = this.all[b];
    seen.k = seen.k ? ops.concat([seen.k, k], 2) : k;
    seen.v = seen.v ? ops.concat([seen.v, v], 2) : v;
    return { k: seen.k, v: seen.v };
  }
}

describe("resident path against attendDirect and the reference kernel", () => {
  // [H, Hkv, D, Dv]: odd sizes (D4 > D: padded columns), grouped-query heads (H/Hkv = 2, 3), one channel, decoding's size
  for (const [H, Hkv, D, Dv] of [[4, 2, 8, 4], [3, 1, 3, 5], [2, 2, 1, 1], [4, 4, 64, 64]]) {
    for (const window of [undefined, 1, 3]) {
      it(`H ${H}, Hkv ${Hkv}, D ${D}, Dv ${Dv}, window ${window ?? "none"}: one key first, rows of different lengths, growth past the capacity`, () => {
        const fed = new Fed(new KeyValueCache(3, Hkv, D, Dv, 2), H, 1 / Math.sqrt(D) + 0.3, window);
        fed.step([1, 2, 0]); // row 0 sees one key; row 2 nothing yet
        fed.step([1, 0, 5]);
        for (let s = 0; s < 9; s++) fed.step([1 + (s % 3), s % 2, s % 4 === 0 ? 0 : 1]);
        expect(fed.cache.capacity, "the cache grew").toBeGreaterThan(2);
      });
    }
  }

  it("16 new positions take the resident path, 17 the kernel on a copy (the same results within rounding)", () => {
    const fed = new Fed(new KeyValueCache(2, 2, 5, 3, 4), 4, 0.5);
    fed.step([16, 3]);
    const runs = residentAttentionRuns();
    fed.step([17, 17], 1, false);
    expect(residentAttentionRuns()).toBe(runs);
    fed.step([1, 16]);
  });
});

describe("resident path: the same bits as the split-K kernel on a copy, at every thread count", () => {
  for (const [H, Hkv, D, L, n, window] of [[4, 4, 64, 700, 1, undefined], [4, 2, 7, 300, 3, undefined], [6, 3, 16, 1100, 2, 400]] as const) {
    it(`H ${H}, Hkv ${Hkv}, D ${D}, ${L} cached keys, ${n} new, window ${window ?? "none"}`, () => {
      const Dv = D + 1, scale = 1 / Math.sqrt(D);
      const prompt = [randomTensor([1, Hkv, L, D], random), randomTensor([1, Hkv, L, Dv], random)];
      const q = randomTensor([1, H, n, D], random), k = randomTensor([1, Hkv, n, D], random), v = randomTensor([1, Hkv, n, Dv], random);
      const outs = [1, 2].map((threads) => {
        setNumThreads(threads);
        const cache = new KeyValueCache(1, Hkv, D, Dv, 8);
        cache.append(0, prompt[0], prompt[1], L);
        return attendCached(q, k, v, [n], cache, scale, window).data;
      });
      expect(Buffer.from(outs[1].buffer).equals(Buffer.from(outs[0].buffer)), "1 and 2 threads").toBe(true);
      const keys = ops.concat([prompt[0], k], 2), values = ops.concat([prompt[1], v], 2);
      const copy = wasmAttentionKernel.forward({ B: 1, H, Hkv, Tq: n, Tk: L + n, D, Dv, q: q.data, k: keys.data, v: values.data, scale, mask: { causal: "bottomRight", window } }, false);
      expect(Buffer.from(outs[0].buffer).equals(Buffer.from(copy.out.buffer)), "the split-K kernel on a copy").toBe(true);
    });
  }
});

describe("one new position per row, no window: the batch in one call", () => {
  it("rows of different lengths, some stepping none: the reference's results, and the bits of one call per row", () => {
    const B = 3, H = 4, Hkv = 2, D = 12, Dv = 8, scale = 0.3;
    const fed = new Fed(new KeyValueCache(B, Hkv, D, Dv, 2), H, scale);
    const alone = Array.from({ length: B }, () => new KeyValueCache(1, Hkv, D, Dv, 2)); // each row in a cache of its own
    const feed = (counts: number[], expectedResidentRows: number) => {
      const T = Math.max(...counts);
      const runs = residentAttentionRuns();
      const q = randomTensor([B, H, T, D], random), k = randomTensor([B, Hkv, T, D], random), v = randomTensor([B, Hkv, T, Dv], random);
      const out = attendCached(q, k, v, counts, fed.cache, scale);
      expect(residentAttentionRuns() - runs).toBe(expectedResidentRows);
      counts.forEach((n, b) => {
        const row = (t: Tensor) => ops.slice(t, 0, b, b + 1);
        if (n > 0) fed.remember(b, ops.slice(row(k), 2, 0, n), ops.slice(row(v), 2, 0, n));
        const one = attendCached(row(q), row(k), row(v), [n], alone[b], scale).data;
        expect(Buffer.from(one.buffer).equals(Buffer.from(row(out).data.buffer)), `row ${b}`).toBe(true);
      });
    };
    feed([5, 1, 300], 2); // a prompt per row (the longest past one chunk of 256, through the kernel on a copy)
    for (let s = 0; s < 6; s++) feed([1, s % 3 === 0 ? 0 : 1, 1], s % 3 === 0 ? 2 : 3);
    for (let s = 0; s < 3; s++) fed.step([1, s % 2, 1]); // and against the reference
  });
});

describe("resident copies stay in step with their caches", () => {
  const start = () => new Fed(new KeyValueCache(2, 2, 6, 6, 4), 4, 0.4);

  it("copies of a state (clone, select with repeats) diverge, each right, and the original too", () => {
    const fed = start();
    fed.step([5, 2]);
    fed.step([1, 1]);
    const cloned = fed.copy(fed.cache.clone()), selected = fed.copy(fed.cache.select([1, 1, 0]), [1, 1, 0]);
    for (let s = 0; s < 4; s++) {
      cloned.step([1, 2]);
      fed.step([2, 1]);
      selected.step([1, s % 2, 1]);
    }
    fed.step([17, 20], 1, false); // through the kernel on a copy: the resident copy is behind the arrays now
    const behind = fed.copy(fed.cache.select([1, 0]), [1, 0]); // its rows copied with their synced counts, the rest copied in at use
    behind.step([1, 1]);
    fed.step([1, 2]);
  });

  it("an undo (mark) puts the lengths back and the next positions written there are copied in again", () => {
    const fed = start();
    fed.step([4, 3]);
    const saved = fed.all.map((r) => ({ ...r }));
    const undo = fed.cache.mark();
    fed.step([2, 1]);
    undo();
    fed.all.splice(0, 2, ...saved);
    fed.step([2, 1]); // the same positions, other keys: the copy must not keep the undone ones
    fed.step([1, 1]);
  });

  it("the memory released, a larger resident block placed, or the memory grown between steps: the copy is made again or read anew", () => {
    const fed = start();
    fed.step([6, 3]);
    releaseMemory();
    fed.step([1, 1]);
    withResident([new Float32Array(1 << 20).fill(0.5)], () => fed.step([1, 2])); // a 4 MiB block where the arena was
    fed.step([1, 1]);
    const pages = wasmKernels().memory.buffer.byteLength;
    const big = new Float32Array(1 << 22), c = new Float32Array(4);
    gemmWasm(big, 0, false, big, 0, true, c, 0, 2, 1 << 21, 2, false); // a call that grows the memory (views made before see the old length)
    expect(wasmKernels().memory.buffer.byteLength).toBeGreaterThan(pages);
    fed.step([1, 1]);
  });

  it("many live caches used in turn: the arena evicts and grows, results stay right, its size stays bounded", () => {
    const before = arenaUsage();
    const feds = Array.from({ length: 24 }, () => new Fed(new KeyValueCache(1, 4, 64, 64, 256), 4, 0.125));
    for (const f of feds) f.step([16]);
    for (let round = 0; round < 3; round++) for (const f of feds) f.step([1 + round]);
    const after = arenaUsage();
    expect(after.dropped - before.dropped, "regions evicted (and copied in again when used)").toBeGreaterThan(0);
    expect(after.moved - before.moved, "regions moved down").toBeGreaterThan(0);
    const region = 4 * 256 * 128 * 4; // bytes of one cache's copy
    expect(after.size).toBeLessThanOrEqual(4 * feds.length * region);
    for (let i = 0; i < 400; i++) new Fed(new KeyValueCache(1, 4, 64, 64, 256), 4, 0.125).step([1]); // dropped at once (beam search's replaced beams)
    expect(arenaUsage().size, "dropped caches do not grow the arena without bound").toBeLessThanOrEqual(4 * feds.length * region);
    for (const f of feds) f.step([1]);
  });

  it("the engine refusing more memory (a browser tab's limit): caches that no longer fit attend from their arrays, right, instead of throwing", () => {
    const big = new Float32Array(1 << 22), c = new Float32Array(4);
    gemmWasm(big, 0, false, big, 0, true, c, 0, 2, 1 << 21, 2, false); // room after the arena for the kernels' own calls
    const grow = vi.spyOn(WebAssembly.Memory.prototype, "grow").mockImplementation(() => { throw new RangeError("refused (test)"); });
    try {
      const capacity = 4096, region = 4 * capacity * 128 * 4; // 8 MiB per cache's copy, more in all than the memory holds
      const feds = Array.from({ length: Math.ceil(wasmKernels().memory.buffer.byteLength / region) + 2 }, () => new Fed(new KeyValueCache(1, 4, 64, 64, capacity), 4, 0.125));
      for (let round = 0; round < 2; round++) for (const f of feds) f.step([1 + round], 1, "either");
      expect(grow, "the arena asked for more memory and was refused").toHaveBeenCalled();
    } finally {
      grow.mockRestore();
    }
  });
});

describe("magnitudes and non-finite keys", () => {
  it("NaN and ∞ keys and values the window hides: the resident path leaves them out (finite outputs, as the reference)", () => {
    const fed = new Fed(new KeyValueCache(1, 1, 4, 4, 8), 2, 0.5, 4);
    const k = randomTensor([1, 1, 5, 4], random), v = randomTensor([1, 1, 5, 4], random);
    k.data[1] = Infinity; v.data[0] = NaN; v.data[5] = -Infinity; // positions 0 and 1
    fed.append(0, k, v);
    fed.step([1]); // position 5 sees 2 … 5, in a 4-key tile from 0 whose first two weights are 0
    fed.step([2]);
  });

  it("values whose scores float32 cannot hold: the range check refuses and attendDirect answers (float64)", () => {
    const fed = new Fed(new KeyValueCache(1, 2, 4, 4, 8), 2, 1, undefined);
    fed.step([3], 1e19, false);
    fed.step([1], 1e19, false);
  });
});
