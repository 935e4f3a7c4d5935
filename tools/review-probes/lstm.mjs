// The WASM LSTM recurrence against lstmForwardReference: shapes, zero sizes, saturating inputs, NaN
import { lstmForwardReference, lstmForward } from "../../dist/kernels/lstm.js";
import { randArr, compare } from "./lib.mjs";
let fails = 0; const say = (ok, msg) => { if (!ok) fails++; if (!ok || process.env.V) console.log(`${ok ? "ok  " : "FAIL"} ${msg}`); };
for (const [B, T, H] of [[1, 1, 1], [1, 5, 1], [3, 7, 5], [2, 3, 100], [27, 29, 100], [1, 1, 257], [0, 3, 4], [3, 0, 4]]) {
  for (const s of [1, 30, 1e4]) {
    const p = randArr(B * T * 4 * H, s), r = randArr(4 * H * H, 1 / Math.sqrt(H)), b = randArr(4 * H);
    try {
      const a = lstmForward(p, r, b, B, T, H), ref = lstmForwardReference(p, r, b, B, T, H);
      const c = compare(a.h, ref.h);
      say(c.err < 2e-5 && !c.nanMismatch, `lstm B${B} T${T} H${H} input scale ${s}: err ${c.err.toExponential(2)} nan ${c.nanMismatch}`);
      for (const key of Object.keys(ref.trace)) {
        const x = a.trace[key], y = ref.trace[key];
        if (x instanceof Float32Array) { const ct = compare(x, y); say(ct.err < 2e-5 && !ct.nanMismatch, `  trace.${key} err ${ct.err.toExponential(2)}`); }
      }
    } catch (e) { say(false, `lstm B${B} T${T} H${H} throws ${e.message}`); }
  }
}
{ // NaN in row 0 only poisons row 0
  const B = 3, T = 4, H = 6; const p = randArr(B * T * 4 * H), r = randArr(4 * H * H), b = randArr(4 * H); p[0] = NaN;
  const a = lstmForward(p, r, b, B, T, H);
  say(a.h.slice(0, T * H).some(Number.isNaN) && a.h.slice(T * H).every(Number.isFinite), "NaN in batch row 0 stays in row 0");
}
console.log(fails ? `${fails} FAILURES` : "lstm all ok");
