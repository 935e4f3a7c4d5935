// One training step (forward, backward, Adam update) of a small pre-norm transformer encoder:
//   2 blocks of  h = x + Attention(LayerNorm(x));  y = h + W₂·gelu(W₁·LayerNorm(h))
//   model size 128, 4 heads, feed-forward 512, T = 256, batch 8, loss mse against a random target.
// Ours through the public API (netGraph of selfAttentionLayer, layerNormalizationLayer, fullyConnectedLayer,
// geluLayer, additionLayer, trained by trainNet for one mini-batch); TF.js WASM written with tfjs-core ops
// and optimizer.minimize (variableGrads); PyTorch in bench/python/encoder_step.py.
import { fileURLToPath } from "node:url";
import * as lib from "../../dist/node/index.js";
import { loadTf } from "../engines/tfjs.mjs";
import { measure, randomData } from "../measure.mjs";
import { firstLine, round } from "../runKernels.mjs";
import { packageVersion } from "../versions.mjs";
import { addPreNormBlocks } from "./blocks.mjs";
import { runPythonJson, torchAvailable } from "./python.mjs";

const { netGraph, sequenceInputLayer, Tensor, trainNet } = lib;

export const ENCODER = { blocks: 2, modelSize: 128, heads: 4, ffn: 512, batch: 8 };
const TORCH_SCRIPT = fileURLToPath(new URL("../python/encoder_step.py", import.meta.url));

export async function benchEncoder({ t, timing, log }) {
  const workload = { suite: "training", task: "encoder-step", ...ENCODER, t };
  const rows = [];
  const record = async (engine, extra, makeStep) => {
    try {
      const m = await measure(makeStep(), timing);
      rows.push({ ...workload, engine, ...extra, status: "ok", medianMs: round(m.medianMs, 2), runs: m.runs });
      log(`  encoder step T=${t}  ${engine.padEnd(8)} ${m.medianMs.toFixed(1)} ms (median of ${m.runs})`);
    } catch (err) {
      rows.push({ ...workload, engine, ...extra, status: "unavailable", reason: firstLine(err) });
    }
  };
  await record("ours", {}, () => oursStep(t));
  const tf = await loadTf().catch((err) => err);
  await record("tfjs", { version: packageVersion("@tensorflow/tfjs-backend-wasm") }, () => {
    if (tf instanceof Error) throw tf;
    return tfjsStep(tf, t);
  });
  try {
    const version = torchAvailable();
    const [r] = runPythonJson(TORCH_SCRIPT, ["--t", String(t), "--min-runs", String(timing.minRuns), "--min-seconds", String(timing.minSeconds)]);
    rows.push({ ...workload, engine: "pytorch", version, status: "ok", medianMs: round(r.median_ms, 2), runs: r.runs });
    log(`  encoder step T=${t}  pytorch  ${r.median_ms.toFixed(1)} ms (median of ${r.runs})`);
  } catch (err) {
    rows.push({ ...workload, engine: "pytorch", status: "unavailable", reason: firstLine(err.stderr || err) });
  }
  return rows;
}

/** Batch of 8 random sequences [T, 128] and random targets of the same shape. */
function data(t) {
  const { batch, modelSize: c } = ENCODER;
  const seqs = (seed) => Array.from({ length: batch }, (_, i) => new Tensor(randomData(t * c, seed * 100 + i), [t, c]));
  return { x: seqs(1), y: seqs(2) };
}

function oursStep(t) {
  const { blocks, modelSize: c, heads, ffn, batch } = ENCODER;
  const nodes = { in: sequenceInputLayer(c) };
  const edges = [["input", "in"]];
  addPreNormBlocks(lib, nodes, edges, "in", { blocks, c, heads, ffn });
  const net = netGraph({ nodes, edges });
  const { x: xs, y } = data(t);
  const options = { loss: "mse", solver: "adam", learnRate: 1e-3, l2Regularization: 0, maxEpochs: 1, miniBatchSize: batch, shuffle: "never", verbose: false };
  return () => trainNet(net, { x: xs, y }, options);
}

function tfjsStep(tf, t) {
  const { blocks, modelSize: c, heads, ffn, batch } = ENCODER;
  const dh = c / heads;
  let seed = 10;
  const weight = (rows, cols) => tf.variable(tf.tensor(randomData(rows * cols, seed++).map((v) => v * Math.sqrt(12 / (rows + cols))), [rows, cols]));
  const zeros = (n) => tf.variable(tf.zeros([n]));
  const ones = (n) => tf.variable(tf.ones([n]));
  const params = Array.from({ length: blocks }, () => ({
    g1: ones(c), b1: zeros(c), wq: weight(c, c), bq: zeros(c), wk: weight(c, c), bk: zeros(c), wv: weight(c, c), bv: zeros(c), wo: weight(c, c), bo: zeros(c),
    g2: ones(c), b2: zeros(c), w1: weight(c, ffn), c1: zeros(ffn), w2: weight(ffn, c), c2: zeros(c),
  }));
  const { x: xs, y: ys } = data(t);
  const x = tf.tensor(concat(xs), [batch * t, c]); // rows = (example, step)
  const target = tf.tensor(concat(ys), [batch * t, c]);
  const layerNorm = (h, g, b) => {
    const { mean, variance } = tf.moments(h, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
  };
  const dense = (h, w, b) => tf.add(tf.matMul(h, w), b);
  const splitHeads = (h) => tf.transpose(tf.reshape(h, [batch, t, heads, dh]), [0, 2, 1, 3]); // [B, H, T, dh]
  const gelu = (h) => tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.mul(h, Math.SQRT1_2)), 1));
  const attention = (h, p) => {
    const q = splitHeads(dense(h, p.wq, p.bq)), k = splitHeads(dense(h, p.wk, p.bk)), v = splitHeads(dense(h, p.wv, p.bv));
    const weights = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)));
    const o = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [batch * t, c]);
    return dense(o, p.wo, p.bo);
  };
  const loss = () => {
    let h = x;
    for (const p of params) {
      h = tf.add(h, attention(layerNorm(h, p.g1, p.b1), p));
      h = tf.add(h, dense(gelu(dense(layerNorm(h, p.g2, p.b2), p.w1, p.c1)), p.w2, p.c2));
    }
    return tf.losses.meanSquaredError(target, h);
  };
  const optimizer = tf.train.adam(1e-3);
  return () => {
    const cost = optimizer.minimize(loss, true);
    cost.dataSync();
    cost.dispose();
  };
}

function concat(tensors) {
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let offset = 0;
  for (const t of tensors) { out.set(t.data, offset); offset += t.size; }
  return out;
}
