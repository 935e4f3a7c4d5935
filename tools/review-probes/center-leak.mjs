// Defect: a finite value stored in a key that no query can see (explicit mask, causal Tq < Tk, window)
// changes dQ of the wasm kernel (attentionPack centers K by the mean of ALL keys j < keyLength).
import { run, randArr, compare } from "./lib.mjs";
const Tq = 16, Tk = 32, D = 16;
for (const garbage of [0, 1e2, 1e4, 1e6, 1e10]) {
  const q = { data: randArr(Tq * D), shape: [1, 1, Tq, D] }, k = { data: randArr(Tk * D), shape: [1, 1, Tk, D] }, v = { data: randArr(Tk * D), shape: [1, 1, Tk, D] };
  const r = randArr(Tq * D);
  // mask hides the last key from every query; put `garbage` there
  for (let d = 0; d < D; d++) { k.data[(Tk - 1) * D + d] = garbage; v.data[(Tk - 1) * D + d] = garbage; }
  const mask = Array.from({ length: Tk }, (_, j) => (j === Tk - 1 ? 0 : 1));
  const clean = { data: k.data.slice(), shape: k.shape }; clean.data.fill(0, (Tk - 1) * D);
  const a = run("wasm", q, k, v, { mask }, r), ref = run("reference", q, k, v, { mask }, r), aClean = run("wasm", q, clean, v, { mask }, r);
  const c = compare(a.dq, ref.dq), same = compare(a.dq, aClean.dq);
  console.log(`hidden key = ${garbage}: dq vs reference max rel err ${c.err.toExponential(2)}; vs the same call with that key 0: ${same.err.toExponential(2)}; out err ${compare(a.out, ref.out).err.toExponential(1)}`);
}
