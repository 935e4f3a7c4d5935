// Timing: warm up, then repeat until both `minRuns` runs and `minSeconds` have passed (or `maxRuns`),
// and report the median. `fn` may return a promise (the peers' APIs are async); it is awaited per run.
// A warm-up run over a second long lowers minRuns to 3, so the largest sizes stay affordable.
// Warm-up lasts `warmup` runs and at least `warmupSeconds`: WebAssembly starts on a baseline compiler and its hot
// functions move to the optimizing one after many calls, in each worker thread anew, so a few runs of a 1 ms
// call measured code half as fast (ours at T = 128 on 2 threads: 20.7 GFLOP/s over the first 50 runs, 37 after 300).
export async function measure(fn, { warmup = 1, warmupSeconds = 0.5, minRuns = 5, maxRuns = 50, minSeconds = 1 } = {}) {
  const w0 = performance.now();
  for (let i = 0; i < warmup; i++) await fn();
  const slow = warmup > 0 && performance.now() - w0 > 1000 * warmup;
  if (slow) minRuns = Math.min(minRuns, 3);
  else while (performance.now() - w0 < 1000 * warmupSeconds) await fn();
  const times = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < minSeconds * 1000)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { medianMs: median(times), runs: times.length, minMs: Math.min(...times) };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Uniform values in [-0.5, 0.5) from a small LCG, so every engine sees the same data. */
export function randomData(n, seed = 1) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}
