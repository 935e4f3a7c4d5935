// The wasm kernel's split-K forward (flash-decoding, src/kernels/wasm/assembly/attentionDecode.ts): a few
// queries against many keys, the keys split into fixed chunks whose partial softmaxes merge by their
// log-sum-exp. Against the reference on decoding's awkward shapes and masks, bit-identical for 1, 2 and 3
// threads, and the backward from its statistics still the reference's.
import { afterAll, describe, expect, it } from "vitest";
import { Random, getNumThreads, setNumThreads } from "../../src/index.js";
import type { AttentionProblem, MaskSpec } from "../../src/kernels/attention/problem.js";
import { referenceKernel } from "../../src/kernels/attention/reference.js";
import { splitKeyRuns, wasmAttentionKernel } from "../../src/kernels/wasm/attention.js";
import { rangeCheckedWasmKernel, referenceRuns } from "../../src/kernels/wasm/attentionRange.js";
import { expectWithin, magnitudes } from "../helpers/attentionTolerance.js";

const initial = getNumThreads();
afterAll(() => setNumThreads(initial));

const uniform = (r: Random, n: number) => Float32Array.from({ length: n }, () => 2 * r.uniform() - 1);

function problem(seed: number, B: number, H: number, Hkv: number, Tq: number, Tk: number, D: number, Dv: number, mask: MaskSpec): AttentionProblem {
  const r = new Random(seed);
  return {
    B, H, Hkv, Tq, Tk, D, Dv, mask, scale: 1 / Math.sqrt(D) + r.uniform(), // scores up to a few units: weights spread and peaked
    q: uniform(r, B * H * Tq * D), k: uniform(r, B * Hkv * Tk * D), v: uniform(r, B * Hkv * Tk * Dv),
  };
}

/** Runs the wasm forward at `threads` threads; says whether it took the split-K path. */
function forwardAt(p: AttentionProblem, threads: number) {
  setNumThreads(threads);
  const before = splitKeyRuns();
  const fwd = wasmAttentionKernel.forward(p, false);
  return { fwd, split: splitKeyRuns() > before };
}

const describeShape = (p: AttentionProblem) =>
  `B${p.B} H${p.H}/${p.Hkv} Tq${p.Tq} Tk${p.Tk} D${p.D} Dv${p.Dv}${p.mask.causal ? ` ${p.mask.causal}` : ""}${p.mask.keyLengths ? ` keyLengths ${p.mask.keyLengths.join(",")}` : ""}${p.mask.window ? ` window ${p.mask.window}` : ""}${p.mask.explicit ? " explicit" : ""}`;

