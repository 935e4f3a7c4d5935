import type { AttentionProblem, MaskSpec } from "../kernels/attention/problem.js";
import { Tensor } from "../tensor/tensor.js";
export interface AttendSpec {
    scale: number;
    mask: MaskSpec;
    dropout?: {
        rate: number;
        seed: number;
    };
    implementation?: string;
}
export declare function attentionProblem(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec): AttentionProblem;
export declare function attend(q: Tensor, k: Tensor, v: Tensor, spec: AttendSpec, wantWeights: boolean): {
    output: Tensor;
    weights?: Tensor;
};
