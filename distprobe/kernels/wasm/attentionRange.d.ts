import type { AttentionKernel } from "../attention/problem.js";
export declare const rangeCheckedWasmKernel: AttentionKernel;
