// TensorFlow.js on its WASM backend (XNNPACK): attention forward as matMul, mul, softmax, matMul (causal by
// adding a constant −∞ mask above the diagonal), GEMM as tf.matMul. In Node the backend runs on one thread.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { randomData } from "../measure.mjs";
import { packageVersion } from "../versions.mjs";

let tfPromise;

/** tfjs-core with the WASM backend loaded from node_modules (shared with the encoder training bench). */
export function loadTf() {
  tfPromise ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    await registerGradients();
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + "/");
    if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend(\"wasm\") failed");
    await tf.ready();
    return tf;
  })();
  return tfPromise;
}

/** softmax(q kᵀ/√d + mask) v for q, k, v [BH, T, d]; the causal mask (−∞ above the diagonal) is made once. */
export function tfAttention(tf, t, d, causal) {
  const mask = causal
    ? tf.tidy(() => tf.where(tf.linalg.bandPart(tf.ones([t, t]), -1, 0).cast("bool"), tf.zeros([t, t]), tf.fill([t, t], -Infinity)))
    : undefined;
  return (q, k, v) => {
    let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d));
    if (mask) scores = tf.add(scores, mask);
    return tf.matMul(tf.softmax(scores), v);
  };
}

/**
 * tfjs-core ships its gradient functions only as unbundled ESM with extensionless imports (the @tensorflow/tfjs
 * umbrella package registers them; it is not installed). esbuild bundles tfjs-core's own
 * register_all_gradients into a temporary module; the registrations land in tfjs's global registry.
 */
async function registerGradients() {
  const esbuild = await import("esbuild");
  const require = createRequire(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), "bench-tfjs-"));
  const outfile = join(dir, "gradients.mjs");
  try {
    await esbuild.build({ entryPoints: [require.resolve("@tensorflow/tfjs-core/dist/register_all_gradients.js")], bundle: true, format: "esm", platform: "node", outfile, logLevel: "error" });
    await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true }); // loaded: the module is no longer needed on disk
  }
}

export async function load({ threads }) {
  if (threads > 1) throw new Error("one thread only in Node");
  const tf = await loadTf();
  const version = packageVersion("@tensorflow/tfjs-backend-wasm");
  const tensor = (n, seed, shape) => tf.tensor(randomData(n, seed), shape);
  const read = (f) => () => {
    const out = tf.tidy(f);
    out.dataSync();
    out.dispose();
  };
  return {
    name: "tfjs", label: `TF.js ${version} (WASM)`, version,
    attention({ bh, t, tq = t, d, causal, pass }) {
      if (tq !== t) throw new Error("decode shapes (Tq ≠ Tk) are not run on TF.js here");
      if (pass !== "forward") throw new Error("forward only here");
      const shape = [bh, t, d], n = bh * t * d;
      const q = tensor(n, 1, shape), k = tensor(n, 2, shape), v = tensor(n, 3, shape);
      const attend = tfAttention(tf, t, d, causal);
      return read(() => attend(q, k, v));
    },
    gemm(n) {
      const a = tensor(n * n, 5, [n, n]), b = tensor(n * n, 6, [n, n]);
      return read(() => tf.matMul(a, b));
    },
  };
}
