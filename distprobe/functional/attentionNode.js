import { record } from "../tensor/autodiff.js";
import { Tensor } from "../tensor/tensor.js";
import { attentionKernel } from "./kernelRegistry.js";
export function attentionProblem(q, k, v, spec) {
    const [B, H, Tq, D] = q.shape;
    const [, Hkv, Tk] = k.shape;
    const Dv = v.shape[3];
    const dropout = spec.dropout && spec.dropout.rate > 0 ? spec.dropout : undefined;
    return { B, H, Hkv, Tq, Tk, D, Dv, q: q.data, k: k.data, v: v.data, scale: spec.scale, mask: spec.mask, dropout };
}
export function attend(q, k, v, spec, wantWeights) {
    const kernel = attentionKernel(spec.implementation);
    const problem = attentionProblem(q, k, v, spec);
    const { B, H, Tq, Tk, Dv } = problem;
    const fwd = kernel.forward(problem, wantWeights);
    const output = new Tensor(fwd.out, [B, H, Tq, Dv]);
    const weights = fwd.weights ? new Tensor(fwd.weights, [B, H, Tq, Tk]) : undefined;
    record(weights ? [output, weights] : [output], [q, k, v], ([dOut, dWeights]) => {
        const g = kernel.backward(problem, fwd, dOut, dWeights ?? null);
        return [g.dq, g.dk, g.dv];
    });
    return { output, weights };
}
