// The "wasm" attention kernel against the reference kernel on randomized awkward problems: output,
// weights, dq, dk and dv agree within 1e-4 of the magnitude of the terms that make them up (the sums of
// absolute products, including those of the scores, which float32 rounds). Blocked rows must agree exactly
// (their magnitude is 0), and so must the dropout pattern (a wrong keep is an error of a whole term).
import { describe, expect, it } from "vitest";
import { Random, Tensor, dotProductAttention, ops, tensor, valueAndGrad } from "../../src/index.js";
import { explicitAllows, keyRange, type AttentionProblem, type MaskSpec } from "../../src/kernels/attention/problem.js";
import { referenceKernel } from "../../src/kernels/attention/reference.js";
import { dropoutKeeps } from "../../src/kernels/hash.js";
import { wasmAttentionKernel } from "../../src/kernels/wasm/attention.js";
import { rangeCheckedWasmKernel, referenceRuns } from "../../src/kernels/wasm/attentionRange.js";
import { layout } from "../../src/kernels/wasm/memory.js";
import { testKernels } from "../helpers/testKernels.js";
import { expectWithin, magnitudes } from "../helpers/attentionTolerance.js";

const LENGTHS = [1, 2, 7, 33, 97, 130, 257];
const SIZES = [1, 3, 5, 8, 16, 64, 80];
const HEADS: [number, number][] = [[1, 1], [2, 2], [2, 1], [4, 2], [3, 1]];

const pick = <T,>(r: Random, xs: readonly T[]): T => xs[r.int(xs.length)];
const uniform = (r: Random, n: number) => Float32Array.from({ length: n }, () => 2 * r.uniform() - 1);

/** A random problem: shapes from the lists above, a random combination of every mask kind, dropout, scale. */
function randomProblem(r: Random) {
  const [H, Hkv] = pick(r, HEADS);
  const B = 1 + r.int(2), Tq = pick(r, LENGTHS), Tk = pick(r, LENGTHS), D = pick(r, SIZES), Dv = pick(r, SIZES);
  const mask: MaskSpec = { causal: pick(r, [false, false, "topLeft", "bottomRight"] as const) };
  if (r.uniform() < 0.3) mask.window = 1 + r.int(Math.max(Tq, Tk));
  if (r.uniform() < 0.3) mask.keyLengths = Array.from({ length: B }, () => (r.uniform() < 0.2 ? 0 : r.int(Tk + 1)));
  if (r.uniform() < 0.35) {
    const full = [B, H, Tq, Tk];
    const shape = full.map((d) => (r.uniform() < 0.4 ? 1 : d)); // broadcast along some axes
    const strides = [0, 0, 0, 0] as [number, number, number, number];
    let stride = 1;
    for (let a = 3; a >= 0; a--) { strides[a] = shape[a] === 1 ? 0 : stride; stride *= shape[a]; }
    const data = Uint8Array.from({ length: stride }, () => (r.uniform() < 0.7 ? 1 : 0));
    mask.explicit = { data, strides };
  }
  const scale = r.uniform() < 0.3 ? 1 / Math.sqrt(D) : 30 * r.uniform();
  const dropout = r.uniform() < 0.3 ? { rate: pick(r, [0.1, 0.5, 0.9]), seed: r.int(1000) } : undefined;
  const problem: AttentionProblem = {
    B, H, Hkv, Tq, Tk, D, Dv, mask, scale, dropout,
    q: uniform(r, B * H * Tq * D), k: uniform(r, B * Hkv * Tk * D), v: uniform(r, B * Hkv * Tk * Dv),
  };
  return problem;
}

