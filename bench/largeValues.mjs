// The large-value check: causal attention forward+backward with one query element of 1e36 against the same
// call on ordinary values (ours only, one thread count). Such a call once ran the float64 reference kernel
// (27× slower at T = 4096); the ratio shows whether it stays on the fast path.
import * as lib from "../dist/node/index.js";
import { measure, randomData } from "./measure.mjs";
import { D } from "./workloads.mjs";

const { dotProductAttention, ops, Tensor, valueAndGrad } = lib;

export async function runLargeValues({ t, timing, log }) {
  const make = (seed) => new Tensor(randomData(t * D, seed), [1, 1, t, D]);
  const k = make(2), v = make(3), r = make(4);
  const time = async (q) => (await measure(() => valueAndGrad(() => ops.sum(ops.mul(dotProductAttention(q, k, v, { causal: true }), r)), [q, k, v]), timing)).medianMs;
  const normal = make(1), large = make(1);
  large.data[5] = 1e36;
  const normalMs = await time(normal), largeMs = await time(large);
  const row = { t, d: D, normalMs: Number(normalMs.toFixed(2)), largeMs: Number(largeMs.toFixed(2)), ratio: Number((largeMs / normalMs).toFixed(2)) };
  log(`  large values: fwd+bwd causal T=${t}, one head: ordinary ${row.normalMs} ms, one element 1e36 ${row.largeMs} ms (${row.ratio}×)`);
  return row;
}
