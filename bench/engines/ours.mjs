// attention-layers itself, from dist/ (npm run bench builds first), on its default "wasm" attention kernel.
import * as lib from "../../dist/node/index.js"; // the Node entry, as a Node user imports the package
import { randomData } from "../measure.mjs";

const { dotProductAttention, valueAndGrad, ops, Tensor, attentionKernel, setNumThreads } = lib;

/** Waits for the WebAssembly kernels (in Node they are ready at import; browsers need this). */
export const ready = () => lib.ready();

/** The attention kernel the bench measures: the library's default. */
export const attentionImplementation = () => attentionKernel().name;

export const useThreads = (threads) => setNumThreads(threads);

export async function load({ threads }) {
  await ready();
  useThreads(threads);
  const implementation = attentionImplementation();
  return {
    name: "ours",
    label: `attention-layers (${implementation})`,
    implementation,
    attention({ bh, t, tq = t, d, causal, pass }) {
      const make = (seed, rows = t) => new Tensor(randomData(bh * rows * d, seed), [1, bh, rows, d]);
      const q = make(1, tq), k = make(2), v = make(3);
      const attend = () => dotProductAttention(q, k, v, { causal, implementation });
      if (pass === "forward") return attend;
      const r = make(4, tq); // loss = Σ output ∘ r, so the output gradient is a dense random tensor
      return () => valueAndGrad(() => ops.sum(ops.mul(attend(), r)), [q, k, v]);
    },
    gemm(n) {
      const a = new Tensor(randomData(n * n, 5), [n, n]), b = new Tensor(randomData(n * n, 6), [n, n]);
      return () => ops.matmul(a, b);
    },
  };
}