function describeProblem(p: AttentionProblem): string {
  const m = p.mask;
  const parts = [`B${p.B} H${p.H}/${p.Hkv} Tq${p.Tq} Tk${p.Tk} D${p.D} Dv${p.Dv} scale ${p.scale.toFixed(2)}`];
  if (m.causal) parts.push(`causal ${m.causal}`);
  if (m.window) parts.push(`window ${m.window}`);
  if (m.keyLengths) parts.push(`keyLengths ${m.keyLengths.join(",")}`);
  if (m.explicit) parts.push(`mask strides ${m.explicit.strides.join(",")}`);
  if (p.dropout) parts.push(`dropout ${p.dropout.rate}`);
  return parts.join(", ");
}

function compare(p: AttentionProblem, r: Random, wantWeights: boolean): void {
  const what = describeProblem(p) + (wantWeights ? ", weights" : "");
  const ref = referenceKernel.forward(p, wantWeights), fast = wasmAttentionKernel.forward(p, wantWeights);
  const dOut = uniform(r, ref.out.length), dW = wantWeights ? uniform(r, ref.weights!.length) : null;
  const mag = magnitudes(p, dOut, dW);
  expectWithin(`${what}: output`, fast.out, ref.out, mag.out);
  if (wantWeights) expectWithin(`${what}: weights`, fast.weights!, ref.weights!, mag.weights);
  const gRef = referenceKernel.backward(p, ref, dOut, dW), gFast = wasmAttentionKernel.backward(p, fast, dOut, dW);
  expectWithin(`${what}: dq`, gFast.dq, gRef.dq, mag.dq);
  expectWithin(`${what}: dk`, gFast.dk, gRef.dk, mag.dk);
  expectWithin(`${what}: dv`, gFast.dv, gRef.dv, mag.dv);
}

