// The written forms of a bench run: docs/benchmarks.md (method, every table, the charts) and the README's short
// headline table between its bench:headline markers. Both come from results.json alone, so no figure in the docs
// is copied by hand: `node bench/main.mjs --from docs/bench/results.json` writes them again.
import { describe } from "../workloads.mjs";
import { decodingTable, kernelTable, memoryText, notesText, seconds, trainingTable } from "./tables.mjs";

const START = "<!-- bench:headline (written by npm run bench from docs/bench/results.json; do not edit by hand) -->";
const END = "<!-- /bench:headline -->";

const when = (r) => `${r.date.slice(0, 16).replace("T", " ")} UTC`;
const find = (rows, label, engine, threads) => rows.find((k) => describe(k) === label && k.engine === engine && k.threads === threads && k.status === "ok");

/** The README's headline rows: a few workloads, ours in GFLOP/s and ours ÷ each peer. */
export function headlineTable(results) {
  // onnxruntime-node is native code, not JavaScript: shown so the gap to native is in view, not only the JS peers
  const peers = [["ort-web", "onnxruntime-web"], ["jax", "jax-js"], ["tfjs", "TF.js"], ["ort-node", "onnxruntime-node (native)"]];
  const rows = [["attention forward T=1024", "fwd T=1024", 1], ["attention forward T=1024, 2 threads", "fwd T=1024", 2],
    ["attention forward+backward T=1024", "fwd+bwd T=1024", 1], ["GEMM 1024³", "gemm 1024³", 1]];
  const lines = [`| workload (1 thread unless said) | ours | ${peers.map(([, name]) => `ours ÷ ${name}`).join(" | ")} |`, `|---|---|${peers.map(() => "---|").join("")}`];
  for (const [title, label, threads] of rows) {
    const ours = find(results.kernels, label, "ours", threads);
    if (!ours) continue;
    const ratio = (engine) => {
      const peer = find(results.kernels, label, engine, threads);
      return peer ? `${(ours.gflops / peer.gflops).toFixed(2)}×` : "–";
    };
    lines.push(`| ${title} | ${ours.gflops.toFixed(2)} GFLOP/s | ${peers.map(([engine]) => ratio(engine)).join(" | ")} |`);
  }
  const vowels = results.training.filter((r) => r.task === "japanese-vowels" && r.status === "ok");
  const ours = vowels.find((r) => r.engine === "ours"), torch = vowels.find((r) => r.engine === "pytorch");
  const training = ours && torch
    ? `\nTraining the main job's network, ${ours.epochs} epochs: ${seconds(ours).toFixed(2)} s, ${(seconds(ours) / seconds(torch)).toFixed(2)}× PyTorch's time (\`${results.command}\`, ${when(results)}, Node ${results.node}).`
    : `\n(\`${results.command}\`, ${when(results)}, Node ${results.node}.)`;
  return `${START}\n${lines.join("\n")}\n${training}\n${END}`;
}

/** README text with its headline region replaced (unchanged when the markers are missing). */
export function withHeadline(readme, results) {
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) return readme;
  return readme.slice(0, a) + headlineTable(results) + readme.slice(b + END.length);
}

