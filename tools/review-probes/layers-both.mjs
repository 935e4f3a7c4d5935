// Layers on the default wasm kernel vs the reference kernel: outputs, weights and gradients
import { attentionLayer, sequenceAttentionLayer, selfAttentionLayer, setDefaultAttentionKernel, valueAndGrad, ops, Tensor } from "../../dist/index.js";
import { randArr as rawRand, compare } from "./lib.mjs";
// the same random data for both kernels: a recorded stream replayed per case
let tape = [], pos = 0, replay = false;
const randArr = (n) => { if (replay) return tape[pos++].slice(); const a = rawRand(n); tape.push(a.slice()); return a; };
const cases = {
  "attentionLayer Dot causal lengthSqrt": () => { const l = attentionLayer("Dot", { mask: "causal", scoreRescaling: "lengthSqrt" }); const key = new Tensor(randArr(7 * 3), [7, 3]), value = new Tensor(randArr(7 * 2), [7, 2]), query = new Tensor(randArr(7 * 3), [7, 3]); return { params: [key, value, query], f: () => l.apply({ key, value, query }, { returnWeights: true }) }; },
  "attentionLayer Bilinear": () => { const l = attentionLayer("Bilinear").initialize({ keySize: 3, querySize: 4, seed: 1 }); const key = new Tensor(randArr(5 * 3), [5, 3]), value = new Tensor(randArr(5 * 2), [5, 2]), query = new Tensor(randArr(2 * 4), [2, 4]); return { params: [key, value, query, l.parameters.weights], f: () => l.apply({ key, value, query }, { returnWeights: true }) }; },
  "selfAttentionLayer padded causal": () => { const l = selfAttentionLayer(2, 6, { hasPaddingMaskInput: true, hasScoresOutput: true, attentionMask: "causal" }).initialize({ inputSize: 5, seed: 3 }); const x = new Tensor(randArr(2 * 9 * 5), [2, 9, 5]); const mask = [[1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 0, 1, 0]]; return { params: [x, ...Object.values(l.parameters)], f: () => { const r = l.apply({ in: x, mask }); return { output: r.out, weights: r.scores }; } }; },
};
for (const [name, make] of Object.entries(cases)) {
  const res = {};
  tape = []; replay = false;
  for (const impl of ["wasm", "reference"]) {
    setDefaultAttentionKernel(impl); pos = 0;
    const { params, f } = make();
    let out, w;
    const g = valueAndGrad(() => { const r = f(); out = r.output.data; w = r.weights.data; return ops.add(ops.sum(ops.square(r.output)), ops.sum(ops.mul(r.weights, r.weights))); }, params);
    res[impl] = { out, w, grads: g.grads.map((t) => t.data) };
    replay = true;
  }
  const errs = [compare(res.wasm.out, res.reference.out).err, compare(res.wasm.w, res.reference.w).err, ...res.wasm.grads.map((gr, i) => compare(gr, res.reference.grads[i]).err)];
  console.log(`${Math.max(...errs) < 1e-4 ? "ok  " : "FAIL"} ${name}: max err ${Math.max(...errs).toExponential(2)}`);
}
