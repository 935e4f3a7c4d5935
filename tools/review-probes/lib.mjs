// Probe helpers: run dotProductAttention with a given implementation, get output, weights and all grads.
import { dotProductAttention, valueAndGrad, ops, tensor, Tensor, setNumThreads, getNumThreads } from "../../dist/index.js";
export { setNumThreads, getNumThreads, tensor, Tensor, ops, dotProductAttention, valueAndGrad };

let seed = 12345;
export function rnd() { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32 * 2 - 1; }
export function randArr(n, scale = 1) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = rnd() * scale; return a; }
export const T = (data, shape) => new Tensor(Float32Array.from(data), shape);

/** returns { out, w, dq, dk, dv } as Float32Arrays; r, rw: cotangents for out and weights */
export function run(impl, q, k, v, opts, r, rw) {
  const qt = T(q.data, q.shape), kt = T(k.data, k.shape), vt = T(v.data, v.shape);
  let out, w;
  const loss = () => {
    const res = dotProductAttention(qt, kt, vt, { ...opts, implementation: impl, returnWeights: rw !== undefined });
    let o = res, wt;
    if (rw !== undefined) { o = res.output; wt = res.weights; }
    out = o.data.slice(); w = wt ? wt.data.slice() : undefined;
    let L = ops.sum(ops.mul(o, T(r, o.shape)));
    if (wt) L = ops.add(L, ops.sum(ops.mul(wt, T(rw, wt.shape))));
    return L;
  };
  const { grads } = valueAndGrad(loss, [qt, kt, vt]);
  return { out, w, dq: grads[0].data.slice(), dk: grads[1].data.slice(), dv: grads[2].data.slice() };
}

/** max |a-b| / (1 + |b|) with NaN mismatches counted */
export function compare(a, b) {
  if (!a && !b) return { err: 0, nanMismatch: 0 };
  let err = 0, nanMismatch = 0, worst = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(x) !== Number.isNaN(y)) { nanMismatch++; continue; }
    if (Number.isNaN(x)) continue;
    if (x === y) continue;
    const e = Math.abs(x - y) / (1 + Math.abs(y));
    if (!(e <= err)) { err = e; worst = i; }
  }
  return { err, nanMismatch, worst, a: a[worst], b: b[worst] };
}
export function bitEqual(a, b) {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}
export function report(name, A, Bref, tol = 1e-4) {
  const keys = ["out", "w", "dq", "dk", "dv"];
  const bad = [];
  for (const key of keys) {
    const c = compare(A[key], Bref[key]);
    if (c.nanMismatch || c.err > tol) bad.push(`${key}: err ${c.err.toExponential(2)} nanMismatch ${c.nanMismatch} at ${c.worst} wasm=${c.a} ref=${c.b}`);
  }
  console.log(`${bad.length ? "FAIL" : "ok  "} ${name}${bad.length ? "\n      " + bad.join("\n      ") : ""}`);
  return bad.length === 0;
}
