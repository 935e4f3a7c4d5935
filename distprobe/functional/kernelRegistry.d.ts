import type { AttentionKernel } from "../kernels/attention/problem.js";
/** Adds an attention kernel (a forward/backward pair over an AttentionProblem) under its name, for `implementation: name`. */
export declare function registerAttentionKernel(kernel: AttentionKernel): void;
/** Makes the named registered kernel the one attention uses when no implementation is given. */
export declare function setDefaultAttentionKernel(name: string): void;
/** The registered kernel of that name (default: the current default kernel); unknown names are an error. */
export declare function attentionKernel(name?: string): AttentionKernel;
