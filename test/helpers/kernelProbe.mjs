// Run by test/fallbacks.test.ts in a child process (node [flags] kernelProbe.mjs): one call of each kernel family
// against the built package (attention forward and gradients, a product above the threads' threshold, the LSTM
// recurrence through lstmLayer, a decoding step with its weights resident in kernel memory) and, on stdout, their results as JSON with the warnings the library gave.
import { pathToFileURL } from "node:url";
import { fileURLToPath } from "node:url";

const lib = await import(pathToFileURL(fileURLToPath(new URL("../../dist/node/index.js", import.meta.url))).href);
const { Random, Tensor, dotProductAttention, lstmLayer, ops, setNumThreads, setWarningSink, valueAndGrad, getNumThreads, netChain, sequenceInputLayer, selfAttentionLayer, fullyConnectedLayer } = lib;
const warnings = [];
setWarningSink((message) => warnings.push(message));
setNumThreads(2);
const random = new Random(7);
const make = (shape) => new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal()), shape);

const q = make([1, 2, 70, 16]), k = make([1, 2, 70, 16]), v = make([1, 2, 70, 16]), r = make([1, 2, 70, 16]);
const attention = valueAndGrad(() => ops.sum(ops.mul(dotProductAttention(q, k, v, { causal: true }), r)), [q, k, v]);
const a = make([80, 70]), b = make([70, 90]); // 80·70·90 > 64³: split over the threads where they run
const product = ops.matmul(a, b);
const lstm = lstmLayer(5, { outputMode: "sequence" });
lstm.initialize({ inputSize: 3, seed: 3 });
const lstmOut = lstm.apply(make([2, 6, 3]));
const product2 = ops.matmul(a, b); // a second call: the warnings come once
const decoderNet = netChain([sequenceInputLayer(4), selfAttentionLayer(2, 8, { attentionMask: "causal" }), fullyConnectedLayer(3)]).initialize({ seed: 5 });
const decoder = decoderNet.startDecoding();
const x = make([5, 4]);
const decoded = [...decoder.next(new Tensor(x.data.slice(0, 12), [3, 4])).data, ...decoder.next(new Tensor(x.data.slice(12), [2, 4])).data];
const flat = (t) => Array.from(t.data);
console.log(JSON.stringify({
  warnings, threads: getNumThreads(),
  attention: [attention.value, ...attention.grads.map(flat)], product: flat(product), product2: flat(product2), lstm: flat(lstmOut), decoded,
}));
