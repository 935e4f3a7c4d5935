// Gradients of ops.matmul and ops.linear (the Aᵀ·B and A·Bᵀ paths) against float64 formulas, awkward shapes, batched
import { ops, Tensor, valueAndGrad } from "../../dist/index.js";
import { randArr, compare } from "./lib.mjs";
let fails = 0;
for (const [Bt, M, K, N] of [[1, 1, 1, 1], [1, 3, 5, 7], [2, 33, 65, 17], [3, 1, 300, 9], [1, 130, 70, 260], [2, 64, 1, 64]]) {
  const a = randArr(Bt * M * K), b = randArr(K * N), W = randArr(N * K), r = randArr(Bt * M * N);
  const A = new Tensor(a, [Bt, M, K]), Bm = new Tensor(b, [K, N]), Wt = new Tensor(W, [N, K]);
  const g1 = valueAndGrad(() => ops.sum(ops.mul(ops.matmul(A, Bm), new Tensor(r, [Bt, M, N]))), [A, Bm]).grads;
  const g2 = valueAndGrad(() => ops.sum(ops.mul(ops.linear(A, Wt), new Tensor(r, [Bt, M, N]))), [A, Wt]).grads;
  // float64: dA = R·Bᵀ, dB = Σ_batch Aᵀ·R ; linear: dA = R·W, dW = Σ Rᵀ·A
  const dA = new Float64Array(Bt * M * K), dB = new Float64Array(K * N), dAl = new Float64Array(Bt * M * K), dW = new Float64Array(N * K);
  for (let t = 0; t < Bt; t++) for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    const rv = r[(t * M + m) * N + n];
    for (let k = 0; k < K; k++) {
      dA[(t * M + m) * K + k] += rv * b[k * N + n]; dB[k * N + n] += a[(t * M + m) * K + k] * rv;
      dAl[(t * M + m) * K + k] += rv * W[n * K + k]; dW[n * K + k] += rv * a[(t * M + m) * K + k];
    }
  }
  const errs = [compare(g1[0].data, dA), compare(g1[1].data, dB), compare(g2[0].data, dAl), compare(g2[1].data, dW)].map((c) => c.err);
  const ok = errs.every((e) => e < 1e-5 * Math.sqrt(Math.max(K, M * Bt, N)));
  if (!ok) fails++;
  console.log(`${ok ? "ok  " : "FAIL"} [${Bt},${M},${K}]x[${K},${N}]: matmul dA dB, linear dA dW errs ${errs.map((e) => e.toExponential(1)).join(" ")}`);
}
console.log(fails ? `${fails} FAILURES` : "all ok");