describe("wasm attention kernel against the reference kernel", () => {
  const r = new Random(2026);
  const problems = Array.from({ length: 48 }, () => randomProblem(r));
  for (const [n, p] of problems.entries()) {
    it(`random problem ${n}: ${describeProblem(p)}`, () => compare(p, new Random(n), n % 3 === 0));
  }

  it("every mask kind at once, with NaN and ±∞ in every blocked key and value", () => {
    const rr = new Random(5);
    const B = 2, H = 2, Tq = 37, Tk = 41, D = 5, Dv = 3;
    const mask: MaskSpec = {
      causal: "bottomRight", window: 9, keyLengths: [41, 30],
      explicit: { data: Uint8Array.from({ length: Tq * Tk }, () => (rr.uniform() < 0.8 ? 1 : 0)), strides: [0, 0, Tk, 1] },
    };
    const p: AttentionProblem = { B, H, Hkv: 1, Tq, Tk, D, Dv, mask, scale: 0.9, q: uniform(rr, B * H * Tq * D), k: uniform(rr, B * Tk * D), v: uniform(rr, B * Tk * Dv) };
    // poison every key that no query of its batch row sees, and every key the explicit mask hides from query 0
    for (let b = 0; b < B; b++) for (let j = 0; j < Tk; j++) {
      let seen = false;
      for (let h = 0; h < H; h++) for (let i = 0; i < Tq; i++) {
        const [lo, hi] = keyRange(p, b, i);
        if (j >= lo && j < hi && explicitAllows(p, b, h, i, j)) seen = true;
      }
      if (!seen) { p.k.fill(NaN, (b * Tk + j) * D, (b * Tk + j + 1) * D); p.v.fill(j % 2 ? Infinity : NaN, (b * Tk + j) * Dv, (b * Tk + j + 1) * Dv); }
    }
    const fast = wasmAttentionKernel.forward(p, true);
    expect(fast.out.every(Number.isFinite)).toBe(true);
    const g = wasmAttentionKernel.backward(p, fast, uniform(rr, fast.out.length), uniform(rr, fast.weights!.length));
    for (const [name, x] of Object.entries(g)) for (let n = 0; n < x.length; n++) {
      if (!Number.isFinite(x[n])) expect.fail(`${name}[${n}] is ${x[n]}`);
    }
    compare(p, rr, true); // the reference never reads the poisoned keys either
  });

  it("a large finite value in a key hidden from a query leaves that query's dq unchanged, bit for bit", () => {
    // the kernel centers K for the dQ pass; the center must come from keys every row sees, or a hidden key's
    // value would reach other rows' dq by rounding (found by review: causal, key 3 = 1e9 changed dq of row 1)
    const rr = new Random(17);
    const cases: MaskSpec[] = [
      { causal: "topLeft" },
      { causal: "bottomRight", window: 3 },
      { causal: false, window: 2 },
      { causal: false, keyLengths: [9, 6] },
      { causal: false, explicit: { data: Uint8Array.from({ length: 7 * 9 }, () => (rr.uniform() < 0.7 ? 1 : 0)), strides: [0, 0, 9, 1] } },
    ];
    for (const mask of cases) {
      const B = 2, H = 2, Hkv = 1, Tq = 7, Tk = 9, D = 5, Dv = 3;
      const base: AttentionProblem = { B, H, Hkv, Tq, Tk, D, Dv, mask, scale: 0.7, q: uniform(rr, B * H * Tq * D), k: uniform(rr, B * Tk * D), v: uniform(rr, B * Tk * Dv) };
      const dOut = uniform(rr, B * H * Tq * Dv);
      const dq = (p: AttentionProblem) => wasmAttentionKernel.backward(p, wasmAttentionKernel.forward(p, false), dOut, null).dq;
      const clean = dq(base);
      for (let b = 0; b < B; b++) for (let j = 0; j < Tk; j++) {
        const k = base.k.slice();
        k.fill(1e9, (b * Tk + j) * D, (b * Tk + j + 1) * D);
        const poisoned = dq({ ...base, k });
        for (let h = 0; h < H; h++) for (let i = 0; i < Tq; i++) {
          const [lo, hi] = keyRange(base, b, i);
          if (j >= lo && j < hi && explicitAllows(base, b, h, i, j)) continue; // row (b, h, i) sees key j
          const at = ((b * H + h) * Tq + i) * D;
          expect(Array.from(poisoned.subarray(at, at + D)), `${JSON.stringify(mask)} key ${j} row ${b},${h},${i}`).toEqual(Array.from(clean.subarray(at, at + D)));
        }
      }
    }
  });

  it("dropout counters past 2³² (Tq = Tk = 65537, window 1: each query sees its own key)", () => {
    const T = 65537, rate = 0.5, seed = 7;
    const v = Float32Array.from({ length: T }, (_, i) => 1 + (i % 5));
    const p: AttentionProblem = {
      B: 1, H: 1, Hkv: 1, Tq: T, Tk: T, D: 1, Dv: 1, mask: { causal: false, window: 1 }, scale: 1,
      q: new Float32Array(T).fill(1), k: new Float32Array(T).fill(1), v, dropout: { rate, seed },
    };
    const { out } = wasmAttentionKernel.forward(p, false);
    let beyond = 0;
    for (let i = 0; i < T; i++) {
      const counter = i * T + i;
      if (counter >= 2 ** 32) beyond++;
      const expected = dropoutKeeps(seed, counter, rate) ? v[i] / (1 - rate) : 0;
      if (out[i] !== expected) expect.fail(`row ${i} (counter ${counter}): ${out[i]}, expected ${expected}`);
    }
    expect(beyond).toBeGreaterThan(0);
  });

  it("empty problems (Tq = 0, Tk = 0, B = 0, H = 0) give empty or zero results in both passes, as the reference", () => {
    for (const [B, H, Tq, Tk] of [[1, 2, 0, 5], [1, 2, 5, 0], [1, 1, 0, 0], [0, 2, 3, 4], [2, 0, 3, 4]]) {
      const Hkv = H === 0 ? 0 : 1, D = 3, Dv = 2;
      const rr = new Random(B * 1000 + H * 100 + Tq * 10 + Tk);
      const p: AttentionProblem = {
        B, H, Hkv, Tq, Tk, D, Dv, mask: { causal: false }, scale: 1,
        q: uniform(rr, B * H * Tq * D), k: uniform(rr, B * Hkv * Tk * D), v: uniform(rr, B * Hkv * Tk * Dv),
      };
      const fast = wasmAttentionKernel.forward(p, true), ref = referenceKernel.forward(p, true);
      expect(Array.from(fast.out)).toEqual(Array.from(ref.out));
      expect(Array.from(fast.weights!)).toEqual(Array.from(ref.weights!));
      const dOut = uniform(rr, fast.out.length);
      const g = wasmAttentionKernel.backward(p, fast, dOut, null), gRef = referenceKernel.backward(p, ref, dOut, null);
      for (const name of ["dq", "dk", "dv"] as const) expect(Array.from(g[name])).toEqual(Array.from(gRef[name]));
    }
  });

  it("fully masked rows are exactly zero in both passes, and huge tied scores keep equal weights", () => {
    const p: AttentionProblem = {
      B: 2, H: 1, Hkv: 1, Tq: 3, Tk: 2, D: 1, Dv: 1, mask: { causal: false, keyLengths: [2, 0] }, scale: 1e8,
      q: new Float32Array(6).fill(1), k: new Float32Array(4).fill(1e9), v: Float32Array.from([0, 1, 5, 6]),
    };
    const f = wasmAttentionKernel.forward(p, true);
    expect(Array.from(f.weights!)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(f.out)).toEqual([0.5, 0.5, 0.5, 0, 0, 0]);
    const g = wasmAttentionKernel.backward(p, f, new Float32Array(6).fill(1), null);
    expect(Array.from(g.dv)).toEqual([1.5, 1.5, 0, 0]);
    expect(Array.from(g.dk.subarray(2))).toEqual([0, 0]);
    expect(Array.from(g.dq.subarray(3))).toEqual([0, 0, 0]);
  });
});

