// Speed ratio: one NaN in a blocked (padded) key switches the whole call to the zero-skipping product.
import { dotProductAttention, Tensor, valueAndGrad, ops, setNumThreads } from "../../dist/index.js";
import { randArr } from "./lib.mjs";
setNumThreads(1);
const B = 2, H = 4, T = 512, D = 64;
const q = new Tensor(randArr(B * H * T * D), [B, H, T, D]);
const kClean = randArr(B * H * T * D), vClean = randArr(B * H * T * D);
const kNaN = kClean.slice(), vNaN = vClean.slice();
kNaN.fill(NaN, (2 * H - 1) * T * D + (T - 1) * D); vNaN.fill(NaN, (2 * H - 1) * T * D + (T - 1) * D); // last key of batch row 1, last head
const opts = { keyLengths: [T, T - 1] };
function time(k, v) {
  const kt = new Tensor(k, [B, H, T, D]), vt = new Tensor(v, [B, H, T, D]);
  const ts = [];
  for (let rep = 0; rep < 5; rep++) {
    const t0 = process.cpuUsage();
    valueAndGrad(() => ops.sum(dotProductAttention(q, kt, vt, opts)), [q, kt, vt]);
    const t1 = process.cpuUsage(t0); ts.push((t1.user + t1.system) / 1e3);
  }
  return ts.sort((a, b) => a - b)[2];
}
const clean = time(kClean, vClean), nan = time(kNaN, vNaN);
console.log(`fwd+bwd median CPU ms: clean ${clean.toFixed(1)}, one NaN in a padded key ${nan.toFixed(1)}: ${(nan / clean).toFixed(2)}× slower`);
