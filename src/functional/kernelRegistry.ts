// The attention kernels that dotProductAttention can run, by name: "reference" (plain loops, the one
// every other kernel is tested against) and "wasm" (fused WebAssembly SIMD, the default). Another kernel
// registers itself and is chosen explicitly (per call with `implementation`, or as the process default),
// never silently.
import { referenceKernel } from "../kernels/attention/reference.js";
import type { AttentionKernel } from "../kernels/attention/problem.js";
import { wasmAttentionKernel } from "../kernels/wasm/attention.js";

const kernels = new Map<string, AttentionKernel>([[referenceKernel.name, referenceKernel], [wasmAttentionKernel.name, wasmAttentionKernel]]);
let defaultName = wasmAttentionKernel.name;

/** Adds an attention kernel (a forward/backward pair over an AttentionProblem) under its name, for `implementation: name`. */
export function registerAttentionKernel(kernel: AttentionKernel): void {
  kernels.set(kernel.name, kernel);
}

/** Makes the named registered kernel the one attention uses when no implementation is given. */
export function setDefaultAttentionKernel(name: string): void {
  attentionKernel(name);
  defaultName = name;
}

/** The registered kernel of that name (default: the current default kernel); unknown names are an error. */
export function attentionKernel(name: string = defaultName): AttentionKernel {
  const k = kernels.get(name);
  if (!k) throw new Error(`dotProductAttention: unknown implementation "${name}" (registered: ${[...kernels.keys()].join(", ")})`);
  return k;
}
