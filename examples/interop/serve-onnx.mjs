// Serve a net exported by exportOnnx (the main job writes report/japanese-vowels-attention.onnx) with
// ONNX Runtime, on a padded batch of sequences of different lengths, and compare with net.predict.
//   node examples/interop/serve-onnx.mjs report/japanese-vowels-attention.onnx report/japanese-vowels-attention.safetensors
//   node examples/interop/serve-onnx.mjs --web …   (onnxruntime-web: the same code runs in a browser)
import { readFileSync } from "node:fs";
import { loadNet, Random, Tensor } from "attention-layers";

const args = process.argv.slice(2);
const web = args[0] === "--web";
const [modelPath, netPath] = web ? args.slice(1) : args;
const ort = web ? await import("onnxruntime-web") : await import("onnxruntime-node");
if (web) ort.env.wasm.numThreads = 1;

const session = await ort.InferenceSession.create(readFileSync(modelPath));
console.log(`inputs ${session.inputNames.join(", ")}; outputs ${session.outputNames.join(", ")}`);

// three sequences of 9, 5 and 1 steps, zero-padded to 9; the mask marks real steps with 1
const net = loadNet(netPath);
const C = net.inputLayers[0].inputSize, lengths = [9, 5, 1], T = 9, B = lengths.length;
const random = new Random(1);
const sequences = lengths.map((L) => new Tensor(Float32Array.from({ length: L * C }, () => random.normal()), [L, C]));
const x = new Float32Array(B * T * C), mask = new Float32Array(B * T);
sequences.forEach((s, b) => { x.set(s.data, b * T * C); mask.fill(1, b * T, b * T + s.shape[0]); });

const { output } = await session.run({ input: new ort.Tensor("float32", x, [B, T, C]), mask: new ort.Tensor("float32", mask, [B, T]) });
const expected = net.predict(sequences);
const K = output.dims[1];
let worst = 0;
expected.forEach((e, b) => e.data.forEach((v, k) => { worst = Math.max(worst, Math.abs(output.data[b * K + k] - v)); }));
for (let b = 0; b < B; b++) console.log(`sequence of ${lengths[b]} steps → class ${argmax(output.data.subarray(b * K, (b + 1) * K))}`);
console.log(`max |onnx − predict| = ${worst.toExponential(2)} (${web ? "onnxruntime-web" : "onnxruntime-node"})`);

function argmax(v) {
  return v.indexOf(Math.max(...v));
}
