// Gradients when only the returned weights are used (dOut null) or only the output (dWeights null), with masks and dropout
import { dotProductAttention, valueAndGrad, ops, Tensor } from "../../dist/index.js";
import { randArr, compare } from "./lib.mjs";
const B = 2, H = 2, Tq = 9, Tk = 70, D = 5, Dv = 3;
const q = randArr(B * H * Tq * D), k = randArr(B * H * Tk * D), v = randArr(B * H * Tk * Dv), rw = randArr(B * H * Tq * Tk), r = randArr(B * H * Tq * Dv);
let fails = 0;
for (const opts of [{}, { causal: "bottomRight", keyLengths: [70, 3] }, { dropout: { rate: 0.4, seed: 9 } }]) {
  for (const use of ["weights", "output"]) {
    const g = {};
    for (const impl of ["wasm", "reference"]) {
      const ts = [new Tensor(q.slice(), [B, H, Tq, D]), new Tensor(k.slice(), [B, H, Tk, D]), new Tensor(v.slice(), [B, H, Tk, Dv])];
      g[impl] = valueAndGrad(() => {
        const { output, weights } = dotProductAttention(ts[0], ts[1], ts[2], { ...opts, returnWeights: true, implementation: impl });
        return use === "weights" ? ops.sum(ops.mul(weights, new Tensor(rw, weights.shape))) : ops.sum(ops.mul(output, new Tensor(r, output.shape)));
      }, ts).grads.map((t) => t.data);
    }
    const errs = [0, 1, 2].map((i) => compare(g.wasm[i], g.reference[i]));
    const ok = errs.every((e) => e.err < 1e-4 && !e.nanMismatch);
    if (!ok) fails++;
    console.log(`${ok ? "ok  " : "FAIL"} only ${use} used, ${JSON.stringify(opts)}: dq/dk/dv err ${errs.map((e) => e.err.toExponential(1)).join(" ")}`);
  }
}
console.log(fails ? `${fails} FAILURES` : "all ok");
