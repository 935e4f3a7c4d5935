// Adversarial comparisons of the "wasm" attention kernel against "reference".
import { run, report, randArr, rnd } from "./lib.mjs";

function mk(B, H, Hkv, Tq, Tk, D, Dv, s = 1) {
  return {
    q: { data: randArr(B * H * Tq * D, s), shape: [B, H, Tq, D] },
    k: { data: randArr(B * Hkv * Tk * D, s), shape: [B, Hkv, Tk, D] },
    v: { data: randArr(B * Hkv * Tk * Dv, s), shape: [B, Hkv, Tk, Dv] },
  };
}
function both(name, p, opts, withWeights = true, tol = 1e-4) {
  const [B, H, Tq] = p.q.shape, Dv = p.v.shape[3], Tk = p.k.shape[2];
  const r = randArr(B * H * Tq * Dv), rw = withWeights ? randArr(B * H * Tq * Tk) : undefined;
  const a = run("wasm", p.q, p.k, p.v, opts, r, rw);
  const b = run("reference", p.q, p.k, p.v, opts, r, rw);
  return report(name, a, b, tol);
}
let fails = 0;
const check = (...args) => { try { if (!both(...args)) fails++; } catch (e) { fails++; console.log(`THROW ${args[0]}: ${e.message.split('\n')[0]}`); } };

// 1. shapes
for (const [Tq, Tk] of [[1, 1], [1, 7], [7, 1], [0, 5], [5, 0], [33, 65], [65, 33], [129, 3]]) {
  for (const [D, Dv] of [[1, 1], [3, 5], [300, 1], [1, 300], [64, 64]]) {
    const p = mk(2, 4, 2, Tq, Tk, D, Dv);
    for (const causal of [false, true, "bottomRight"]) {
      for (const withW of [false, true]) check(`Tq${Tq} Tk${Tk} D${D} Dv${Dv} causal=${causal} w=${withW}`, p, { causal }, withW);
    }
  }
}
// 2. NaN/Inf in blocked positions
function poison(p, blocked, val) { // blocked(b, kh, j) → set k and v to val
  const [B, Hkv, Tk, D] = p.k.shape, Dv = p.v.shape[3];
  for (let b = 0; b < B; b++) for (let h = 0; h < Hkv; h++) for (let j = 0; j < Tk; j++) if (blocked(b, h, j)) {
    for (let d = 0; d < D; d++) p.k.data[((b * Hkv + h) * Tk + j) * D + d] = val;
    for (let d = 0; d < Dv; d++) p.v.data[((b * Hkv + h) * Tk + j) * Dv + d] = val;
  }
}
for (const val of [NaN, Infinity, -Infinity, 1e30, 3e38]) {
  { const p = mk(2, 2, 2, 9, 13, 5, 3); poison(p, (b, h, j) => j >= [13, 6][b], val); check(`keyLengths poisoned ${val}`, p, { keyLengths: [13, 6] }); }
  { const p = mk(2, 2, 1, 9, 13, 5, 3); poison(p, (b, h, j) => j >= [13, 0][b], val); check(`keyLengths 0 poisoned ${val}`, p, { keyLengths: [13, 0] }); }
  { // explicit mask hides key 4 from everyone
    const p = mk(1, 2, 2, 6, 8, 4, 4); poison(p, (b, h, j) => j === 4, val);
    const m = []; for (let i = 0; i < 6; i++) { m.push([]); for (let j = 0; j < 8; j++) m[i].push(j === 4 ? 0 : 1); }
    check(`explicit mask col poisoned ${val}`, p, { mask: m });
  }
  { // explicit mask, Tk=100, key 70 hidden
    const p = mk(1, 1, 1, 40, 100, 8, 8); poison(p, (b, h, j) => j === 70, val);
    const m = []; for (let j = 0; j < 100; j++) m.push(j === 70 ? 0 : 1);
    check(`explicit [Tk] mask big poisoned ${val}`, p, { mask: m });
  }
  { // window without causal: far keys blocked for query 0 only... all keys visible to someone; poison none, but window hides
    const p = mk(1, 1, 1, 3, 20, 4, 4); poison(p, (b, h, j) => j >= 10, val);
    check(`window=3 Tq<Tk poisoned tail ${val}`, p, { window: 3 });
  }
  { // bottom-right causal Tq > Tk: first rows see nothing
    const p = mk(1, 2, 1, 10, 4, 4, 4); check(`bottomRight Tq>Tk ${val}`, p, { causal: "bottomRight" });
  }
  { // causal top-left Tq < Tk: keys j >= Tq never seen
    const p = mk(1, 2, 1, 4, 10, 4, 4); poison(p, (b, h, j) => j >= 4, val); check(`topLeft Tq<Tk poisoned tail ${val}`, p, { causal: true });
  }
  { // query NaN in a row that sees nothing
    const p = mk(2, 1, 1, 3, 5, 4, 4); for (let d = 0; d < 4; d++) p.q.data[(1 * 3 + 0) * 4 + d] = val;
    check(`query poisoned in empty row ${val}`, p, { keyLengths: [5, 0] });
  }
}
// 3. fully masked rows: output and gradients exactly 0
{
  const p = mk(1, 1, 1, 4, 4, 3, 3);
  const m = [[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0]];
  check("fully masked rows", p, { mask: m });
}
// 4. huge / tiny scores
for (const s of [1e-20, 1e-3, 30, 1e2, 1e4, 1e8, 1e15]) {
  const p = mk(1, 2, 2, 7, 9, 6, 3, 1); check(`scale ${s}`, p, { scale: s }, true, 1e-3);
}
for (const s of [1e-30, 1e-38, 1e-42]) { const p = mk(1, 1, 1, 5, 5, 4, 4, s); check(`tiny inputs ${s}`, p, {}); }
// 5. dropout
for (const rate of [0.1, 0.5, 0.9, 0.999999]) {
  const p = mk(2, 4, 2, 37, 70, 8, 5); check(`dropout ${rate}`, p, { dropout: { rate, seed: 7 } });
  check(`dropout ${rate} causal`, p, { dropout: { rate, seed: 7 }, causal: true }, false);
}
// 6. window variants
for (const window of [1, 2, 5, 100]) for (const causal of [false, true, "bottomRight"]) {
  const p = mk(1, 2, 1, 11, 17, 4, 4); check(`window ${window} causal ${causal}`, p, { window, causal });
}
// 7. GQA with mask broadcast over heads and batch
{
  const p = mk(3, 6, 2, 5, 9, 4, 7);
  const m = []; for (let h = 0; h < 6; h++) { m.push([]); for (let i = 0; i < 5; i++) { m[h].push([]); for (let j = 0; j < 9; j++) m[h][i].push(rnd() > 0 ? 1 : 0); } }
  check("GQA mask [H,Tq,Tk]", p, { mask: m, keyLengths: [9, 4, 1] });
}
console.log(fails ? `${fails} FAILURES` : "all ok");
