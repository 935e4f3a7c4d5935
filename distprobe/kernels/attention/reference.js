// The reference attention kernel: plain loops, one query row at a time, scores materialized per row.
// Every faster kernel is tested against this one.
//   s_ij = scale · q_i·k_j over visible keys j; p_ij = exp(s_ij − m_i) / l_i, m_i = max_j s_ij, l_i = Σ_j exp(s_ij − m_i)
//   o_i = Σ_j p̃_ij v_j with p̃ = p ∘ keep / (1 − rate) (dropout, training only)
// Backward (from the saved m and l, as FlashAttention does from its log-sum-exp; m and l stay apart so huge
// scores keep their weights):
//   dP_ij = dO_i·v_j ∘ keep/(1 − rate) + dWeights_ij;  Δ_i = Σ_j p_ij dP_ij;  dS_ij = p_ij (dP_ij − Δ_i)
//   dQ_i = scale Σ_j dS_ij k_j;  dK_j = scale Σ_i dS_ij q_i;  dV_j = Σ_i p̃_ij dO_i
// Rows that see no key have m = −∞, l = 0, output 0, weights 0 and contribute no gradient. Blocked keys are
// never read, so NaN or Inf stored in them cannot leak; a NaN among a row's visible scores makes that row NaN.
import { dropoutKeeps } from "../hash.js";
import { explicitAllows, keyRange, kvHeadOf, } from "./problem.js";
/** Offsets of row (b, h, i) in q/out, of its key/value head, and of its dropout counters. */
function rowOffsets(p, b, h, i) {
    const kh = kvHeadOf(h, p.H, p.Hkv);
    const row = (b * p.H + h) * p.Tq + i;
    return {
        q: row * p.D,
        o: row * p.Dv,
        kv: (b * p.Hkv + kh) * p.Tk, // first key position of this head
        weights: row * p.Tk,
        stat: row,
    };
}
/** Fills `visible` and the scaled scores of row (b, h, i); returns the row max (−∞ if nothing is visible, NaN if a visible score is). */
function rowScores(p, b, h, i, at, s, visible) {
    const { D, q, k, scale } = p;
    const [lo, hi] = keyRange(p, b, i);
    visible.fill(0);
    let max = -Infinity, seen = 0;
    for (let j = lo; j < hi; j++) {
        if (!explicitAllows(p, b, h, i, j))
            continue;
        const kj = (at.kv + j) * D;
        let dot = 0;
        for (let d = 0; d < D; d++)
            dot += q[at.q + d] * k[kj + d];
        s[j] = dot * scale;
        visible[j] = 1;
        max = Math.max(max, s[j]); // NaN-propagating
        seen++;
    }
    return seen === 0 ? -Infinity : max;
}
function dropoutFactor(p, counter) {
    if (!p.dropout || p.dropout.rate === 0)
        return 1;
    return dropoutKeeps(p.dropout.seed, counter, p.dropout.rate) ? 1 / (1 - p.dropout.rate) : 0;
}
/** The plain-loop attention kernel ("reference"): textbook softmax(q·kᵀ·scale)·v in float64 accumulations, which every fast kernel is tested against. */
export const referenceKernel = {
    name: "reference",
    forward(p, wantWeights) {
        const { B, H, Tq, Tk, Dv, v } = p;
        const out = new Float32Array(B * H * Tq * Dv);
        const rowMax = new Float64Array(B * H * Tq);
        const rowSum = new Float64Array(B * H * Tq);
        const weights = wantWeights ? new Float32Array(B * H * Tq * Tk) : undefined;
        const s = new Float64Array(Tk);
        const visible = new Uint8Array(Tk);
        const acc = new Float64Array(Dv);
        for (let b = 0; b < B; b++)
            for (let h = 0; h < H; h++)
                for (let i = 0; i < Tq; i++) {
                    const at = rowOffsets(p, b, h, i);
                    const max = rowScores(p, b, h, i, at, s, visible);
                    rowMax[at.stat] = max;
                    if (max === -Infinity)
                        continue; // sees no key: zeros, and rowSum 0
                    let sum = 0;
                    for (let j = 0; j < Tk; j++)
                        if (visible[j])
                            sum += Math.exp(s[j] - max);
                    rowSum[at.stat] = sum;
                    acc.fill(0);
                    for (let j = 0; j < Tk; j++) {
                        if (!visible[j])
                            continue;
                        const pij = Math.exp(s[j] - max) / sum;
                        if (weights)
                            weights[at.weights + j] = pij;
                        const pt = pij * dropoutFactor(p, at.weights + j);
                        if (pt === 0)
                            continue;
                        const vj = (at.kv + j) * Dv;
                        for (let d = 0; d < Dv; d++)
                            acc[d] += pt * v[vj + d];
                    }
                    for (let d = 0; d < Dv; d++)
                        out[at.o + d] = acc[d];
                }
        return { out, rowMax, rowSum, weights };
    },
    backward(p, fwd, dOut, dWeights) {
        const { B, H, Tq, Tk, D, Dv, q, k, v, scale } = p;
        // accumulate in float64: the terms of dQ and dK can be large and cancel
        const dq = new Float64Array(q.length);
        const dk = new Float64Array(k.length);
        const dv = new Float64Array(v.length);
        const s = new Float64Array(Tk);
        const visible = new Uint8Array(Tk);
        const dP = new Float64Array(Tk);
        const prob = new Float64Array(Tk);
        for (let b = 0; b < B; b++)
            for (let h = 0; h < H; h++)
                for (let i = 0; i < Tq; i++) {
                    const at = rowOffsets(p, b, h, i);
                    const max = fwd.rowMax[at.stat], sum = fwd.rowSum[at.stat];
                    if (max === -Infinity)
                        continue;
                    rowScores(p, b, h, i, at, s, visible);
                    let delta = 0;
                    for (let j = 0; j < Tk; j++) {
                        if (!visible[j])
                            continue;
                        prob[j] = Math.exp(s[j] - max) / sum;
                        const keep = dropoutFactor(p, at.weights + j);
                        let g = dWeights ? dWeights[at.weights + j] : 0;
                        if (dOut && keep !== 0) {
                            const vj = (at.kv + j) * Dv;
                            let dot = 0;
                            for (let d = 0; d < Dv; d++)
                                dot += dOut[at.o + d] * v[vj + d];
                            g += dot * keep;
                            const pt = prob[j] * keep;
                            for (let d = 0; d < Dv; d++)
                                dv[vj + d] += pt * dOut[at.o + d];
                        }
                        dP[j] = g;
                        delta += prob[j] * g;
                    }
                    for (let j = 0; j < Tk; j++) {
                        if (!visible[j])
                            continue;
                        const dS = prob[j] * (dP[j] - delta) * scale;
                        if (dS === 0)
                            continue;
                        const kj = (at.kv + j) * D;
                        for (let d = 0; d < D; d++) {
                            dq[at.q + d] += dS * k[kj + d];
                            dk[kj + d] += dS * q[at.q + d];
                        }
                    }
                }
        return { dq: Float32Array.from(dq), dk: Float32Array.from(dk), dv: Float32Array.from(dv) };
    },
};
