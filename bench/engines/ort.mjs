// onnxruntime (web: WASM; node: native) running the plain-attention and matmul graphs of bench/onnx/
// (made by make_graphs.py). Inference only: no backward pass.
import { fileURLToPath } from "node:url";
import { randomData } from "../measure.mjs";

const graph = (file) => fileURLToPath(new URL(`../onnx/${file}`, import.meta.url));

function engine(name, label, ort, sessionOptions) {
  const sessions = new Map();
  const session = async (file) => {
    if (!sessions.has(file)) sessions.set(file, await ort.InferenceSession.create(graph(file), sessionOptions));
    return sessions.get(file);
  };
  const input = (n, seed, dims) => new ort.Tensor("float32", randomData(n, seed), dims);
  return {
    name, label,
    async attention({ bh, t, tq = t, d, causal, pass }) {
      if (pass !== "forward") throw new Error("inference only");
      if (d !== 64) throw new Error("the graphs are made for D = 64");
      // Tq < Tk (decoding): one query at the last position sees every key, so bottom-right causal is no mask;
      // the causal graph's mask is top-left, so more queries than one have no graph here
      if (tq !== t && !(tq === 1 && causal === "bottomRight")) throw new Error("decode shapes: only Tq = 1 (bottom-right causal = no mask)");
      const s = await session(causal === true ? "attention_causal.onnx" : "attention.onnx");
      const dims = [bh, t, d], n = bh * t * d;
      const feeds = { q: input(bh * tq * d, 1, [bh, tq, d]), k: input(n, 2, dims), v: input(n, 3, dims) };
      return () => s.run(feeds);
    },
    async gemm(n) {
      const s = await session("matmul.onnx");
      const feeds = { a: input(n * n, 5, [n, n]), b: input(n * n, 6, [n, n]) };
      return () => s.run(feeds);
    },
  };
}

/** WASM build; its thread count is fixed per process at the first session (env.wasm.numThreads). */
export async function loadWeb({ threads }) {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = "error";
  const version = ort.env.versions?.web ?? "";
  return { ...engine("ort-web", `onnxruntime-web ${version} (WASM)`, ort, { executionProviders: ["wasm"] }), version };
}

export async function loadNode({ threads }) {
  const ort = await import("onnxruntime-node");
  const version = ort.env.versions?.node ?? "";
  const options = { executionProviders: ["cpu"], intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential" };
  return { ...engine("ort-node", `onnxruntime-node ${version} (native)`, ort, options), version };
}