describe("split-K decode forward against the reference", () => {
  const cases: AttentionProblem[] = [];
  let seed = 1;
  for (const Tq of [1, 2, 5]) {
    for (const Tk of [1, 17, 1000, 4099]) {
      const keyLengths = [0, Math.max(1, Tk - 3)]; // batch row 0 has no keys at all: its rows are zeros
      cases.push(problem(seed++, 2, 4, 2, Tq, Tk, 7, 5, { causal: "bottomRight", keyLengths }));
    }
  }
  cases.push(problem(seed++, 1, 3, 1, 16, 777, 64, 64, { causal: "bottomRight" })); // 16 queries: still split-K
  cases.push(problem(seed++, 1, 2, 2, 17, 700, 9, 9, { causal: "bottomRight" })); // 17 queries: the ordinary forward
  cases.push(problem(seed++, 2, 2, 1, 3, 1500, 13, 3, { causal: "bottomRight", window: 300, keyLengths: [1200, 1500] })); // chunks the window hides
  {
    const explicit = { data: Uint8Array.from({ length: 1024 }, (_, j) => (j % 7 === 3 ? 0 : 1)), strides: [0, 0, 0, 1] as [number, number, number, number] };
    cases.push(problem(seed++, 1, 2, 2, 2, 1024, 32, 32, { causal: false, explicit }));
  }

  for (const p of cases) {
    it(describeShape(p), () => {
      const ref = referenceKernel.forward(p, false);
      const runs = [1, 2, 3].map((threads) => forwardAt(p, threads));
      const fast = runs[0].fwd;
      expect(runs.map((r) => r.split)).toEqual(Array(3).fill(p.Tq <= 16 && p.Tk > 256)); // the rule, at every thread count
      for (const other of runs.slice(1)) { // bit-identical across thread counts
        expect(other.fwd.out).toEqual(fast.out);
        expect(other.fwd.rowMax).toEqual(fast.rowMax);
        expect(other.fwd.rowSum).toEqual(fast.rowSum);
      }
      const r = new Random(p.Tk);
      const dOut = uniform(r, ref.out.length);
      const mag = magnitudes(p, dOut, null);
      expectWithin("output", fast.out, ref.out, mag.out);
      for (let row = 0; row < ref.rowMax.length; row++) {
        if (ref.rowMax[row] === -Infinity) {
          expect([fast.rowMax[row], fast.rowSum[row]]).toEqual([-Infinity, 0]);
          continue;
        }
        expect(Math.abs(fast.rowMax[row] - ref.rowMax[row])).toBeLessThan(1e-5 * (1 + Math.abs(ref.rowMax[row])));
        expect(Math.abs(fast.rowSum[row] / ref.rowSum[row] - 1)).toBeLessThan(1e-4);
      }
      // the backward (the ordinary one) from the split forward's statistics
      const gRef = referenceKernel.backward(p, ref, dOut, null), gFast = wasmAttentionKernel.backward(p, fast, dOut, null);
      expectWithin("dq", gFast.dq, gRef.dq, mag.dq);
      expectWithin("dk", gFast.dk, gRef.dk, mag.dk);
      expectWithin("dv", gFast.dv, gRef.dv, mag.dv);
    });
  }

  it("its scores are the packed kernel's bit for bit (row maxima equal those of the ordinary forward, which the backward recomputes from)", () => {
    for (const [D, Tk] of [[64, 1000], [7, 4099], [1, 300], [6, 513]]) {
      const p = problem(D * Tk, 2, 4, 2, 3, Tk, D, 5, { causal: "bottomRight", keyLengths: [Tk - 1, Tk] });
      const { fwd, split } = forwardAt(p, 2);
      const ordinary = wasmAttentionKernel.forward(p, true); // weights asked for: the query-block forward, packed keys
      expect(split).toBe(true);
      expect(fwd.rowMax).toEqual(ordinary.rowMax);
    }
  });

  it("one query row (decoding's step: one-row tiles, their chains interleaved) gives the 4-row tile's bits", () => {
    // a query repeated as 4 rows with no mask: every row of the 4-row tile is the one row's computation, lane for lane
    for (const [D, Dv, Tk] of [[7, 40, 300], [64, 64, 1000], [3, 5, 100], [16, 33, 40], [8, 72, 13]]) {
      const one = problem(D * Dv + Tk, 1, 2, 1, 1, Tk, D, Dv, { causal: "bottomRight" });
      const four: AttentionProblem = { ...one, Tq: 4, q: new Float32Array(2 * 4 * D), mask: { causal: false } };
      for (let h = 0; h < 2; h++) for (let i = 0; i < 4; i++) four.q.set(one.q.subarray(h * D, (h + 1) * D), (h * 4 + i) * D);
      const a = forwardAt(one, 1).fwd.out, b = forwardAt(four, 1).fwd.out;
      for (let h = 0; h < 2; h++) expect(Array.from(a.subarray(h * Dv, (h + 1) * Dv)), `D ${D} Dv ${Dv} Tk ${Tk} head ${h}`).toEqual(Array.from(b.subarray(h * 4 * Dv, (h * 4 + 1) * Dv)));
    }
  });

  it("rows that see no key are exactly zero (key length 0), and a NaN among a row's visible keys makes that row NaN, as the reference", () => {
    const p = problem(99, 2, 2, 2, 1, 600, 8, 8, { causal: "bottomRight", keyLengths: [0, 600] });
    p.k[((1 * 2 + 1) * 600 + 450) * 8] = NaN; // batch 1, head 1, key 450: in the second chunk
    const { fwd, split } = forwardAt(p, 2);
    const ref = referenceKernel.forward(p, false);
    expect(split).toBe(true);
    expect(Array.from(fwd.out.subarray(0, 16))).toEqual(Array(16).fill(0)); // batch 0: both heads
    expect(fwd.out.subarray(16, 24).every((x) => !Number.isNaN(x))).toBe(true); // batch 1, head 0
    expect(Array.from(fwd.out.subarray(24, 32)).every(Number.isNaN)).toBe(true); // batch 1, head 1
    expect(Array.from(ref.out.subarray(24, 32)).every(Number.isNaN)).toBe(true);
  });
});

describe("split-K decode with NaN, ±∞ and huge values (the items measure what they read)", () => {
  it("NaN and ∞ in values its keys' length hides, inside a tile it reads: the products skip their zero weights, as the reference", () => {
    const p = problem(7, 1, 2, 1, 2, 600, 8, 8, { causal: "bottomRight", keyLengths: [597] });
    p.v[598 * 8 + 3] = NaN; // keys 597 … 599 are hidden, but the last tile reads 596 … 599
    p.v[599 * 8] = Infinity;
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      const before = splitKeyRuns(), refs = referenceRuns();
      const fast = rangeCheckedWasmKernel.forward(p, false);
      expect([splitKeyRuns() - before, referenceRuns() - refs]).toEqual([1, 0]);
      const ref = referenceKernel.forward(p, false);
      expect(fast.out.every(Number.isFinite)).toBe(true);
      expectWithin("output", fast.out, ref.out, magnitudes(p, new Float32Array(ref.out.length), null).out);
    }
  });

  it("scores float32 cannot hold (q = k = 1e20) go to the reference after the split-K attempt; large values that fit stay", () => {
    const huge = problem(8, 1, 2, 2, 1, 700, 4, 4, { causal: "bottomRight" });
    huge.q.fill(1e20); huge.k.fill(1e20);
    const refs = referenceRuns();
    const out = rangeCheckedWasmKernel.forward(huge, false).out;
    expect(referenceRuns()).toBe(refs + 1);
    expect(out).toEqual(referenceKernel.forward(huge, false).out);
    const large = problem(9, 1, 2, 2, 1, 700, 4, 4, { causal: "bottomRight" });
    large.v[650 * 4] = 1e30; // a value of 1e30 among 700: the row sum stays far below float32's largest
    const before = referenceRuns();
    const fast = rangeCheckedWasmKernel.forward(large, false);
    expect(referenceRuns()).toBe(before);
    const ref = referenceKernel.forward(large, false);
    expectWithin("output", fast.out, ref.out, magnitudes(large, new Float32Array(ref.out.length), null).out);
  });
});
