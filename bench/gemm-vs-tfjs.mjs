// Quick GEMM check until `npm run bench` lands: our WebAssembly GEMM vs TF.js WASM (XNNPACK) tf.matMul,
// one thread each, in one process, interleaved repeats, medians. Usage: npm run build && node bench/gemm-vs-tfjs.mjs [256,512,1024]
import { gemmWasm } from "../dist/kernels/wasm/gemm.js";
import { wasmKernels } from "../dist/kernels/wasm/loader.js";
import * as tf from "@tensorflow/tfjs-core";
import { setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
setThreadsCount(1);
await tf.setBackend("wasm"); await tf.ready();
console.log("variant", wasmKernels().variant, "tf backend", tf.getBackend());
const sizes = (process.argv[2] ?? "256,512,1024").split(",").map(Number);
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
for (const s of sizes) {
  const a = Float32Array.from({ length: s * s }, Math.random), b = Float32Array.from({ length: s * s }, Math.random), c = new Float32Array(s * s);
  const reps = s >= 1024 ? 5 : s >= 512 ? 11 : 31;
  const flop = 2 * s * s * s;
  const ta = tf.tensor2d(a, [s, s]), tb = tf.tensor2d(b, [s, s]);
  const runs = { ours: () => gemmWasm(a, 0, false, b, 0, false, c, 0, s, s, s, false), tfjs: () => { const r = tf.matMul(ta, tb); r.dataSync(); r.dispose(); } };
  const res = {};
  for (const [name, f] of Object.entries(runs)) { f(); f(); }
  for (let r = 0; r < reps; r++) for (const [name, f] of Object.entries(runs)) { const t = performance.now(); f(); (res[name] ??= []).push(performance.now() - t); }
  const g = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, flop / median(v) / 1e6]));
  console.log(s, Object.entries(g).map(([k, v]) => `${k} ${v.toFixed(1)} GFLOP/s`).join("  "), `ratio ${(g.ours / g.tfjs).toFixed(2)}`);
}
