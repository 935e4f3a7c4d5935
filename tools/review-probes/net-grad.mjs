// Gradients of a net's parameters: a batch of ragged sequences (padded inside, masked attention) vs the sum of
// each sequence alone.
import { netChain, sequenceInputLayer, selfAttentionLayer, layerNormalizationLayer, globalAveragePooling1dLayer, fullyConnectedLayer, softmaxLayer, lstmLayer,
  valueAndGrad, ops, Tensor } from "../../dist/index.js";
import { randArr, compare } from "./lib.mjs";
const lens = [1, 7, 3, 29, 2, 16, 5, 70];
const xs = lens.map((T) => new Tensor(randArr(T * 6, 2), [T, 6]));
let fails = 0;
for (const [name, layers] of [
  ["attention pooled", () => [sequenceInputLayer(6), selfAttentionLayer(2, 8), layerNormalizationLayer(), globalAveragePooling1dLayer(), fullyConnectedLayer(3), softmaxLayer()]],
  ["causal seq2seq", () => [sequenceInputLayer(6), selfAttentionLayer(2, 8, { attentionMask: "causal" }), layerNormalizationLayer(), fullyConnectedLayer(3), softmaxLayer()]],
  ["lstm", () => [sequenceInputLayer(6), lstmLayer(5, { outputMode: "sequence" }), selfAttentionLayer(1, 4), globalAveragePooling1dLayer(), fullyConnectedLayer(3), softmaxLayer()]],
]) {
  const net = netChain(layers()).initialize({ seed: 5 });
  const params = net.layers.flatMap((l) => Object.values(l.parameters ?? {}));
  const r = xs.map((x) => randArr(x.shape[0] * 3));
  const lossOf = (outs, idx) => outs.reduce((acc, o, n) => ops.add(acc, ops.sum(ops.mul(o, new Tensor(o.shape.length === 1 ? r[idx[n]].subarray(0, 3) : r[idx[n]], o.shape)))), ops.sum(new Tensor(new Float32Array(1), [1])));
  const batched = valueAndGrad(() => lossOf(net.apply(xs), xs.map((_, i) => i)), params);
  const sum = params.map((p) => new Float64Array(p.size)); let total = 0;
  xs.forEach((x, i) => { const g = valueAndGrad(() => lossOf(net.apply([x]), [i]), params); total += g.value; g.grads.forEach((t, k) => t.data.forEach((v, j) => { sum[k][j] += v; })); });
  const worst = Math.max(...batched.grads.map((g, k) => compare(g.data, sum[k]).err));
  const ok = worst < 1e-4 && Math.abs(batched.value - total) < 1e-4 * (1 + Math.abs(total));
  if (!ok) fails++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${params.length} parameters, loss ${batched.value.toFixed(5)} vs ${total.toFixed(5)}, max grad err ${worst.toExponential(2)}`);
}
console.log(fails ? `${fails} FAILURES` : "all ok");
