// additiveScores(K₁, Q₂, w): s[..., m, n] = Σ_j w_j·tanh(K₁[..., n, j] + Q₂[..., m, j]), the additive (Bahdanau)
// attention scores of every (key, query) pair in one autodiff node, without the pair tensor [..., M, N, a]
// (the math and its gradient in ../../kernels/additiveScores.ts).
import { additiveScoresBackward, additiveScoresForward } from "../../kernels/additiveScores.js";
import { record } from "../autodiff.js";
import { formatShape, sameShape, sizeOf } from "../shape.js";
import { asTensor, uncheckedTensor, type Tensor, type TensorLike } from "../tensor.js";
import { allocFloats } from "../../util/stepPool.js";

/** K₁ [..., N, a] (projected keys), Q₂ [..., M, a] (projected queries), w [a] or [1, a] → scores [..., M, N]. */
export function additiveScores(keys: TensorLike, queries: TensorLike, w: TensorLike): Tensor {
  const K1 = asTensor(keys, "ops.additiveScores"), Q2 = asTensor(queries, "ops.additiveScores"), v = asTensor(w, "ops.additiveScores");
  const lead = K1.shape.slice(0, -2), [N, a] = K1.shape.slice(-2), M = Q2.shape[Q2.rank - 2];
  if (K1.rank < 2 || Q2.rank !== K1.rank || !sameShape(Q2.shape.slice(0, -2), lead) || Q2.shape[Q2.rank - 1] !== a || v.size !== a) {
    throw new Error(`ops.additiveScores: needs keys [..., N, a], queries [..., M, a] and w [a], got keys ${formatShape(K1.shape)}, queries ${formatShape(Q2.shape)}, w ${formatShape(v.shape)}`);
  }
  const p = { L: sizeOf(lead), M, N, a };
  const S = allocFloats(p.L * M * N);
  additiveScoresForward(p, K1.data, Q2.data, v.data, S);
  const y = uncheckedTensor(S, [...lead, M, N]);
  record([y], [K1, Q2, v], ([g]) => {
    const dK1 = allocFloats(K1.size), dQ2 = allocFloats(Q2.size), dw = allocFloats(a); // the kernels write every element
    additiveScoresBackward(p, K1.data, Q2.data, v.data, g!, dK1, dQ2, dw);
    return [dK1, dQ2, dw];
  });
  return y;
}
