// Tied huge logits (scale 1e8, every key 1e9): dk of wasm vs reference vs a float64 formula
import { run, randArr } from "./lib.mjs";
const Tk = 9, D = 4, Tq = 2;
const q = { data: Float32Array.from([1, 1, 1, 1, 0.5, 0.25, 1, 2]), shape: [1, 1, Tq, D] };
const k = { data: new Float32Array(Tk * D).fill(1e9), shape: [1, 1, Tk, D] };
const v = { data: randArr(Tk * D), shape: [1, 1, Tk, D] };
const r = randArr(Tq * D), rw = randArr(Tq * Tk);
const scale = 1e8;
const a = run("wasm", q, k, v, { scale }, r, rw), b = run("reference", q, k, v, { scale }, r, rw);
// float64: p = 1/9 exactly (all scores equal)
const dk = new Float64Array(Tk * D), dq = new Float64Array(Tq * D);
for (let i = 0; i < Tq; i++) {
  const p = 1 / Tk; const dP = [];
  for (let j = 0; j < Tk; j++) { let s = rw[i * Tk + j]; for (let d = 0; d < D; d++) s += r[i * D + d] * v.data[j * D + d]; dP.push(s); }
  const delta = dP.reduce((x, y) => x + p * y, 0);
  for (let j = 0; j < Tk; j++) { const dS = p * (dP[j] - delta); for (let d = 0; d < D; d++) { dk[j * D + d] += scale * dS * q.data[i * D + d]; dq[i * D + d] += scale * dS * k.data[j * D + d]; } }
}
console.log("dk[0..3] wasm", Array.from(a.dk.slice(0, 4)), "\n         ref ", Array.from(b.dk.slice(0, 4)), "\n         f64 ", Array.from(dk.slice(0, 4)));
console.log("dq[0..3] wasm", Array.from(a.dq.slice(0, 4)), "\n         ref ", Array.from(b.dq.slice(0, 4)), "\n         f64 ", Array.from(dq.slice(0, 4)));
console.log("dv[0..3] wasm", Array.from(a.dv.slice(0, 4)), "\n         ref ", Array.from(b.dv.slice(0, 4)));
