// jax-js on its WASM backend: nn.dotProductAttention under jit (forward) and jit(grad) (forward+backward),
// np.matmul under jit. In Node it runs on one thread (its worker pool needs the web Worker global).
// jax-js arrays are reference counted: every call consumes its arguments, hence the `.ref`s, and
// `data()` reads the result and frees it.
import "../polyfills.mjs";
import { randomData } from "../measure.mjs";
import { packageVersion } from "../versions.mjs";

/** jax-js's fused-by-jit attention on [B, T, heads, D] arrays, causal top-left like ours. */
export const jaxAttention = (nn, causal) => (q, k, v) => nn.dotProductAttention(q, k, v, { isCausal: causal });

/**
 * jax-js decides per compiled kernel whether to use shared memory from `typeof Worker`, and onnxruntime-web
 * defines a global Worker in Node once its first session exists; the memory jax-js made at init (unshared)
 * then no longer fits its new kernels. Runs `f` with the global hidden, as it was when jax-js started.
 */
function withoutWorkerGlobal(f) {
  return async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, "Worker");
    if (saved) delete globalThis.Worker;
    try {
      return await f();
    } finally {
      if (saved) Object.defineProperty(globalThis, "Worker", saved);
    }
  };
}

export async function load({ threads }) {
  if (threads > 1) throw new Error("one thread only in Node (no web Worker global)");
  const jax = await import("@jax-js/jax");
  const devices = await withoutWorkerGlobal(() => jax.init("wasm"))();
  if (!devices.includes("wasm")) throw new Error(`no wasm device (got ${devices.join(", ")})`);
  jax.defaultDevice("wasm");
  const { numpy: np, nn, jit, grad } = jax;
  const version = packageVersion("@jax-js/jax");
  const array = (n, seed, shape) => np.array(randomData(n, seed)).reshape(shape);
  const readAll = async (xs) => { for (const x of xs) await x.data(); };
  return {
    name: "jax", label: `jax-js ${version} (WASM, jit)`, version,
    attention({ bh, t, tq = t, d, causal, pass }) {
      if (tq !== t) throw new Error("decode shapes (Tq ≠ Tk) are not run on jax-js here");
      const shape = [1, t, bh, d]; // jax-js layout [B, L, N, H]
      const n = bh * t * d;
      const q = array(n, 1, shape), k = array(n, 2, shape), v = array(n, 3, shape);
      const attend = jaxAttention(nn, causal);
      if (pass === "forward") {
        const f = jit(attend);
        return withoutWorkerGlobal(() => f(q.ref, k.ref, v.ref).data());
      }
      const r = array(n, 4, shape);
      const g = jit(grad((q, k, v, r) => attend(q, k, v).mul(r).sum(), { argnums: [0, 1, 2] }));
      return withoutWorkerGlobal(() => readAll(g(q.ref, k.ref, v.ref, r.ref)));
    },
    gemm(n) {
      const a = array(n * n, 5, [n, n]), b = array(n * n, 6, [n, n]);
      const f = jit((a, b) => np.matmul(a, b));
      return withoutWorkerGlobal(() => f(a.ref, b.ref).data());
    },
  };
}
