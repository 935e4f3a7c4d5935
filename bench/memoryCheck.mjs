// The long-sequence check, run as a child process so its peak RSS is its own: causal forward+backward
// at T = 16, then at the long T (one head, D = 64), both in this process. Prints one JSON line:
// the time of the long run and how far the peak RSS rose above the resident size after the T = 16 run
// (the current RSS after a gc, with the peak reset there, so neither start-up nor garbage hides the long run).
//   node bench/memoryCheck.mjs T implementation
import { readFileSync, writeFileSync } from "node:fs";
import * as lib from "../dist/node/index.js";
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

const MB = 2 ** 20;

/**
 * Peak RSS of this process. On Linux, VmHWM of /proc/self/status: getrusage's maxRSS would not do, as it
 * keeps the parent's resident size from the fork that started this child. Elsewhere maxRSS it is.
 */
function peakRssMB() {
  try {
    const kb = /VmHWM:\s*(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024; // KiB
}

/** Lets the peak start from the current RSS (Linux: writing 5 to clear_refs resets VmHWM). */
function resetPeak() {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {}
}

await lib.ready();
causalForwardBackward(16);
globalThis.gc?.(); // runMemory starts this with --expose-gc: the baseline holds no garbage
const baseMB = process.memoryUsage().rss / MB;
resetPeak();
const seconds = causalForwardBackward(t);
const peakMB = peakRssMB();
const threads = lib.getNumThreads(); // the library's default
console.log(JSON.stringify({ t, d: D, heads: 1, implementation, threads, seconds, baselineRssMB: baseMB, peakRssMB: peakMB, aboveBaselineMB: peakMB - baseMB }));
