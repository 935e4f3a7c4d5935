// The benchmark's own parts: the ONNX graphs the onnxruntime peers run compute the attention we measure
// ourselves against, and the report takes its ratios from the right figures. (Speed itself is measured
// only by `npm run bench`, never here.)
import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { dotProductAttention, ops, Tensor } from "../../src/index.js";
import { decodingTable, kernelTable, trainingTable } from "../../bench/report/tables.mjs";
import { barChartSvg } from "../../bench/report/barChart.mjs";
import { parseOptions } from "../../bench/options.mjs";
import { decodeWorkloads, describe as describeWorkload, flops } from "../../bench/workloads.mjs";
import { randomData } from "../../bench/measure.mjs";
import { loadTf, tfAttention } from "../../bench/engines/tfjs.mjs";
import { jaxAttention } from "../../bench/engines/jax.mjs";

const graph = (file: string) => new URL(`../../bench/onnx/${file}`, import.meta.url).pathname;

async function runGraph(file: string, feeds: Record<string, [Float32Array, number[]]>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(graph(file), { intraOpNumThreads: 1 });
  const inputs = Object.fromEntries(Object.entries(feeds).map(([name, [data, dims]]) => [name, new ort.Tensor("float32", data, dims)]));
  const out = await session.run(inputs);
  return out[session.outputNames[0]].data as Float32Array;
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(tolerance);
}

describe("bench: the ONNX graphs of the onnxruntime peers", () => {
  for (const causal of [false, true]) {
    for (const t of [1, 7, 33]) {
      it(`attention${causal ? "_causal" : ""}.onnx equals dotProductAttention at T = ${t} (one file, any T)`, async () => {
        const bh = 3, d = 64, n = bh * t * d;
        const [q, k, v] = [1, 2, 3].map((seed) => randomData(n, seed).map((x) => 4 * x));
        const got = await runGraph(causal ? "attention_causal.onnx" : "attention.onnx", { q: [q, [bh, t, d]], k: [k, [bh, t, d]], v: [v, [bh, t, d]] });
        const ours = dotProductAttention(new Tensor(q, [1, bh, t, d]), new Tensor(k, [1, bh, t, d]), new Tensor(v, [1, bh, t, d]), { causal, implementation: "reference" });
        expectClose(got, ours.data, 1e-5);
      });
    }
  }

  it("attention.onnx with one query over 1000 keys equals dotProductAttention with causal bottomRight (the decode rows)", async () => {
    const bh = 3, d = 64, tk = 1000;
    const [q, k, v] = [[1, 1], [2, tk], [3, tk]].map(([seed, t]) => randomData(bh * t * d, seed).map((x) => 4 * x));
    const got = await runGraph("attention.onnx", { q: [q, [bh, 1, d]], k: [k, [bh, tk, d]], v: [v, [bh, tk, d]] });
    const ours = dotProductAttention(new Tensor(q, [1, bh, 1, d]), new Tensor(k, [1, bh, tk, d]), new Tensor(v, [1, bh, tk, d]), { causal: "bottomRight", implementation: "wasm" });
    expectClose(got, ours.data, 1e-5);
  });

  it("matmul.onnx equals ops.matmul for a non-square product", async () => {
    const a = randomData(5 * 3, 7), b = randomData(3 * 4, 8);
    const got = await runGraph("matmul.onnx", { a: [a, [5, 3]], b: [b, [3, 4]] });
    expectClose(got, ops.matmul(new Tensor(a, [5, 3]), new Tensor(b, [3, 4])).data, 1e-6);
  });
});

describe("bench: the jax-js and TF.js peers compute our attention", () => {
  const bh = 3, t = 9, d = 64, n = bh * t * d;
  const [q, k, v] = [1, 2, 3].map((seed) => randomData(n, seed).map((x) => 4 * x));
  const ours = (causal: boolean) =>
    dotProductAttention(new Tensor(q, [1, bh, t, d]), new Tensor(k, [1, bh, t, d]), new Tensor(v, [1, bh, t, d]), { causal, implementation: "reference" }).data;

  for (const causal of [false, true]) {
    it(`TF.js (WASM) matMul/softmax attention, causal ${causal}`, async () => {
      const tf = await loadTf();
      const attend = tfAttention(tf, t, d, causal);
      const out = attend(tf.tensor(q, [bh, t, d]), tf.tensor(k, [bh, t, d]), tf.tensor(v, [bh, t, d])).dataSync() as Float32Array;
      expectClose(out, ours(causal), 1e-5);
    });

    it(`jax-js (WASM) nn.dotProductAttention, causal ${causal}`, async () => {
      await import("../../bench/polyfills.mjs");
      const jax = await import("@jax-js/jax");
      await jax.init("wasm");
      const heads = (a: Float32Array) => jax.numpy.array(a).reshape([1, bh, t, d]).transpose([0, 2, 1, 3]); // jax-js: [B, T, heads, D]
      const out = await jaxAttention(jax.nn, causal)(heads(q), heads(k), heads(v)).transpose([0, 2, 1, 3]).data();
      expectClose(out as Float32Array, ours(causal), 1e-5);
    });
  }
});

