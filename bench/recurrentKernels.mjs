// The recurrent kernels' WebAssembly forward + backward against their plain-JS references (same inputs,
// median of several runs): node bench/recurrentKernels.mjs [B T H ...] after `npm run build`.
// Prints ms per forward+backward and the speed-up; a standalone check, not part of `npm run bench`. The two
// run alternately and the fastest of each is reported (the least disturbed by other processes on a busy machine).
import { gruBackwardReference, gruForwardReference } from "../dist/kernels/gru.js";
import { lstmBackwardReference, lstmForwardReference } from "../dist/kernels/lstm.js";
import { recurrenceSteps } from "../dist/kernels/recurrence.js";
import { rnnBackwardReference, rnnForwardReference } from "../dist/kernels/rnn.js";
import { gruBackwardWasm, gruForwardWasm } from "../dist/kernels/wasm/gru.js";
import { lstmBackwardWasm, lstmForwardWasm } from "../dist/kernels/wasm/lstm.js";
import { rnnBackwardWasm, rnnForwardWasm } from "../dist/kernels/wasm/rnn.js";

const args = process.argv.slice(2).map(Number);
const shapes = args.length >= 3 ? [args.slice(0, 3)] : [[64, 20, 64], [32, 50, 128], [8, 100, 32]];
const rand = (n) => Float32Array.from({ length: n }, () => (Math.random() - 0.5) * 0.5);

/** The fastest of several alternating runs of a and b (after one warm-up each). */
function fastest(a, b, minMs = 1500) {
  a(); b();
  let ta = Infinity, tb = Infinity, runs = 0;
  const time = (fn) => { const t0 = performance.now(); fn(); return performance.now() - t0; };
  const start = performance.now();
  while (runs < 5 || (performance.now() - start < minMs && runs < 100)) {
    ta = Math.min(ta, time(a));
    tb = Math.min(tb, time(b));
    runs++;
  }
  return [ta, tb];
}

// name: [gates, reference [forward, backward], WebAssembly [forward, backward], one forward + backward]
const gru = (resetAfter) => (fwd, bwd, x, steps) => { const f = fwd(x.p, x.r, x.b, x.bh, x.h0, steps, resetAfter); bwd(x.dh, x.dl, x.r, f.trace); };
const kernels = {
  "GRU (after-multiplication)": [3, [gruForwardReference, gruBackwardReference], [gruForwardWasm, gruBackwardWasm], gru(true)],
  "GRU (before-multiplication)": [3, [gruForwardReference, gruBackwardReference], [gruForwardWasm, gruBackwardWasm], gru(false)],
  "basic RNN": [1, [rnnForwardReference, rnnBackwardReference], [rnnForwardWasm, rnnBackwardWasm],
    (fwd, bwd, x, steps) => { const f = fwd(x.p, x.r, x.b, x.h0, steps); bwd(x.dh, x.dl, x.r, f.trace); }],
  LSTM: [4, [lstmForwardReference, lstmBackwardReference], [lstmForwardWasm, lstmBackwardWasm],
    (fwd, bwd, x, steps) => { const f = fwd(x.p, x.r, x.b, steps.B, steps.T, steps.H, { h0: x.h0, c0: x.h0 }); bwd(x.dh, x.r, f.trace, x.dl, x.dl); }],
};

for (const [B, T, H] of shapes) {
  for (const [name, [G, ref, fast, run]] of Object.entries(kernels)) {
    const x = { p: rand(B * T * G * H), r: rand(G * H * H), b: rand(G * H), bh: rand(G * H), h0: rand(B * H), dh: rand(B * T * H), dl: rand(B * H) };
    const steps = recurrenceSteps(B, T, H);
    const [tRef, tFast] = fastest(() => run(...ref, x, steps), () => run(...fast, x, steps));
    console.log(`${name.padEnd(28)} B=${B} T=${T} H=${H}: reference ${tRef.toFixed(2)} ms, WebAssembly ${tFast.toFixed(2)} ms (forward + backward), ${(tRef / tFast).toFixed(1)}× faster`);
  }
}
