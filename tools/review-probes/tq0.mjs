// Repro: Tq = 0 (or Tk = 0) crashes the default wasm kernel with a TypeError from inside threads.js
import { dotProductAttention, tensor, Tensor } from "../../dist/index.js";
const z = (shape) => new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
for (const [Tq, Tk] of [[0, 5], [5, 0], [0, 0]]) for (const impl of ["reference", "wasm"]) {
  try {
    const o = dotProductAttention(z([1, 1, Tq, 4]), z([1, 1, Tk, 4]), z([1, 1, Tk, 4]), { implementation: impl });
    console.log(impl, `Tq=${Tq} Tk=${Tk}`, "shape", o.shape, Array.from(o.data));
  } catch (e) { console.log(impl, `Tq=${Tq} Tk=${Tk}`, "THROWS", e.message); }
}
// B = 0 too
for (const impl of ["reference", "wasm"]) {
  try { const o = dotProductAttention(z([0, 1, 3, 4]), z([0, 1, 3, 4]), z([0, 1, 3, 4]), { implementation: impl }); console.log(impl, "B=0 shape", o.shape); }
  catch (e) { console.log(impl, "B=0 THROWS", e.message); }
}