describe("bench: figures and report", () => {
  it("counts attention flops as 4·B·H·T²·D, halved when causal, ×3.5 with the backward pass; GEMM as 2n³", () => {
    const w = { suite: "attention", pass: "forward", causal: false, t: 1024, bh: 8, d: 64 };
    // worked by hand: 4·8·1024²·64 = 2³⁵ / 16 = 2 147 483 648 (two 8·1024²·64-MAC products, 2 flops each)
    expect(flops(w)).toBe(2_147_483_648);
    expect(flops({ ...w, causal: true })).toBe(1_073_741_824);
    expect(flops({ ...w, pass: "forward+backward" })).toBe(7_516_192_768);
    expect(flops({ suite: "gemm", n: 512 })).toBe(268_435_456);
    // decode: 4·8·1·4096·64 = 2²³ = 8 388 608, not halved by the bottom-right mask (the one query sees every key)
    const [decode] = decodeWorkloads([4096]);
    expect(flops(decode)).toBe(8_388_608);
    expect(describeWorkload(decode)).toBe("decode Tq=1 Tk=4096");
  });

  it("tables divide ours by each peer within a thread count, and skip the ratio when a figure is missing", () => {
    const base = { suite: "attention", pass: "forward", causal: false, t: 512, bh: 8, d: 64, threads: 1 };
    const rows = [
      { ...base, engine: "ours", status: "ok", gflops: 30 },
      { ...base, engine: "ort-web", status: "ok", gflops: 20 },
      { ...base, engine: "tfjs", status: "skipped", reason: "cap" },
      { ...base, threads: 2, engine: "ort-web", status: "ok", gflops: 40 },
    ];
    const table = kernelTable(rows, 1);
    expect(table).toMatch(/fwd T=512\s+30\.00\s+20\.00 \(1\.50×\)\s+skipped/);
    expect(kernelTable(rows, 2)).not.toMatch(/×/);
    const ours2 = { ...base, threads: 2, engine: "ours", status: "ok", gflops: 45 };
    expect(kernelTable([...rows, ours2], 2)).toMatch(/fwd T=512\s+45\.00\s+40\.00 \(1\.13×\)\s+\(1\.50×\)/);
    const training = trainingTable([
      { task: "encoder-step", t: 256, engine: "ours", status: "ok", medianMs: 300 },
      { task: "encoder-step", t: 256, engine: "pytorch", status: "ok", medianMs: 600 },
    ]);
    expect(training).toMatch(/pytorch\s+600\.0 ms\s+0\.50/);
    // a task a full run measures but this run lacks is listed as not measured, never given a figure
    expect(training).toMatch(/seq2seq-step\s+not measured in this run/);
    const seq2seq = trainingTable([
      { task: "seq2seq-greedy", inputs: 1000, engine: "ours", status: "ok", medianMs: 900 },
      { task: "seq2seq-greedy", inputs: 1000, engine: "pytorch", status: "ok", medianMs: 600 },
    ]);
    expect(seq2seq).toMatch(/seq2seq greedy 1000 inputs\s+pytorch\s+600\.0 ms\s+1\.50/);
    expect(seq2seq).toMatch(/encoder-step\s+not measured in this run/);
    expect(training).toMatch(/gpt-step 1 thread\s+not measured in this run/); // a file from before the GPT row
    const gpt = (threads: number, engine: string, medianMs: number) => ({ task: "gpt-step", threads, engine, status: "ok", medianMs });
    const threaded = trainingTable([gpt(1, "ours", 400), gpt(1, "pytorch", 800), gpt(2, "ours", 250), gpt(2, "pytorch", 1000)]);
    expect(threaded).toMatch(/gpt step 2 threads\s+ours\s+250\.0 ms\s+0\.63 of 1 thread/);
    expect(threaded).toMatch(/gpt step 2 threads\s+pytorch\s+1000\.0 ms\s+0\.25/);
    expect(threaded).not.toMatch(/gpt-step \d threads?\s+not measured/);
  });

  it("the decoding table divides our cached tokens/s by recomputation, PyTorch at the same threads and our 1 thread; an old results.json says not measured", () => {
    const w = { suite: "decoding", blocks: 4, modelSize: 256, heads: 4, vocabulary: 96, prompt: 64, newTokens: 256, status: "ok" };
    const table = decodingTable([
      { ...w, engine: "ours", threads: 1, cache: true, tokensPerSecond: 400 }, { ...w, engine: "ours", threads: 2, cache: true, tokensPerSecond: 600 },
      { ...w, engine: "ours", threads: 1, cache: false, tokensPerSecond: 50 }, { ...w, engine: "pytorch", threads: 1, cache: true, tokensPerSecond: 200 },
      { ...w, engine: "pytorch", threads: 2, cache: true, status: "unavailable", reason: "no torch" },
    ]);
    expect(table).toMatch(/ours, 1 thread\s+400\.0\s+8\.00×\s+2\.00×/);
    expect(table).toMatch(/ours, 2 threads\s+600\.0\s+12\.00×\s+1\.50×/); // no PyTorch figure at 2 threads: no ratio
    expect(table).toMatch(/pytorch, 2 threads\s+unavailable: no torch/);
    expect(decodingTable(undefined)).toBe("decoding: not measured in this run");
  });

  it("the bar chart draws one bar per figure, a note per skipped one, and nothing for the rest", () => {
    const groups = [{ label: "a", values: { ours: 1, peer: 2 } }, { label: "b", values: { ours: 3, peer: null } }, { label: "c", values: { ours: 4 } }];
    const svg = barChartSvg({ title: "t", unit: "GFLOP/s", series: ["ours", "peer", "other"], groups });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect[^>]*height="11"/g)?.length).toBe(4);
    expect(svg.match(/peer: skipped/g)?.length).toBe(1);
  });

  it("options: --quick, --only and --engines lists are checked", () => {
    expect(parseOptions(["--quick", "--only", "attention,gemm"])).toMatchObject({ quick: true, only: ["attention", "gemm"] });
    expect(parseOptions(["--only", "seq2seq"])).toMatchObject({ only: ["seq2seq"] });
    expect(() => parseOptions(["--only", "attn"])).toThrow(/--only attn is unknown/);
    expect(() => parseOptions(["--threads", "0"])).toThrow(/--threads must be a positive number/);
    expect(() => parseOptions(["--fast"])).toThrow(/unknown option --fast/);
  });
});
