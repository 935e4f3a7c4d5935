// Runs in a browser worker (bundled by test/browserThreads.test.ts): after ready(), the kernels' thread count,
// and GEMM and attention results with 1 and 2 threads, posted back to the page.
import { dotProductAttention, getNumThreads, ops, ready, setNumThreads, Tensor } from "../../../src/index.js";
import { workerCount } from "../../../src/kernels/wasm/threads.js";

const filled = (shape: number[], f: (i: number) => number) => new Tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => f(i)), shape);

async function main() {
  await ready();
  const threadsAfterReady = getNumThreads();
  const a = filled([300, 200], Math.sin), b = filled([200, 250], Math.cos);
  const q = filled([1, 2, 200, 32], (i) => Math.sin(i * 0.37)), k = filled([1, 2, 200, 32], (i) => Math.cos(i * 0.11)), v = filled([1, 2, 200, 32], (i) => Math.sin(i * 0.05));
  const run = (n: number) => {
    setNumThreads(n);
    return [ops.matmul(a, b).data, dotProductAttention(q, k, v, { causal: true }).data];
  };
  const one = run(1), two = run(2);
  const identical = one.every((x, i) => x.length === two[i].length && x.every((y, j) => y === two[i][j]));
  postMessage({ isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true, threadsAfterReady, workers: workerCount(), identical });
}
main().catch((e) => postMessage({ error: String(e) }));
