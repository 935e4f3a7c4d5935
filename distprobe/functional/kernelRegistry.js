// The attention kernels that dotProductAttention can run, by name: "reference" (plain loops, the one
// every other kernel is tested against) and "wasm" (fused WebAssembly SIMD in float32, the default; a problem
// whose magnitudes could overflow float32 inside it runs the reference instead: kernels/wasm/attentionRange.ts). Another kernel
// registers itself and is chosen explicitly (per call with `implementation`, or as the process default),
// never silently.
import { referenceKernel } from "../kernels/attention/reference.js";
import { rangeCheckedWasmKernel } from "../kernels/wasm/attentionRange.js";
import { describe } from "../util/validate.js";
const kernels = new Map([[referenceKernel.name, referenceKernel], [rangeCheckedWasmKernel.name, rangeCheckedWasmKernel]]);
let defaultName = rangeCheckedWasmKernel.name;
/** Adds an attention kernel (a forward/backward pair over an AttentionProblem) under its name, for `implementation: name`. */
export function registerAttentionKernel(kernel) {
    const k = kernel;
    if (!k || typeof k !== "object" || typeof k.name !== "string" || k.name === "" || typeof k.forward !== "function" || typeof k.backward !== "function") {
        throw new Error(`registerAttentionKernel: a kernel is { name: string, forward(problem, wantWeights), backward(problem, forward, dOut, dWeights) }, got ${describe(kernel)}`);
    }
    kernels.set(kernel.name, kernel);
}
/** Makes the named registered kernel the one attention uses when no implementation is given. */
export function setDefaultAttentionKernel(name) {
    attentionKernel(name);
    defaultName = name;
}
/** The registered kernel of that name (default: the current default kernel); unknown names are an error. */
export function attentionKernel(name = defaultName) {
    const k = kernels.get(name);
    if (!k)
        throw new Error(`dotProductAttention: unknown implementation "${name}" (registered: ${[...kernels.keys()].join(", ")})`);
    return k;
}
