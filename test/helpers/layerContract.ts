// The shared layer test: output shape, parameter count, gradients by finite differences, config round
// trip through saveNet's registry, and one gradient step that lowers a loss.
import { expect } from "vitest";
import { Random, Tensor, ops, valueAndGrad, type Layer } from "../../src/index.js";
import { layerFromConfig } from "../../src/nets/layerRegistry.js";
import { checkGradients, expectClose, randomTensor } from "./numeric.js";

type Run = (layer: Layer, input: Tensor) => Tensor;

export interface ContractCase {
  make: () => Layer;
  input: Tensor;
  run: Run;
  outputShape: number[];
  parameterCount: number;
  /** skip the finite-difference check of the input (e.g. integer indices) */
  inputIsDiscrete?: boolean;
}

export function checkLayerContract(c: ContractCase): void {
  const layer = c.make();
  const out = c.run(layer, c.input);
  expect([...out.shape], "output shape").toEqual(c.outputShape);
  const params = Object.values(layer.parameters);
  expect(params.reduce((n, t) => n + t.size, 0), "parameter count").toBe(c.parameterCount);
  const w = randomTensor([...out.shape], new Random(99));
  const loss = () => ops.sum(ops.mul(c.run(layer, c.input), w));
  checkGradients(loss, c.inputIsDiscrete ? params : [c.input, ...params], { what: layer.kind });

  // config round trip: the same layer rebuilt from its JSON config, with the same parameters
  const copy = layerFromConfig(JSON.parse(JSON.stringify(layer.config())));
  for (const [name, t] of Object.entries(layer.parameters)) copy.setParameter(name, t);
  expectClose(c.run(copy, c.input), out.data, 1e-6, 1e-7, "round trip");

  // one plain gradient step lowers the loss
  if (params.length > 0) {
    const { value, grads } = valueAndGrad(loss, params);
    const norm = Math.sqrt(grads.reduce((s, g) => s + g.data.reduce((a, v) => a + v * v, 0), 0));
    params.forEach((p, i) => p.data.forEach((v, j) => (p.data[j] = v - (1e-2 / norm) * grads[i].data[j])));
    expect(loss().item(), "loss after one step").toBeLessThan(value);
  }
}
