// attention-layers itself, from dist/ (npm run bench builds first). Attention runs the "wasm" kernel when
// one is registered, else the reference kernel; threads are set with setNumThreads when the library has it.
import * as lib from "../../dist/node/index.js"; // the Node entry, as a Node user imports the package
import { randomData } from "../measure.mjs";

const { dotProductAttention, valueAndGrad, ops, Tensor, attentionKernel } = lib;

/** Waits for the WebAssembly kernels where the library needs that (in Node they are ready at import). */
export async function ready() {
  if (typeof lib.ready === "function") await lib.ready();
}

/** "wasm" when registered (attentionKernel throws for an unknown name), else "reference". */
export function attentionImplementation() {
  try {
    attentionKernel("wasm");
    return "wasm";
  } catch {
    return "reference";
  }
}

export const hasThreads = typeof lib.setNumThreads === "function";

/** Sets the library's thread count (throws above 1 while the library has no setNumThreads). */
export function useThreads(threads) {
  if (threads > 1 && !hasThreads) throw new Error("setNumThreads is not exported yet");
  if (hasThreads) lib.setNumThreads(threads);
}

export async function load({ threads }) {
  await ready();
  useThreads(threads);
  const implementation = attentionImplementation();
  return {
    name: "ours",
    label: `attention-layers (${implementation})`,
    implementation,
    attention({ bh, t, d, causal, pass }) {
      const make = (seed) => new Tensor(randomData(bh * t * d, seed), [1, bh, t, d]);
      const q = make(1), k = make(2), v = make(3);
      const attend = () => dotProductAttention(q, k, v, { causal, implementation });
      if (pass === "forward") return attend;
      const r = make(4); // loss = Σ output ∘ r, so the output gradient is a dense random tensor
      return () => valueAndGrad(() => ops.sum(ops.mul(attend(), r)), [q, k, v]);
    },
    gemm(n) {
      const a = new Tensor(randomData(n * n, 5), [n, n]), b = new Tensor(randomData(n * n, 6), [n, n]);
      return () => ops.matmul(a, b);
    },
  };
}
