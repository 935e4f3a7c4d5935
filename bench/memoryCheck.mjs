// The long-sequence check, run as a child process so its peak RSS is its own: causal forward+backward
// at T = 16, then at the long T (one head, D = 64), both in this process. Prints one JSON line:
// the time of the long run and the peak RSS it added above the process after the T = 16 run.
//   node bench/memoryCheck.mjs T implementation
import * as lib from "../dist/index.js";
import { randomData } from "./measure.mjs";

const { dotProductAttention, valueAndGrad, ops, Tensor } = lib;
const [t, implementation] = [Number(process.argv[2]), process.argv[3]];
const D = 64;

function causalForwardBackward(t) {
  const make = (seed) => new Tensor(randomData(t * D, seed), [1, 1, t, D]);
  const q = make(1), k = make(2), v = make(3), r = make(4);
  const t0 = performance.now();
  const { grads } = valueAndGrad(() => ops.sum(ops.mul(dotProductAttention(q, k, v, { causal: true, implementation }), r)), [q, k, v]);
  const seconds = (performance.now() - t0) / 1000;
  if (!grads.every((g) => g.data.every(Number.isFinite))) throw new Error(`memory check: non-finite gradient at T = ${t}`);
  return seconds;
}

const maxRssMB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

if (typeof lib.ready === "function") await lib.ready();
causalForwardBackward(16);
const baseMB = maxRssMB();
const seconds = causalForwardBackward(t);
const peakMB = maxRssMB();
console.log(JSON.stringify({ t, d: D, heads: 1, implementation, seconds, baselineRssMB: baseMB, peakRssMB: peakMB, aboveBaselineMB: peakMB - baseMB }));
