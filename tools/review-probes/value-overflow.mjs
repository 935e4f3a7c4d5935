// Values near the float32 limit: the mean of equal values 1e37 over 100 keys is 1e37, but the wasm kernel
// accumulates unnormalized Σ e^(s−m)·v (up to Tk·|v|) before dividing by l.
import { run, randArr } from "./lib.mjs";
const Tk = 100, D = 4;
const q = { data: new Float32Array(D), shape: [1, 1, 1, D] }, k = { data: randArr(Tk * D), shape: [1, 1, Tk, D] };
const v = { data: new Float32Array(Tk * D).fill(1e37), shape: [1, 1, Tk, D] };
for (const withW of [false, true]) {
  const r = Float32Array.from([1, 0, 0, 0]);
  const a = run("wasm", q, k, v, {}, r, withW ? new Float32Array(Tk) : undefined), b = run("reference", q, k, v, {}, r, withW ? new Float32Array(Tk) : undefined);
  console.log(`returnWeights ${withW}: wasm out[0] ${a.out[0]}, reference ${b.out[0]}; dq[0] wasm ${a.dq[0]} ref ${b.dq[0]}`);
}
