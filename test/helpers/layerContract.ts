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

/** What a caller can see of a layer: parameters (names, shapes, values), learnable shapes, display, config, initialized. */
function observe(layer: Layer): unknown {
  let config: unknown;
  try {
    config = JSON.parse(JSON.stringify(layer.config()));
  } catch (e) {
    config = (e as Error).message;
  }
  const parameters = Object.fromEntries(Object.entries(layer.parameters).map(([n, t]) => [n, { shape: [...t.shape], data: Array.from(t.data) }]));
  return { parameters, learnableShapes: layer.learnableShapes, display: layer.toString(), config, isInitialized: layer.isInitialized };
}

/** A plain form of a result (tensors, nested arrays, records and lists of them), for equality. */
function plain(v: unknown): unknown {
  if (v instanceof Tensor) return { shape: [...v.shape], data: Array.from(v.data) };
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export interface RefusalCase {
  make: () => Layer;
  /** calls that must be refused (each may fix sizes or build weights before it fails, as it goes) */
  refused: ((layer: Layer) => unknown)[];
  /** further calls refused once the layer has run (its sizes are then fixed) */
  refusedOnceUsed?: ((layer: Layer) => unknown)[];
  /** a call that must succeed, deterministic given the layer's state */
  valid: (layer: Layer) => unknown;
}

/**
 * A refused call changes nothing: parameters, sizes, display and config are as before, and the next valid
 * call gives what it gives without the refused calls, both on a fresh layer and on one already used.
 */
export function checkRefusedCallsChangeNothing(c: RefusalCase): void {
  for (const used of [false, true]) {
    const layer = c.make(), twin = c.make();
    if (used) {
      c.valid(layer);
      c.valid(twin);
    }
    const before = observe(layer);
    [...c.refused, ...(used ? c.refusedOnceUsed ?? [] : [])].forEach((call, i) => {
      expect(() => call(layer), `refused call ${i + 1}${used ? " (after a valid call)" : ""}`).toThrow();
      expect(observe(layer), `state after refused call ${i + 1}${used ? " (after a valid call)" : ""}`).toEqual(before);
    });
    expect(plain(c.valid(layer)), `the next valid call${used ? " (after a valid call)" : ""}`).toEqual(plain(c.valid(twin)));
    expect(observe(layer)).toEqual(observe(twin));
  }
}
