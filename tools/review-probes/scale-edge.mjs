// scale edge values: 0, -1, Infinity, NaN — wasm vs reference
import { run, randArr, compare } from "./lib.mjs";
const q = { data: randArr(12), shape: [1, 1, 3, 4] }, k = { data: randArr(20), shape: [1, 1, 5, 4] }, v = { data: randArr(20), shape: [1, 1, 5, 4] };
const r = randArr(12), rw = randArr(15);
for (const scale of [0, -1, 1e-45, 1e38, Infinity, NaN]) {
  const res = {};
  for (const impl of ["wasm", "reference"]) {
    try { const a = run(impl, q, k, v, { scale }, r, rw); res[impl] = a; } catch (e) { res[impl] = e.message; }
  }
  if (typeof res.wasm === "string" || typeof res.reference === "string") { console.log(`scale ${scale}: wasm ${typeof res.wasm === "string" ? res.wasm : "ok"} | reference ${typeof res.reference === "string" ? res.reference : "ok"}`); continue; }
  const e = ["out", "w", "dq", "dk", "dv"].map((x) => { const c = compare(res.wasm[x], res.reference[x]); return `${x} ${c.err.toExponential(1)}${c.nanMismatch ? ` NaN≠${c.nanMismatch}` : ""}`; });
  console.log(`scale ${scale}: ${e.join(", ")}   wasm out[0]=${res.wasm.out[0]} ref out[0]=${res.reference.out[0]}`);
}
