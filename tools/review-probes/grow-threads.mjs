// Workers started on a small memory, then a call that grows the shared memory a lot: 2 threads vs 1 thread, vs reference
import { run, randArr, bitEqual, compare, setNumThreads, ops, Tensor } from "./lib.mjs";
const mk = (B, H, T, D) => ({ q: { data: randArr(B * H * T * D), shape: [B, H, T, D] }, k: { data: randArr(B * H * T * D), shape: [B, H, T, D] }, v: { data: randArr(B * H * T * D), shape: [B, H, T, D] } });
setNumThreads(2);
const s = mk(1, 2, 128, 16); run("wasm", s.q, s.k, s.v, {}, randArr(2 * 128 * 16)); // starts the worker (above 2^18 MACs)
const big = mk(2, 4, 1000, 40), r = randArr(2 * 4 * 1000 * 40), rw = randArr(2 * 4 * 1000 * 1000);
const two = run("wasm", big.q, big.k, big.v, { causal: true }, r, rw); // ~32 MB of weights + dWeights: memory grows
setNumThreads(1);
const one = run("wasm", big.q, big.k, big.v, { causal: true }, r, rw);
console.log("2 threads after growth bit-identical to 1 thread:", ["out", "w", "dq", "dk", "dv"].map((x) => `${x} ${bitEqual(one[x], two[x])}`).join(", "));
const ref = run("reference", big.q, big.k, big.v, { causal: true }, r, rw);
console.log("vs reference:", ["out", "w", "dq", "dk", "dv"].map((x) => `${x} ${compare(two[x], ref[x]).err.toExponential(1)}`).join(", "));
// GEMM too: small parallel product, then a big one
setNumThreads(2);
const M = 700, K = 900, N = 800;
const a = randArr(M * K), b = randArr(K * N);
const c2 = ops.matmul(new Tensor(a, [M, K]), new Tensor(b, [K, N])).data;
setNumThreads(1);
const c1 = ops.matmul(new Tensor(a, [M, K]), new Tensor(b, [K, N])).data;
console.log("gemm 700x900x800 2 vs 1 thread bit-identical:", bitEqual(c1, c2));
