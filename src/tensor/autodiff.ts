// Reverse-mode autodiff on a tape. Ops run eagerly; while `valueAndGrad` traces a function, every op
// whose inputs depend on a traced tensor appends a node (inputs, outputs, vector-Jacobian product).
// Nodes are appended in execution order, which is a topological order, so the backward pass simply
// walks the tape in reverse. Outside a trace nothing is recorded, so inference costs nothing extra.
import { Tensor, uncheckedTensor } from "./tensor.js";
import { formatShape } from "./shape.js";
import { allocZeros, copyFloats } from "../util/stepPool.js";

/** Given the gradients of the outputs (null = no gradient), the gradients of the inputs (null = none). */
export type VectorJacobianProduct = (
  outputGrads: (Float32Array | null)[],
  needsGrad: boolean[],
) => (Float32Array | null)[];

interface TapeNode {
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  vjp: VectorJacobianProduct;
}

class Tape {
  readonly traced = new Set<Tensor>();
  readonly nodes: TapeNode[] = [];
}

let active: Tape | null = null;

/** Records an op for the backward pass; a no-op unless an input is traced. */
export function record(outputs: readonly Tensor[], inputs: readonly Tensor[], vjp: VectorJacobianProduct): void {
  const tape = active;
  if (tape === null || !inputs.some((t) => tape.traced.has(t))) return;
  for (const o of outputs) tape.traced.add(o);
  tape.nodes.push({ inputs, outputs, vjp });
}

/** True when `record` with these inputs would record a node (a trace is running and one of them is traced): ops skip saving what only the backward reads otherwise. */
export function isRecording(inputs: readonly (Tensor | undefined)[]): boolean {
  const tape = active;
  return tape !== null && inputs.some((t) => t !== undefined && tape.traced.has(t));
}

/**
 * Evaluates `f` (which must return a one-element tensor) and its gradient with respect to each
 * tensor of `wrt`. A tensor of `wrt` that `f` does not use gets a zero gradient.
 */
export function valueAndGrad(f: () => Tensor, wrt: readonly Tensor[]): { value: number; grads: Tensor[] } {
  if (active !== null) throw new Error("valueAndGrad: nested calls are not supported (higher-order gradients are out of scope)");
  if (typeof f !== "function") throw new Error(`valueAndGrad: f must be a function returning a scalar loss, got ${typeof f}`);
  if (!Array.isArray(wrt)) throw new Error(`valueAndGrad: wrt must be an array of tensors, got ${wrt === null ? "null" : typeof wrt}`);
  const tape = new Tape();
  for (const t of wrt) {
    if (!(t instanceof Tensor)) throw new Error("valueAndGrad: every element of wrt must be a Tensor");
    tape.traced.add(t);
  }
  active = tape;
  let out: Tensor;
  try {
    out = f();
  } finally {
    active = null;
  }
  if (!(out instanceof Tensor) || out.size !== 1) {
    const got = out instanceof Tensor ? `a tensor of shape ${formatShape(out.shape)}` : String(out);
    throw new Error(`valueAndGrad: f must return a one-element tensor (a scalar loss), got ${got}`);
  }
  const grads = new Map<Tensor, Float32Array>();
  const owned = new WeakSet<Float32Array>(); // gradient buffers held by the map (weak: freed ones can go); a vjp may return one twice
  grads.set(out, new Float32Array([1]));
  for (let n = tape.nodes.length - 1; n >= 0; n--) {
    const node = tape.nodes[n];
    const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
    if (outGrads.every((g) => g === null)) continue;
    const needs = node.inputs.map((t) => tape.traced.has(t));
    const inGrads = node.vjp(outGrads, needs);
    // Each buffer in the map belongs to one tensor. An input may take over the buffer of one of this
    // node's outputs (a pass-through gradient: add, reshape, ...), since outputs are dropped below;
    // any other buffer the map already holds is copied.
    const taken = new Set<Float32Array>();
    node.inputs.forEach((input, i) => {
      const g = inGrads[i];
      if (!g || !needs[i]) return;
      const acc = grads.get(input);
      if (acc === undefined) {
        const k = outGrads.indexOf(g);
        const free = k >= 0 ? node.outputs[k] !== out && !taken.has(g) : !owned.has(g);
        const own = free ? g : copyFloats(g);
        taken.add(own);
        owned.add(own);
        grads.set(input, own);
      } else addInto(acc, g);
    });
    for (const o of node.outputs) if (o !== out) grads.delete(o); // free as we go
  }
  return {
    value: out.data[0],
    grads: wrt.map((t) => uncheckedTensor(grads.get(t) ?? allocZeros(t.size), t.shape)),
  };
}

/**
 * acc += g, elementwise (a gradient reaching a tensor by a second path). A function of its own, whose loop reads its
 * arguments: the same loop reading its arrays from an enclosing scope ran ~6× slower in a microbenchmark (256k floats).
 */
function addInto(acc: Float32Array, g: Float32Array): void {
  for (let j = 0; j < acc.length; j++) acc[j] += g[j];
}

/** Like valueAndGrad, for callers that only need the gradients. */
export function grad(f: () => Tensor, wrt: readonly Tensor[]): Tensor[] {
  return valueAndGrad(f, wrt).grads;
}
