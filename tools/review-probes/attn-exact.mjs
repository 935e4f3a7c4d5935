// Exactness probes of the wasm kernel: zeros, ties, threads, state between calls, overflow of the pre-scaled query.
import { run, randArr, bitEqual, compare, setNumThreads, getNumThreads, dotProductAttention, Tensor } from "./lib.mjs";
const sh = (B, H, T, D) => [B, H, T, D];
const P = (data, shape) => ({ data, shape });
let fails = 0; const say = (ok, msg) => { if (!ok) fails++; console.log(`${ok ? "ok  " : "FAIL"} ${msg}`); };

// fully masked rows: exact zeros in output, weights, dq, and no contribution
{
  const Tq = 5, Tk = 70, D = 6;
  const q = P(randArr(Tq * D, 3), [1, 1, Tq, D]), k = P(randArr(Tk * D, 3), [1, 1, Tk, D]), v = P(randArr(Tk * D, 3), [1, 1, Tk, D]);
  const m = []; for (let i = 0; i < Tq; i++) { m.push([]); for (let j = 0; j < Tk; j++) m[i].push(i % 2 === 1 ? 0 : 1); }
  for (const withW of [false, true]) {
    const a = run("wasm", q, k, v, { mask: m }, randArr(Tq * D), withW ? randArr(Tq * Tk) : undefined);
    let nz = 0;
    for (const i of [1, 3]) {
      for (let d = 0; d < D; d++) { if (!Object.is(a.out[i * D + d], 0)) nz++; if (!Object.is(a.dq[i * D + d], 0)) nz++; }
      if (withW) for (let j = 0; j < Tk; j++) if (!Object.is(a.w[i * Tk + j], 0)) nz++;
    }
    say(nz === 0, `fully masked rows exactly +0 (weights ${withW}): ${nz} nonzero`);
  }
}
// huge tied logits: identical keys → identical weights, and q·k rounding ties
{
  const Tk = 9, D = 4;
  const q = P(Float32Array.from([1, 1, 1, 1, 0.5, 0.25, 1, 2]), [1, 1, 2, D]);
  const kd = new Float32Array(Tk * D).fill(1e9); const k = P(kd, [1, 1, Tk, D]);
  const v = P(randArr(Tk * D), [1, 1, Tk, D]);
  for (const impl of ["wasm", "reference"]) {
    const a = run(impl, q, k, v, { scale: 1e8 }, randArr(2 * D), randArr(2 * Tk));
    const w = Array.from(a.w);
    say(w.every((x) => x === w[0]) && Math.abs(w[0] - 1 / 9) < 1e-6, `${impl}: scale 1e8, keys 1e9: weights all equal ${w[0]}`);
    say(a.out.every(Number.isFinite) && a.dq.every(Number.isFinite) && a.dk.every(Number.isFinite), `${impl}: finite out and grads (dq[0]=${a.dq[0]}, dk[0]=${a.dk[0]})`);
  }
}
// scores near float32 range: q 1e19, k 1e19 → q·k = 4e38 overflows float32; reference works in float64
{
  const D = 4, Tk = 3;
  const q = P(new Float32Array(D).fill(1e15), [1, 1, 1, D]), k = P(Float32Array.from([1e15, 1e15, 1e15, 1e15, 1, 1, 1, 1, -1e15, 0, 0, 0]), [1, 1, Tk, D]);
  const v = P(Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), [1, 1, Tk, D]);
  for (const scale of [1e-30, 1]) {
    const a = run("wasm", q, k, v, { scale }, randArr(D)), b = run("reference", q, k, v, { scale }, randArr(D));
    say(compare(a.out, b.out).err < 1e-5 && !compare(a.out, b.out).nanMismatch, `scale ${scale}, q·k = 4e30: wasm out ${Array.from(a.out)} ref ${Array.from(b.out)}`);
  }
  // pre-scaling overflow: q = 1e30, scale 1e10, k = 1e-20 -> score 1e20 (fine) but scale·q = 1e40 = Inf in float32
  const q2 = P(new Float32Array(D).fill(1e30), [1, 1, 1, D]), k2 = P(Float32Array.from([1e-20, 0, 0, 0, 0, 1e-20, 0, 0, -1e-20, 0, 0, 0]), [1, 1, Tk, D]);
  const a = run("wasm", q2, k2, v, { scale: 1e10 }, randArr(D)), b = run("reference", q2, k2, v, { scale: 1e10 }, randArr(D));
  say(compare(a.out, b.out).err < 1e-5 && !compare(a.out, b.out).nanMismatch, `q 1e30 × scale 1e10 (score ±1e20): wasm out ${Array.from(a.out)} ref ${Array.from(b.out)}`);
}
// thread count 1 vs 2: bit-identical, at sizes above the parallel threshold
{
  const B = 2, H = 4, Hkv = 2, Tq = 130, Tk = 200, D = 20, Dv = 12;
  const q = P(randArr(B * H * Tq * D), [B, H, Tq, D]), k = P(randArr(B * Hkv * Tk * D), [B, Hkv, Tk, D]), v = P(randArr(B * Hkv * Tk * Dv), [B, Hkv, Tk, Dv]);
  const r = randArr(B * H * Tq * Dv), rw = randArr(B * H * Tq * Tk);
  for (const opts of [{}, { causal: true }, { dropout: { rate: 0.3, seed: 3 } }, { keyLengths: [200, 77], window: 40 }]) {
    for (const withW of [false, true]) {
      setNumThreads(1); const a = run("wasm", q, k, v, opts, r, withW ? rw : undefined);
      setNumThreads(2); const b = run("wasm", q, k, v, opts, r, withW ? rw : undefined);
      setNumThreads(3); const c = run("wasm", q, k, v, opts, r, withW ? rw : undefined);
      const same = ["out", "w", "dq", "dk", "dv"].every((x) => bitEqual(a[x], b[x]) && bitEqual(a[x], c[x]));
      say(same, `threads 1/2/3 bit-identical ${JSON.stringify(opts)} weights=${withW}`);
    }
  }
  setNumThreads(2);
}
// state between calls: a big call, then a small one; small results must equal a fresh small call
{
  const small = () => { const Tq = 3, Tk = 5, D = 3; return { q: P(randArr(Tq * D), [1, 1, Tq, D]), k: P(randArr(Tk * D), [1, 1, Tk, D]), v: P(randArr(Tk * D), [1, 1, Tk, D]) }; };
  const s = small(); const r = randArr(9), rw = randArr(15);
  const first = run("wasm", s.q, s.k, s.v, { keyLengths: [4] }, r, rw);
  const Tb = 300, Db = 64;
  const big = run("wasm", P(randArr(2 * Tb * Db, 1e3), [1, 2, Tb, Db]), P(new Float32Array(2 * Tb * Db).fill(NaN), [1, 2, Tb, Db]), P(randArr(2 * Tb * Db, 1e30), [1, 2, Tb, Db]), {}, randArr(2 * Tb * Db), randArr(2 * Tb * Tb));
  const again = run("wasm", s.q, s.k, s.v, { keyLengths: [4] }, r, rw);
  say(["out", "w", "dq", "dk", "dv"].every((x) => bitEqual(first[x], again[x])), "small call after a big NaN call is bit-identical to before");
}
// window 0 and negative: reference vs wasm
for (const window of [0, -1]) {
  const q = P(randArr(12), [1, 1, 3, 4]), k = P(randArr(12), [1, 1, 3, 4]), v = P(randArr(12), [1, 1, 3, 4]);
  const out = {};
  for (const impl of ["wasm", "reference"]) {
    try { out[impl] = Array.from(dotProductAttention(new Tensor(q.data, q.shape), new Tensor(k.data, k.shape), new Tensor(v.data, v.shape), { window, implementation: impl }).data).map((x) => +x.toFixed(4)).join(","); }
    catch (e) { out[impl] = "throws: " + e.message; }
  }
  say(out.wasm === out.reference, `window ${window}: wasm [${out.wasm}] reference [${out.reference}]`);
}
console.log(fails ? `${fails} FAILURES` : "all ok");
