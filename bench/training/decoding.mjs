// Decoding tokens/s of a 4-block character GPT (pre-norm, model 256, 4 heads, feed-forward 1024, vocabulary 96,
// random weights from a seed), batch 1, greedy: a prompt of P tokens, then N new tokens.
//   ours cached:    generate() (prefill the prompt, then one decoder.next per token over the key/value caches),
//                   at 1 and 2 threads (setNumThreads in this process)
//   ours recompute: net.predict on the whole prefix for every new token (no cache)
//   pytorch:        the same model in bench/python/decode_tokens.py with its own key/value cache, 1 and 2 threads
// tokens/s = N / (time of prefill + N steps). The three of ours run interleaved per repeat, the cached ones each
// after an untimed one (see below) and CACHED_REPEATS times as often; figures are medians.
import { fileURLToPath } from "node:url";
import {
  additionLayer, embeddingLayer, fullyConnectedLayer, generate, geluLayer, layerNormalizationLayer, netGraph, positionEmbeddingLayer,
  selfAttentionLayer, setNumThreads, Tensor,
} from "../../dist/node/index.js";
import { median } from "../measure.mjs";
import { firstLine, round } from "../runKernels.mjs";
import { runPythonJson, torchAvailable } from "./python.mjs";

export const DECODER = { blocks: 4, modelSize: 256, heads: 4, ffn: 1024, vocabulary: 96 };
const TORCH_SCRIPT = fileURLToPath(new URL("../python/decode_tokens.py", import.meta.url));

/** The GPT: x₀ = embedding(ids) + positions; per block h = x + attention(norm(x)), x' = h + fc(gelu(fc(norm(h)))); logits = fc(norm(x)). */
export function decoderNet(context, { blocks, modelSize: c, heads, ffn, vocabulary } = DECODER) {
  const nodes = { tokens: embeddingLayer(c, vocabulary), positions: positionEmbeddingLayer(c, context), embedded: additionLayer(2) };
  const edges = [["input", "tokens"], ["tokens", "positions"], ["tokens", "embedded/in1"], ["positions", "embedded/in2"]];
  let x = "embedded";
  for (let b = 1; b <= blocks; b++) {
    const n = (name) => `b${b}_${name}`;
    Object.assign(nodes, {
      [n("norm1")]: layerNormalizationLayer(), [n("attention")]: selfAttentionLayer(heads, c, { attentionMask: "causal" }), [n("res1")]: additionLayer(2),
      [n("norm2")]: layerNormalizationLayer(), [n("fc1")]: fullyConnectedLayer(ffn), [n("gelu")]: geluLayer(), [n("fc2")]: fullyConnectedLayer(c), [n("res2")]: additionLayer(2),
    });
    edges.push([x, n("norm1")], [n("norm1"), n("attention")], [x, `${n("res1")}/in1`], [n("attention"), `${n("res1")}/in2`], [n("res1"), n("norm2")],
      [n("norm2"), n("fc1")], [n("fc1"), n("gelu")], [n("gelu"), n("fc2")], [n("res1"), `${n("res2")}/in1`], [n("fc2"), `${n("res2")}/in2`]);
    x = n("res2");
  }
  Object.assign(nodes, { norm: layerNormalizationLayer(), logits: fullyConnectedLayer(vocabulary) });
  edges.push([x, "norm"], ["norm", "logits"]);
  return netGraph({ nodes, edges }).initialize({ seed: 1, inputSize: 1 });
}

/** Greedy decoding without a cache: the whole prefix through net.predict for every new token. */
export function recomputeTokens(net, prompt, newTokens) {
  const ids = prompt.slice(), V = DECODER.vocabulary;
  for (let n = 0; n < newTokens; n++) {
    const logits = net.predict(new Tensor(Float32Array.from(ids), [1, ids.length, 1])).data;
    const last = logits.subarray((ids.length - 1) * V, ids.length * V);
    let best = 0;
    for (let i = 1; i < V; i++) if (last[i] > last[best]) best = i;
    ids.push(best);
  }
  return ids.slice(prompt.length);
}

/** The cached runs (a quarter of a second each) repeat this many times as often as the recomputing one (15 s): their medians steady. */
const CACHED_REPEATS = 3;

const promptOf = (length) => Array.from({ length }, (_, i) => (i * 37 + 11) % DECODER.vocabulary);

export async function benchDecoding({ prompt: P, newTokens: N, repeats, log }) {
  const workload = { suite: "decoding", ...DECODER, prompt: P, newTokens: N, batch: 1 };
  const net = decoderNet(P + N), prompt = promptOf(P);
  const cached = () => generate(net, prompt, { maxNewTokens: N, temperature: 0 });
  const runs = {
    "ours 1t": { threads: 1, run: cached },
    "ours 2t": { threads: 2, run: cached },
    "ours recompute": { threads: 1, run: () => recomputeTokens(net, prompt, N) },
  };
  const tokens = Object.values(runs).map(({ threads, run }) => { setNumThreads(threads); return run().join(","); }); // warm-up, and the check that all three agree
  if (new Set(tokens).size !== 1) throw new Error("bench decoding: cached and recomputed greedy tokens differ");
  const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let r = 0; r < CACHED_REPEATS * repeats; r++) {
    for (const [name, { threads, run }] of Object.entries(runs)) {
      if (name === "ours recompute" && r >= repeats) continue;
      // going from 2 threads to 1 stops the worker and drops the kernels' memory (setNumThreads), and back starts
      // them again (a new memory to fault in, the weights copied in again): an untimed decode first, whatever ran
      // before, so the timed one measures decoding, not the switch
      setNumThreads(threads);
      if (name !== "ours recompute") run();
      const t0 = performance.now();
      run();
      times[name].push((performance.now() - t0) / 1000);
    }
  }
  setNumThreads(1);
  const rows = [
    { engine: "ours", threads: 1, cache: true, key: "ours 1t" }, { engine: "ours", threads: 2, cache: true, key: "ours 2t" },
    { engine: "ours", threads: 1, cache: false, key: "ours recompute" },
  ].map(({ key, ...r }) => ({ ...workload, ...r, status: "ok", tokensPerSecond: round(N / median(times[key]), 1), runs: times[key].length }));
  for (const r of rows) log(`  decoding ${r.engine} ${r.cache ? "cached" : "recompute"} ${r.threads}t  ${r.tokensPerSecond} tokens/s`);
  for (const threads of [1, 2]) {
    try {
      const version = torchAvailable();
      const [t] = runPythonJson(TORCH_SCRIPT, ["--prompt", String(P), "--new-tokens", String(N), "--repeats", String(repeats), "--threads", String(threads)]);
      rows.push({ ...workload, engine: "pytorch", version, threads, cache: true, status: "ok", tokensPerSecond: round(t.tokens_per_second, 1), runs: t.runs });
      log(`  decoding pytorch cached ${threads}t  ${t.tokens_per_second.toFixed(1)} tokens/s`);
    } catch (err) {
      rows.push({ ...workload, engine: "pytorch", threads, cache: true, status: "unavailable", reason: firstLine(err.stderr || err) });
    }
  }
  return rows;
}
