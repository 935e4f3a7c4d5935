// Parameter initializers with MATLAB's names. numIn / numOut are the fan-in and fan-out of a weight.
//   glorot:        uniform on ±√(6 / (numIn + numOut))
//   he:            normal with variance 2 / numIn
//   narrow-normal: normal with σ = 0.01
//   orthogonal:    Q of the QR decomposition Z = QR of a standard-normal Z of the weight's shape [m, n], signs
//                  fixed so that diag(R) > 0 (MATLAB's recurrent default): QᵀQ = I when m ≥ n (orthonormal
//                  columns), QQᵀ = I when m < n (orthonormal rows, from the QR of Zᵀ)
//   zeros, ones, or a function (shape) → values
import { Random } from "../tensor/random.js";
import { formatShape, sameShape, sizeOf } from "../tensor/shape.js";
import { Tensor, asTensor, type NestedArray } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";

export type InitializerFunction = (shape: number[]) => Tensor | NestedArray | Float32Array;
/** A weight initializer: Glorot, He, narrow normal (σ 0.01), orthogonal, zeros, ones, or a function of the shape. */
export type Initializer = "glorot" | "he" | "narrow-normal" | "orthogonal" | "zeros" | "ones" | InitializerFunction;

export function initialize(init: Initializer, shape: number[], fan: { numIn: number; numOut: number }, random: Random, where: string): Tensor {
  const n = sizeOf(shape);
  const data = new Float32Array(n);
  if (typeof init === "function") {
    const value = init([...shape]);
    const t = value instanceof Float32Array ? new Tensor(value.slice(), [value.length]) : asTensor(value, where);
    if (t.size !== n || (t.rank > 1 && !sameShape(t.shape, shape))) {
      throw new Error(`${where}: the initializer function returned shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    }
    return new Tensor(Float32Array.from(t.data), shape);
  }
  switch (init) {
    case "glorot": {
      const bound = Math.sqrt(6 / (fan.numIn + fan.numOut));
      for (let i = 0; i < n; i++) data[i] = (2 * random.uniform() - 1) * bound;
      break;
    }
    case "he": {
      const sigma = Math.sqrt(2 / fan.numIn);
      for (let i = 0; i < n; i++) data[i] = random.normal() * sigma;
      break;
    }
    case "narrow-normal":
      for (let i = 0; i < n; i++) data[i] = random.normal() * 0.01;
      break;
    case "orthogonal":
      orthogonal(data, shape[0], n / shape[0], random);
      break;
    case "zeros":
      break;
    case "ones":
      data.fill(1);
      break;
    default:
      throw new Error(`${where}: unknown initializer ${JSON.stringify(init)} (expected ${WEIGHT_INITIALIZERS.map((n) => `"${n}"`).join(", ")} or a function)`);
  }
  return new Tensor(data, shape);
}

/** The named initializers of a weight matrix [out, in] (every layer's weights take them; biases take fewer). */
export const WEIGHT_INITIALIZERS: readonly string[] = ["glorot", "he", "orthogonal", "narrow-normal", "zeros", "ones"];

export function checkInitializer(init: unknown, allowed: readonly string[], where: string): void {
  if (typeof init === "function") return;
  if (typeof init !== "string" || !allowed.includes(init)) {
    throw new Error(`${where}: initializer must be one of ${allowed.map((a) => `"${a}"`).join(", ")} or a function, got ${describe(init)}`);
  }
}

/**
 * out [m, n] (row-major) ← Q of Z = QR, Z standard normal [m, n], diag(R) > 0. Gram–Schmidt in float64 over the
 * k = min(m, n) vectors of length max(m, n) (Z's columns, or its rows when m < n), each orthogonalized twice
 * against the earlier ones ("twice is enough") and normalized: the vectors are Q's, R's diagonal their norms.
 */
function orthogonal(out: Float32Array, m: number, n: number, random: Random): void {
  const z = Float64Array.from({ length: m * n }, () => random.normal());
  const byColumns = m >= n, k = Math.min(m, n), len = Math.max(m, n);
  // vector j, element i: column j of Z (Z[i, j]) or row j (Z[j, i])
  const at = (j: number, i: number) => (byColumns ? i * n + j : j * n + i);
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < len; i++) dot += z[at(p, i)] * z[at(j, i)];
        for (let i = 0; i < len; i++) z[at(j, i)] -= dot * z[at(p, i)];
      }
    }
    let norm = 0;
    for (let i = 0; i < len; i++) norm += z[at(j, i)] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < len; i++) z[at(j, i)] /= norm;
  }
  out.set(z);
}
