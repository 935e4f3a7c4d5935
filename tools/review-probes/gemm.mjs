// ops.matmul / ops.linear against a float64 product on awkward shapes; zero sizes; NaN; threads
import { ops, Tensor, setNumThreads } from "../../dist/index.js";
import { randArr, compare, bitEqual } from "./lib.mjs";
let fails = 0; const say = (ok, msg) => { if (!ok) fails++; if (!ok || process.env.V) console.log(`${ok ? "ok  " : "FAIL"} ${msg}`); };
function f64mm(a, b, M, K, N) { const c = new Float64Array(M * N); for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) { const x = a[i * K + k]; for (let j = 0; j < N; j++) c[i * N + j] += x * b[k * N + j]; } return c; }
const shapes = [[1, 1, 1], [1, 7, 1], [3, 5, 7], [4, 8, 9], [5, 1, 33], [33, 65, 17], [64, 64, 64], [65, 129, 67], [1, 300, 1], [257, 3, 5], [100, 100, 100], [130, 70, 260]];
for (const [M, K, N] of shapes) {
  const a = randArr(M * K), b = randArr(K * N);
  const exact = f64mm(a, b, M, K, N);
  let c;
  try { c = ops.matmul(new Tensor(a, [M, K]), new Tensor(b, [K, N])).data; } catch (e) { say(false, `matmul ${M}x${K}x${N} throws ${e.message}`); continue; }
  const e = compare(c, exact).err;
  say(e < 1e-5 * Math.sqrt(K), `matmul ${M}x${K}x${N} err ${e.toExponential(2)}`);
  // linear: x [M, K] · Wᵀ with W [N, K]
  const W = new Float32Array(N * K); for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) W[n * K + k] = b[k * N + n];
  const l = ops.linear(new Tensor(a, [M, K]), new Tensor(W, [N, K])).data;
  say(compare(l, exact).err < 1e-5 * Math.sqrt(K), `linear ${M}x${K}x${N} err ${compare(l, exact).err.toExponential(2)}`);
  // batched
  const bm = ops.matmul(new Tensor(Float32Array.from([...a, ...a]), [2, M, K]), new Tensor(b, [K, N])).data;
  say(compare(bm.subarray(M * N), exact).err < 1e-5 * Math.sqrt(K), `batched matmul ${M}x${K}x${N}`);
  setNumThreads(1); const c1 = ops.matmul(new Tensor(a, [M, K]), new Tensor(b, [K, N])).data; setNumThreads(2);
  say(bitEqual(c1, c), `matmul ${M}x${K}x${N} threads 1 vs 2 bit-identical`);
}
// zero sizes
for (const [M, K, N] of [[0, 3, 4], [3, 0, 4], [3, 4, 0], [0, 0, 0]]) {
  for (const f of ["matmul", "linear"]) {
    try {
      const r = f === "matmul" ? ops.matmul(new Tensor(new Float32Array(M * K), [M, K]), new Tensor(new Float32Array(K * N), [K, N]))
        : ops.linear(new Tensor(new Float32Array(M * K), [M, K]), new Tensor(new Float32Array(N * K), [N, K]));
      say(r.shape.join() === `${M},${N}` && r.data.every((x) => x === 0), `${f} ${M}x${K}x${N} → ${r.shape}`);
    } catch (e) { say(false, `${f} ${M}x${K}x${N} throws: ${e.message}`); }
  }
}
// NaN in A row 0 must not leak into other rows; Inf × 0 = NaN as IEEE says
{
  const M = 9, K = 9, N = 9; const a = randArr(M * K), b = randArr(K * N); a[0] = NaN;
  const c = ops.matmul(new Tensor(a, [M, K]), new Tensor(b, [K, N])).data;
  say(c.slice(0, N).every(Number.isNaN) && c.slice(N).every(Number.isFinite), "NaN in A[0,0] poisons row 0 only");
  const z = new Float32Array(M * K); z[0] = Infinity; const bz = new Float32Array(K * N);
  const cz = ops.matmul(new Tensor(z, [M, K]), new Tensor(bz, [K, N])).data;
  say(cz.slice(0, N).every(Number.isNaN), `Inf·0 = NaN in row 0 (got ${cz[0]})`);
}
console.log(fails ? `${fails} FAILURES` : "gemm all ok");
