// Broadcasting binary ops (rewritten this session) against their plain references, values and gradients;
// keepWhere against keepWhereReference; sum over axes against sumReference; transpose against transposeReference.
import { binaryReference } from "../../dist/tensor/ops/elementwise.js";
import { keepWhereReference } from "../../dist/tensor/ops/keepWhere.js";
import { sumReference } from "../../dist/tensor/ops/reduce.js";
import { transposeReference } from "../../dist/tensor/ops/layout.js";
import { ops, Tensor, valueAndGrad } from "../../dist/index.js";
import { randArr, rnd, bitEqual, compare } from "./lib.mjs";
let fails = 0, runs = 0;
const say = (ok, msg) => { runs++; if (!ok) { fails++; console.log("FAIL", msg); } };
const randShape = () => Array.from({ length: 1 + Math.floor((rnd() + 1) * 2) }, () => [1, 2, 3, 5][Math.floor((rnd() + 1) * 2)]);
for (let t = 0; t < 400; t++) {
  const full = randShape();
  const dropAxes = (s) => { let r = s.map((d) => (rnd() < -0.3 ? 1 : d)); const cut = Math.floor((rnd() + 1) / 2 * r.length); return r.slice(cut); };
  const sa = dropAxes(full), sb = dropAxes(full);
  const size = (s) => s.reduce((a, b) => a * b, 1);
  const a = new Tensor(randArr(size(sa)), sa), b = new Tensor(randArr(size(sb)).map((x) => x + 2), sb);
  for (const op of ["add", "sub", "mul", "div", "maximum"]) {
    let fast, ref;
    try { fast = ops[op](a, b); } catch (e) { say(false, `${op} ${sa} ${sb} throws ${e.message}`); continue; }
    ref = binaryReference(op, a, b);
    say(fast.shape.join() === ref.shape.join() && bitEqual(fast.data, ref.data), `${op} [${sa}] [${sb}] values`);
    // gradient vs finite-free formula: compare with reference-built loss
    const r = randArr(fast.size);
    const gf = valueAndGrad(() => ops.sum(ops.mul(ops[op](a, b), new Tensor(r, fast.shape))), [a, b]).grads;
    // expected gradient by broadcasting by hand
    const out = fast.shape, ra = [...Array(out.length - sa.length).fill(1), ...sa], rb = [...Array(out.length - sb.length).fill(1), ...sb];
    const ga = new Float64Array(a.size), gb = new Float64Array(b.size);
    const idx = new Array(out.length).fill(0);
    for (let n = 0; n < fast.size; n++) {
      let ia = 0, ib = 0;
      for (let d = 0; d < out.length; d++) { ia = ia * ra[d] + (ra[d] === 1 ? 0 : idx[d]); ib = ib * rb[d] + (rb[d] === 1 ? 0 : idx[d]); }
      const x = a.data[ia], y = b.data[ib];
      const [dx, dy] = op === "add" ? [1, 1] : op === "sub" ? [1, -1] : op === "mul" ? [y, x] : op === "div" ? [1 / y, -x / (y * y)] : x >= y ? [1, 0] : [0, 1];
      ga[ia] += r[n] * dx; gb[ib] += r[n] * dy;
      for (let d = out.length - 1; d >= 0; d--) { if (++idx[d] < out[d]) break; idx[d] = 0; }
    }
    say(compare(gf[0].data, ga).err < 1e-5 && compare(gf[1].data, gb).err < 1e-5, `${op} [${sa}] [${sb}] gradients (${compare(gf[0].data, ga).err}, ${compare(gf[1].data, gb).err})`);
  }
  // keepWhere with broadcast keep flags
  const keep = new Tensor(Float32Array.from({ length: size(sb) }, () => (rnd() > 0 ? 1 : 0)), sb);
  try {
    const kw = ops.keepWhere(a, keep), kr = keepWhereReference(a, keep);
    say(kw.shape.join() === kr.shape.join() && bitEqual(kw.data, kr.data), `keepWhere [${sa}] keep [${sb}]`);
  } catch (e) { const kr = (() => { try { keepWhereReference(a, keep); return "ok"; } catch (e2) { return e2.message; } })(); say(kr !== "ok", `keepWhere [${sa}] [${sb}] throws ${e.message} but reference ${kr}`); }
  // sum over random axes
  const axes = full.map((_, i) => i).filter(() => rnd() > 0);
  const x = new Tensor(randArr(size(full)), full);
  const s1 = ops.sum(x, axes, true), s2 = sumReference(x, axes, true);
  say(compare(s1.data, s2.data).err < 1e-6 && s1.shape.join() === s2.shape.join(), `sum [${full}] axes ${axes}`);
  const perm = full.map((_, i) => i).sort(() => rnd());
  say(bitEqual(ops.transpose(x, perm).data, transposeReference(x, perm).data), `transpose [${full}] ${perm}`);
}
console.log(fails ? `${fails} FAILURES of ${runs}` : `all ${runs} ok`);
