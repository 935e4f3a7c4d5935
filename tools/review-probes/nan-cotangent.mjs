// NaN in the incoming gradients at rows that see no key (dOut) and at blocked weights (dWeights): must not leak
import { attentionKernel } from "../../dist/index.js";
import { randArr } from "./lib.mjs";
const B = 2, H = 1, Tq = 5, Tk = 6, D = 3, Dv = 2;
const p = { B, H, Hkv: 1, Tq, Tk, D, Dv, scale: 0.7, mask: { causal: "bottomRight", keyLengths: [6, 0] }, q: randArr(B * Tq * D), k: randArr(B * Tk * D), v: randArr(B * Tk * Dv) };
for (const name of ["wasm", "reference"]) {
  const kern = attentionKernel(name);
  const f = kern.forward(p, true);
  const dOut = randArr(B * Tq * Dv), dW = randArr(B * Tq * Tk);
  for (let i = Tq; i < 2 * Tq; i++) dOut.fill(NaN, i * Dv, (i + 1) * Dv); // batch row 1 sees nothing
  for (let i = 0; i < Tq; i++) for (let j = i + 1 + Tk - Tq; j < Tk; j++) dW[i * Tk + j] = NaN; // causally blocked
  dW.fill(NaN, Tq * Tk); // batch 1: all blocked
  const g = kern.backward(p, f, dOut, dW);
  const bad = Object.entries(g).map(([k, x]) => [k, x.filter((v) => !Number.isFinite(v)).length]);
  console.log(name, "non-finite gradient entries:", JSON.stringify(bad));
}