describe("the kernel's vectorized exp", () => {
  const run = (xs: number[]) => {
    const n = Math.ceil(xs.length / 4) * 4;
    const mem = layout([n, n]);
    mem.write(mem.offsets[0], [...xs, ...new Array(n - xs.length).fill(0)]);
    testKernels().expArray(mem.offsets[0], mem.offsets[1], n);
    return Array.from(mem.f32(mem.offsets[1], xs.length));
  };

  it("is within 2 ulp of e^x on [−87.3, 0] and exact at 0", () => {
    const xs = Array.from({ length: 200001 }, (_, i) => Math.fround(-87.33 * (i / 200000)));
    const ys = run(xs);
    let worst = 0;
    xs.forEach((x, i) => { worst = Math.max(worst, Math.abs(ys[i] - Math.exp(x)) / Math.exp(x)); });
    expect(worst).toBeLessThan(2 * 2 ** -23);
    expect(ys[0]).toBe(1);
  });

  it("gives exactly 0 for −∞ and below the float32 normal range, NaN for NaN, never NaN for finite input", () => {
    expect(run([-Infinity, -87.5, -100, -1e30, -3.4e38, NaN, -0, -1e-30])).toEqual([0, 0, 0, 0, 0, NaN, 1, 1]);
  });
});

describe("the default \"wasm\" kernel outside float32's range", () => {
  it("huge scores (q = k = 1e20) give the reference's answer, not NaN, in both passes", () => {
    const q = tensor([[[[1e20]]]]), k = tensor([[[[1e20], [-1e20]]]]), v = tensor([[[[1], [2]]]]);
    for (const options of [{ scale: 1 }, { scale: 1e10 }, {}]) {
      const fast = dotProductAttention(q, k, v, options), ref = dotProductAttention(q, k, v, { ...options, implementation: "reference" });
      expect(Array.from(fast.data)).toEqual(Array.from(ref.data));
      const grads = (implementation: string) => valueAndGrad(() => ops.sum(dotProductAttention(q, k, v, { ...options, implementation })), [q, k, v]).grads.map((g) => Array.from(g.data));
      expect(grads("wasm")).toEqual(grads("reference"));
    }
  });

  it("values near float32's largest give the reference's answer (the row sum Σ e^(s − m)·v would overflow)", () => {
    const T = 100;
    const q = tensor(new Float32Array(T).fill(0.5), [1, 1, T, 1]), k = tensor(new Float32Array(T).fill(1), [1, 1, T, 1]);
    const v = tensor(new Float32Array(T).fill(1e37), [1, 1, T, 1]);
    const out = dotProductAttention(q, k, v);
    expect(Array.from(out.data)).toEqual(Array.from(dotProductAttention(q, k, v, { implementation: "reference" }).data));
    expect(out.data.every(Number.isFinite)).toBe(true);
  });

  it("the kernel's one-pass measurement flags NaN and ±∞ and passes over them for the magnitude, in the vector body and the tail", () => {
    const measure = (x: Float32Array, largestBefore: number) => {
      const mem = layout([x.length, 2]);
      mem.write(mem.offsets[0], x);
      const flag = new Int32Array(mem.f32(0, 0).buffer, mem.offsets[1], 1), largest = mem.f32(mem.offsets[1] + 4, 1);
      flag[0] = 0;
      largest[0] = largestBefore;
      (mem.exports as unknown as { measureFinite(x: number, n: number, anyBad: number, largest: number): void })
        .measureFinite(mem.offsets[0], x.length, mem.offsets[1], mem.offsets[1] + 4);
      return { anyBad: flag[0], largest: largest[0] };
    };
    for (const n of [0, 1, 3, 4, 9, 1001]) {
      const x = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? NaN : i % 3 === 1 ? -Infinity : -(i + 0.5)));
      const finite = Array.from(x).filter(Number.isFinite).map(Math.abs);
      expect(measure(x, 0)).toEqual({ anyBad: n > 0 ? 1 : 0, largest: Math.max(0, ...finite) });
      expect(measure(x, 1e6).largest).toBe(1e6); // it only ever raises the running magnitude
      const clean = Float32Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (i + 0.25));
      expect(measure(clean, 0)).toEqual({ anyBad: 0, largest: n > 0 ? n - 1 + 0.25 : 0 });
      if (n > 4) { // a lone non-finite value in the tail, after a clean vector body
        clean[n - 1] = Infinity;
        expect(measure(clean, 0)).toEqual({ anyBad: 1, largest: n - 2 + 0.25 });
      }
    }
  });

  it("tiles clipped to the keys their rows see (causal, window, key lengths) give the bits of the same mask given explicitly (never clipped)", () => {
    const rr = new Random(12);
    const B = 2, H = 2, Hkv = 1, D = 5, Dv = 7;
    const masks: MaskSpec[] = [{ causal: "topLeft" }, { causal: "bottomRight" }, { causal: false, window: 9 }, { causal: "topLeft", window: 70 }, { causal: false, keyLengths: [131, 66] }];
    for (const [Tq, Tk] of [[130, 130], [70, 131], [1, 5], [133, 67]]) {
      for (const ranged of masks) {
        const mask = { ...ranged, keyLengths: ranged.keyLengths?.map((n) => Math.min(n, Tk)) };
        const geometry = { B, H, Tq, Tk, mask };
        const data = Uint8Array.from({ length: B * Tq * Tk }, (_, x) => {
          const b = Math.floor(x / (Tq * Tk)), i = Math.floor(x / Tk) % Tq, j = x % Tk, [lo, hi] = keyRange(geometry, b, i);
          return j >= lo && j < hi ? 1 : 0;
        });
        const p: AttentionProblem = {
          B, H, Hkv, Tq, Tk, D, Dv, mask, scale: 0.7,
          q: uniform(rr, B * H * Tq * D), k: uniform(rr, B * Hkv * Tk * D), v: uniform(rr, B * Hkv * Tk * Dv),
        };
        const explicit = { ...p, mask: { causal: false as const, explicit: { data, strides: [Tq * Tk, 0, Tk, 1] as [number, number, number, number] } } };
        for (const wantWeights of [false, true]) {
          const clipped = wasmAttentionKernel.forward(p, wantWeights), whole = wasmAttentionKernel.forward(explicit, wantWeights);
          const what = `Tq ${Tq} Tk ${Tk} ${JSON.stringify(mask)}${wantWeights ? ", weights" : ""}`;
          expect(Array.from(clipped.out), what).toEqual(Array.from(whole.out));
          expect(Array.from(clipped.rowSum), what).toEqual(Array.from(whole.rowSum));
          if (wantWeights) expect(Array.from(clipped.weights!), what).toEqual(Array.from(whole.weights!));
        }
      }
    }
  });

  it("a forward's items measure every kv head's keys and values (grouped heads, two query blocks each): NaN in a hidden value, then values whose sum overflows, in only the last kv head", () => {
    // B = 2, H = 4 over Hkv = 2, Tq = 100 (no packing pass): the forward measures as it goes, each kv head's keys and values by one of its 8 items
    const B = 2, H = 4, Hkv = 2, Tq = 100, Tk = 70, D = 5, rr = new Random(9);
    const lastHead = (B * Hkv - 1) * Tk;
    const q = new Tensor(uniform(rr, B * H * Tq * D), [B, H, Tq, D]);
    const k = new Tensor(uniform(rr, B * Hkv * Tk * D), [B, Hkv, Tk, D]);
    const v = new Tensor(uniform(rr, B * Hkv * Tk * D).map((x, i) => (i === (lastHead + 63) * D ? NaN : x)), [B, Hkv, Tk, D]);
    const options = { keyLengths: [Tk, 63] }; // value 63 of batch row 1 is hidden from every query, in a key block they read
    const out = dotProductAttention(q, k, v, options).data;
    expect(out.every(Number.isFinite)).toBe(true); // the NaN was found: the products skipped its zero weights
    expectWithin("output", out, dotProductAttention(q, k, v, { ...options, implementation: "reference" }).data, new Float64Array(out.length).fill(1));
    const huge = new Tensor(v.data.map((x, i) => (i >= lastHead * D ? 1e37 : x)), [B, Hkv, Tk, D]);
    const before = referenceRuns();
    const big = dotProductAttention(q, k, huge, options).data;
    expect(referenceRuns()).toBe(before + 1); // Σ e^(s − m)·v overflows float32 in batch row 1's last kv head only
    expect(Array.from(big)).toEqual(Array.from(dotProductAttention(q, k, huge, { ...options, implementation: "reference" }).data));
  });

  it("NaN stored in blocked keys neither counts as a large magnitude nor reaches the result", () => {
    const k = tensor([[[[1], [NaN]]]]);
    const out = dotProductAttention(tensor([[[[1]]]]), k, tensor([[[[3], [NaN]]]]), { keyLengths: [1] });
    expect(Array.from(out.data)).toEqual([3]);
  });
});

