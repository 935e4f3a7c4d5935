// The base of the parameter-free layers that merge inputs in1 … inN into one output `out` (MATLAB's
// additionLayer, concatenationLayer): the ports, the options check, and apply over a record of inputs by port.
import { Random } from "../tensor/random.js";
import { Tensor, asTensor, type TensorLike } from "../tensor/tensor.js";
import { checkOptionNames, describe } from "../util/validate.js";
import { Layer } from "./layer.js";
import { checkPositiveInteger, layerName } from "./validate.js";

/** Inputs in1 … inN (numInputs of them) → out, no parameters; subclasses give forward, inferSizes and config. */
export abstract class MergeLayer extends Layer {
  readonly kind: string;
  readonly inputNames: readonly string[];
  readonly outputNames = ["out"] as const;
  protected readonly parameterNames = [] as const;

  constructor(kind: string, readonly numInputs: number, options: { name?: string }) {
    super();
    this.kind = kind;
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
    checkPositiveInteger(numInputs, "numInputs", this);
    this.inputNames = Array.from({ length: numInputs }, (_, i) => `in${i + 1}`);
  }
  protected parameterShape(): number[] | undefined { return undefined; }
  protected initialValue(): Tensor { throw this.error("has no parameters"); }
  protected setSizes(): void {}

  /** The merge of a record { in1, …, inN } of tensors or nested arrays (mirrored: tensors in, a tensor out). */
  apply(inputs: Record<string, TensorLike>): TensorLike {
    if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs) || inputs instanceof Tensor) {
      throw this.error(`apply takes a record { ${this.inputNames.join(", ")} }, got ${describe(inputs)}`);
    }
    for (const k of Object.keys(inputs)) if (!this.inputNames.includes(k)) throw this.error(`unknown input "${k}" (inputs: ${this.inputNames.join(", ")})`);
    const values = Object.fromEntries(this.inputNames.map((n) => {
      if (!Object.hasOwn(inputs, n)) throw this.error(`missing input "${n}" (inputs: ${this.inputNames.join(", ")})`);
      return [n, { x: asTensor(inputs[n], `${this.label}: input "${n}"`) }];
    }));
    const out = this.forward(values, { training: false, random: new Random(0) }).out.x;
    return inputs.in1 instanceof Tensor ? out : out.toArray();
  }
}