const METHOD = `## What runs

- **Attention** forward and forward+backward, B·H = 8, D = 64, T = 128, 512, 1024, 4096, causal and not, in
  GFLOP/s = 4·B·H·T²·D / time (halved for causal; forward+backward counted as 3.5× forward). Ours is
  \`dotProductAttention(q, k, v, { causal })\` on the default \`"wasm"\` kernel; forward+backward is \`valueAndGrad\`
  of Σ output ∘ r for a random r.
- **Decoding**: attention forward of one query over Tk = 1024 and 4096 cached keys (rows "decode Tq=1 Tk=…"),
  B·H = 8, D = 64, \`causal: "bottomRight"\` (the query is the last position, so it sees every key), in
  GFLOP/s = 4·B·H·Tq·Tk·D / time: the \`"wasm"\` kernel's split-K path. onnxruntime runs the plain graph with
  q of length 1 (bottom-right causal at Tq = 1 masks nothing); jax-js and TF.js do not run these rows.
- **GEMM** n×n·n×n, n = 256, 512, 1024 (2n³ flops), ours through \`ops.matmul\`.
- **Peers**, loaded from devDependencies; one that fails to load is reported as unavailable with the reason:
  onnxruntime-web (WASM) and onnxruntime-node (native) run the plain-attention and matmul ONNX graphs of
  [bench/onnx](../bench/onnx) (made by [make_graphs.py](../bench/onnx/make_graphs.py) with \`torch.onnx.export\`,
  opset 17, dynamic T), inference only; jax-js on its WASM backend runs \`nn.dotProductAttention\` under \`jit\` and
  \`jit(grad)\`; TF.js's WASM backend runs matMul, mul, softmax, matMul (forward only) and \`tf.matMul\`.
- **Threads**: attention and GEMM at 1 thread and at 2 threads (in a child process, as onnxruntime-web fixes its
  thread count per process; \`--threads\` picks the counts), where the table also gives ours ÷ ours at 1 thread.
  In Node, jax-js and TF.js's WASM backend run on one thread only. Training runs everything on one thread but the
  character GPT step, measured at each thread count (ours and PyTorch alike); decoding runs at 1 and 2 threads.
- **Long sequences**: causal forward+backward at T = 16384, one head, D = 64, in a child process: its time and how
  far the peak RSS rises above the same process after a T = 16 run.
- **Training**: the main job's network on Japanese Vowels through \`trainNet\` (60 epochs, mini-batch 27, Adam with
  the main job's L2 and learn-rate drop, no per-epoch evaluation) against the PyTorch replica in
  [tools/pytorch-baseline](../tools/pytorch-baseline) when \`/usr/bin/python3\` has torch; and one training step
  (forward, backward, Adam) of a 2-block pre-norm transformer encoder (model size 128, 4 heads, feed-forward 512,
  T = 256, batch 8, mse) against the same encoder in PyTorch ([bench/python/encoder_step.py](../bench/python/encoder_step.py))
  and in tfjs-core ops on the WASM backend; and one training step of the 2-block causal character GPT
  (token + position embedding, vocabulary 96, model size 128, 4 heads, feed-forward 512, exact GELU, final layer
  norm, linear logits, crossentropy on the logits, Adam; batch 16, context 128) against the same net in PyTorch
  ([bench/python/gpt_step.py](../bench/python/gpt_step.py), \`torch.set_num_threads\` 1 and 2), ours and PyTorch each
  in a process of their own per thread count (a median of 7 steps after a warm-up one), where ours at 2 threads also
  gives its time ÷ ours at 1 thread. A results file without a row shows it as not measured.
- **Sequence to sequence** (\`--only seq2seq\`; rows in the training table): the model of
  [examples/seq2seq](../examples/seq2seq) ([docs/seq2seq.md](seq2seq.md): bidirectional GRU encoder, additive
  attention, conditional-GRU decoder, 121k parameters) against its exact mirror in PyTorch
  ([bench/python/seq2seq_step.py](../bench/python/seq2seq_step.py)) on the same generated dates: one training step
  of batch 64 (forward, backward, global-norm clipping, Adam; ours through \`trainNet\`), and greedy decoding of
  1,000 inputs in batches of 100 (the encoder once per batch, then one step per output character: ours through
  \`net.startDecoding({ inputs })\` and \`next\`, PyTorch through its GRUs with their states), each engine measured
  3 times alternating, the median of the three medians.
- **Decoding** ([bench/training/decoding.mjs](../bench/training/decoding.mjs)): a 4-block pre-norm character GPT
  (model size 256, 4 heads, feed-forward 1024, vocabulary 96, random weights from a seed), batch 1, greedy, a
  prompt of 64 tokens then 256 new ones, in tokens/s = new tokens / time of the whole call: ours through
  \`generate\` (key/value caches) at 1 and 2 threads, ours recomputing (\`net.predict\` on the whole prefix per
  token), interleaved per repeat in one process (they must give the same tokens); and the same model in PyTorch with
  its own key/value cache ([bench/python/decode_tokens.py](../bench/python/decode_tokens.py)), 1 and 2 threads.
- Every figure is a median of repeats (a warm-up of at least one run and 0.5 s, as WebAssembly engines optimize hot
  code only after many calls, in each thread; then at least 5 runs or 1 s; 3 runs where the first warm-up run took
  over 1 s, and 3 repeats of each training run). A size whose previous size predicts more than 15 s per run is
  skipped and says so (\`--max-run-seconds\`).
`;

/** docs/benchmarks.md: how to run, what runs, and every table of this run. */
export function benchmarksDoc(results) {
  const notes = notesText(results), memoryLine = memoryText(results.memory);
  const tables = [...new Set(results.kernels.map((r) => r.threads))].map((t) => kernelTable(results.kernels, t)).filter(Boolean);
  const training = trainingTable(results.training), decoding = decodingTable(results.decoding);
  const versions = Object.entries(results.versions ?? {}).map(([p, v]) => `${p} ${v}`).join(", ");
  return `# Benchmarks

This file is written by \`npm run bench\` from [bench/results.json](bench/results.json); do not edit it by hand.
\`node bench/main.mjs --from docs/bench/results.json\` writes it (and the README's headline table) again.

\`\`\`sh
npm run bench                      # everything below (several minutes); writes docs/bench/results.json, the charts and this file
npm run bench -- --quick           # small sizes, a smoke run (under a minute); writes nothing unless --out DIR
npm run bench -- --only attention  # or gemm, memory, training, seq2seq, decoding (comma-separated); --help for the other options
\`\`\`

Only ratios taken within one run mean anything: the machine is shared and noisy.

${METHOD}
## The last run

\`${results.command}\`, ${when(results)}, ${results.machine.cores} × ${results.machine.cpu}, ${results.machine.memoryGB} GB,
Node ${results.node}, our attention kernel \`${results.ours?.attentionImplementation ?? "?"}\`, load average at the start
${(results.machine.load ?? []).join(" ")}. Peers: ${versions}.
In brackets, our GFLOP/s ÷ the peer's (> 1: ours is faster); in the training table, our time ÷ the peer's (< 1: ours
is faster).

![attention GFLOP/s per engine](bench/attention.svg)

\`\`\`text
${[...tables, notes, memoryLine, training, decoding].filter(Boolean).join("\n\n")}
\`\`\`

Charts: [attention](bench/attention.svg), [GEMM](bench/gemm.svg), [training](bench/training.svg).
`;
}
