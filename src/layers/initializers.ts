// Parameter initializers with MATLAB's names. numIn / numOut are the fan-in and fan-out of a weight.
//   glorot:        uniform on ±√(6 / (numIn + numOut))
//   he:            normal with variance 2 / numIn
//   narrow-normal: normal with σ = 0.01
//   zeros, ones, or a function (shape) → values
import { Random } from "../tensor/random.js";
import { formatShape, sameShape, sizeOf } from "../tensor/shape.js";
import { Tensor, asTensor, type NestedArray } from "../tensor/tensor.js";
import { describe } from "../util/validate.js";

export type InitializerFunction = (shape: number[]) => Tensor | NestedArray | Float32Array;
/** A weight initializer: Glorot, He, narrow normal (σ 0.01), zeros, ones, or a function of the shape. */
export type Initializer = "glorot" | "he" | "narrow-normal" | "zeros" | "ones" | InitializerFunction;

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
    case "zeros":
      break;
    case "ones":
      data.fill(1);
      break;
    default:
      throw new Error(`${where}: unknown initializer ${JSON.stringify(init)} (expected "glorot", "he", "narrow-normal", "zeros", "ones" or a function)`);
  }
  return new Tensor(data, shape);
}

export function checkInitializer(init: unknown, allowed: readonly string[], where: string): void {
  if (typeof init === "function") return;
  if (typeof init !== "string" || !allowed.includes(init)) {
    throw new Error(`${where}: initializer must be one of ${allowed.map((a) => `"${a}"`).join(", ")} or a function, got ${describe(init)}`);
  }
}
