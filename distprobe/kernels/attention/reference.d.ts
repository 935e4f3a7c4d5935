import { type AttentionKernel } from "./problem.js";
/** The plain-loop attention kernel ("reference"): textbook softmax(q·kᵀ·scale)·v in float64 accumulations, which every fast kernel is tested against. */
export declare const referenceKernel: AttentionKernel;