describe("large finite values stay on the wasm kernel when float32 holds the results", () => {
  // One element of 1e36 used to send the whole call to the float64 reference (27× slower at T = 4096): the
  // a-priori bounds multiply every maximum at once. Now such a call runs the float32 kernel and keeps its
  // results when they are all finite (see kernels/wasm/attentionRange.ts); referenceRuns counts the calls
  // the reference took.
  const r = new Random(77);
  const B = 1, H = 2, Hkv = 1, Tq = 150, Tk = 200, D = 16, Dv = 8;
  const base = (): AttentionProblem => ({
    B, H, Hkv, Tq, Tk, D, Dv, mask: { causal: "bottomRight" }, scale: 1 / Math.sqrt(D),
    q: uniform(r, B * H * Tq * D), k: uniform(r, B * Hkv * Tk * D), v: uniform(r, B * Hkv * Tk * Dv),
  });
  const cases: [string, (p: AttentionProblem) => void, number?][] = [
    ["one query element of 1e36", (p) => { p.q[3 * D + 5] = 1e36; }],
    ["one key element of -1e36", (p) => { p.k[150 * D + 2] = -1e36; }],
    ["one value element of 1e36", (p) => { p.v[170 * Dv + 1] = 1e36; }],
    ["an incoming gradient of 1e30", () => {}, 1e30],
  ];
  for (const [name, poke, dOutPeak] of cases) {
    it(`${name}: forward, weights and gradients from the wasm kernel, within float32 tolerance of the reference`, () => {
      const p = base();
      poke(p);
      const before = referenceRuns();
      const fast = rangeCheckedWasmKernel.forward(p, true), ref = referenceKernel.forward(p, true);
      const dOut = uniform(r, ref.out.length), dW = uniform(r, ref.weights!.length);
      if (dOutPeak) dOut[7] = dOutPeak;
      const gFast = rangeCheckedWasmKernel.backward(p, fast, dOut, dW), gRef = referenceKernel.backward(p, ref, dOut, dW);
      expect(referenceRuns()).toBe(before); // neither pass fell back
      const mag = magnitudes(p, dOut, dW);
      expectWithin(`${name}: output`, fast.out, ref.out, mag.out);
      expectWithin(`${name}: weights`, fast.weights!, ref.weights!, mag.weights);
      expectWithin(`${name}: dq`, gFast.dq, gRef.dq, mag.dq);
      expectWithin(`${name}: dk`, gFast.dk, gRef.dk, mag.dk);
      expectWithin(`${name}: dv`, gFast.dv, gRef.dv, mag.dv);
      for (const x of [fast.out, gFast.dq, gFast.dk, gFast.dv]) expect(x.every(Number.isFinite)).toBe(true);
    });
  }

  it("through dotProductAttention and valueAndGrad with the default kernel: no reference run, the reference's values and gradients", () => {
    const p = base();
    p.q[3 * D + 5] = 1e36;
    const q = new Tensor(p.q, [B, H, Tq, D]), k = new Tensor(p.k, [B, Hkv, Tk, D]), v = new Tensor(p.v, [B, Hkv, Tk, Dv]);
    const w = new Tensor(uniform(r, B * H * Tq * Dv), [B, H, Tq, Dv]);
    const run = (implementation?: string) => valueAndGrad(() => ops.sum(ops.mul(dotProductAttention(q, k, v, { causal: "bottomRight", implementation }), w)), [q, k, v]);
    const before = referenceRuns();
    const fast = run();
    expect(referenceRuns()).toBe(before);
    const ref = run("reference");
    // float32's tolerance is relative to the terms: with |q| = 1e36, dS's rounding (~1e-7·|dP|) times q reaches
    // ~1e28 in dk where the float64 reference's one-hot row gives exactly 0, as in any float32 attention kernel
    const mag = magnitudes(p, w.data, null);
    expect(Math.abs(fast.value - ref.value)).toBeLessThanOrEqual(1e-4 * mag.out.reduce((a, x, n) => a + x * Math.abs(w.data[n]), 0));
    ["dq", "dk", "dv"].forEach((name, i) => expectWithin(name, fast.grads[i].data, ref.grads[i].data, mag[name as "dq" | "dk" | "dv"]));
  });

  it("results float32 cannot hold still come from the reference, after the kernel's attempt (the row sum of 100 values of 1e37)", () => {
    const T = 100;
    const q = tensor(new Float32Array(T).fill(0.5), [1, 1, T, 1]), k = tensor(new Float32Array(T).fill(1), [1, 1, T, 1]);
    const v = tensor(new Float32Array(T).fill(1e37), [1, 1, T, 1]);
    const before = referenceRuns();
    const out = dotProductAttention(q, k, v);
    expect(referenceRuns()).toBe(before + 1);
    expect(Array.from(out.data)).toEqual(Array.from(dotProductAttention(q, k, v, { implementation: "reference" }).data));
  });
});
