// additionLayer (MATLAB): out = in1 + in2 + … + inN, elementwise (residual connections).
import * as ops from "../tensor/ops/index.js";
import { formatShape } from "../tensor/shape.js";
import { Random } from "../tensor/random.js";
import { Tensor, asTensor, type TensorLike } from "../tensor/tensor.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue } from "./layer.js";
import { checkPositiveInteger, layerName } from "./validate.js";
import { checkOptionNames, describe } from "../util/validate.js";
import { listNames } from "../util/listNames.js";

/** Most inputs of one additionLayer (a file's additionLayers together are bounded by its edges too: see layerRegistry). */
export const MAX_ADDITION_INPUTS = 1024;

/** Adds its inputs in1 … inN elementwise (same shapes) into out, as MATLAB's additionLayer; used for residual connections. */
export class AdditionLayer extends Layer {
  readonly kind = "additionLayer";
  readonly inputNames: readonly string[];
  readonly outputNames = ["out"] as const;
  protected readonly parameterNames = [] as const;

  constructor(readonly numInputs: number, options: { name?: string } = {}) {
    super();
    this.name = layerName(options, this.kind);
    checkOptionNames(options, ["name"], this.label);
    checkPositiveInteger(numInputs, "numInputs", this);
    if (numInputs > MAX_ADDITION_INPUTS) throw this.error(`numInputs must be at most ${MAX_ADDITION_INPUTS}, got ${numInputs}`);
    this.inputNames = Array.from({ length: numInputs }, (_, i) => `in${i + 1}`);
  }
  protected parameterShape(): number[] | undefined { return undefined; }
  protected initialValue(): Tensor { throw this.error("has no parameters"); }
  protected setSizes(): void {}

  override inferSizes(inputs: Record<string, number>): Record<string, number> {
    const sizes = this.inputNames.map((n) => inputs[n]);
    sizes.forEach((s, i) => {
      if (s !== sizes[0]) throw this.error(`input "${this.inputNames[i]}" has ${s} channels but input "in1" has ${sizes[0]}`);
    });
    return { out: sizes[0] };
  }

  override forward(inputs: Record<string, NetValue>, _c: ForwardContext): Record<string, NetValue> {
    const first = inputs.in1;
    let sum = first.x;
    for (const n of this.inputNames.slice(1)) {
      const x = inputs[n].x;
      if (x.shape.length !== first.x.shape.length || x.shape.some((d, i) => d !== first.x.shape[i])) {
        throw this.error(`input "${n}" has shape ${formatShape(x.shape)} but input "in1" has ${formatShape(first.x.shape)}`);
      }
      sum = ops.add(sum, x);
    }
    return { out: { x: sum, lengths: first.lengths } };
  }

  apply(inputs: Record<string, TensorLike>): TensorLike {
    if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs) || inputs instanceof Tensor) {
      throw this.error(`apply takes a record { ${listNames(this.inputNames)} }, got ${describe(inputs)}`);
    }
    for (const k of Object.keys(inputs)) if (!this.inputNames.includes(k)) throw this.error(`unknown input "${k}" (inputs: ${listNames(this.inputNames)})`);
    const values = Object.fromEntries(this.inputNames.map((n) => {
      if (!Object.hasOwn(inputs, n)) throw this.error(`missing input "${n}" (inputs: ${listNames(this.inputNames)})`);
      return [n, { x: asTensor(inputs[n], `${this.label}: input "${n}"`) }];
    }));
    const out = this.forward(values, { training: false, random: new Random(0) }).out.x;
    return inputs.in1 instanceof Tensor ? out : out.toArray();
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [this.numInputs, { name: this.name }] };
  }
}

/**
 * MATLAB additionLayer(numInputs): out = in1 + … + inN.
 * @example netGraph({ nodes: { att: selfAttentionLayer(2, 8), add: additionLayer(2) }, edges: [["input", "att"], ["input", "add/in1"], ["att", "add/in2"]] })
 */
export function additionLayer(numInputs = 2, options?: { name?: string }): AdditionLayer {
  return new AdditionLayer(numInputs, options);
}
