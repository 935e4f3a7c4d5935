// The centering leak through a public layer: attentionLayer("Dot", { mask: "causal" }), 4 queries and 4 keys.
// Key 3 is masked for queries 0-2 ("never reaches that query's output or its gradient", docs/api.md), so
// changing key 3 must not change dQuery of rows 0-2.
import { attentionLayer, setDefaultAttentionKernel, valueAndGrad, ops, tensor } from "../../dist/index.js";
for (const impl of ["wasm", "reference"]) {
  setDefaultAttentionKernel(impl);
  const layer = attentionLayer("Dot", { mask: "causal" });
  const dq = (hidden) => {
    const query = tensor([[0.3, -0.2], [0.1, 0.4], [0.2, 0.1], [0, 0]]);
    const key = tensor([[0.5, 0.1], [-0.3, 0.2], [0.2, 0.2], [hidden, hidden]]);
    const value = tensor([[1, 0], [0, 1], [1, 1], [0, 0]]);
    return Array.from(valueAndGrad(() => ops.sum(ops.square(layer.apply({ key, value, query }))), [query]).grads[0].data.subarray(0, 6)).map((x) => x.toPrecision(6));
  };
  console.log(impl.padEnd(9), "hidden key 0:", dq(0).join(" "), "| hidden key 1e9:", dq(1e9).join(" "));
}
