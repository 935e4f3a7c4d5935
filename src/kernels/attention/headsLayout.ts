// Two layouts of a batch of heads: heads first [B, H, T, D] (every kernel's) and heads last [B, T, H, D] (what a
// projection x·Wᵀ [B, T, H·D] is, reshaped: no copy). A problem marked headsLast (./problem.ts) holds q, k, v and
// takes and gives out, dOut, dq, dk, dv heads last; a kernel that reads that layout itself says so
// (AttentionKernel.headsLast), and for the others (and for the range-checked kernel's reference fallback) the
// arrays are moved here: y[b, h, t, :] = x[b, t, h, :] and back.
import type { AttentionForward, AttentionGrads, AttentionKernel, AttentionProblem } from "./problem.js";
import { allocFloats } from "../../util/stepPool.js";

/** [B, T, H, D] → [B, H, T, D] (headsLast = false: the inverse, [B, H, T, D] → [B, T, H, D]). */
export function swapHeads(x: Float32Array, B: number, T: number, H: number, D: number, toHeadsFirst: boolean): Float32Array {
  const y = allocFloats(B * T * H * D);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < H; h++) {
        const last = ((b * T + t) * H + h) * D, first = ((b * H + h) * T + t) * D;
        if (toHeadsFirst) y.set(x.subarray(last, last + D), first);
        else y.set(x.subarray(first, first + D), last);
      }
    }
  }
  return y;
}

/** The same problem heads first (a copy of q, k, v when it is heads last). */
export function headsFirstProblem(p: AttentionProblem): AttentionProblem {
  if (!p.headsLast) return p;
  const { B, H, Hkv, Tq, Tk, D, Dv } = p;
  return { ...p, headsLast: false, q: swapHeads(p.q, B, Tq, H, D, true), k: swapHeads(p.k, B, Tk, Hkv, D, true), v: swapHeads(p.v, B, Tk, Hkv, Dv, true) };
}

/**
 * A heads-first kernel run on a problem of either layout: a heads-last problem's inputs are moved heads first
 * (once per problem, kept for its backward), its out, dOut and gradients moved back. The forward's statistics
 * and weights are [B, H, Tq(, Tk)] in both layouts.
 */
export function anyHeadsLayout(kernel: AttentionKernel): AttentionKernel {
  const headsFirst = new WeakMap<AttentionProblem, AttentionProblem>(); // a heads-last problem → its heads-first copy
  const ownForward = new WeakMap<AttentionForward, AttentionForward>(); // what we returned → what the kernel returned
  const firstOf = (p: AttentionProblem) => {
    let f = headsFirst.get(p);
    if (!f) headsFirst.set(p, (f = headsFirstProblem(p)));
    return f;
  };
  return {
    name: kernel.name,
    headsLast: true,
    forward(p, wantWeights) {
      if (!p.headsLast) return kernel.forward(p, wantWeights);
      const fwd = kernel.forward(firstOf(p), wantWeights);
      const mine = { ...fwd, out: swapHeads(fwd.out, p.B, p.Tq, p.H, p.Dv, false) };
      ownForward.set(mine, fwd);
      return mine;
    },
    backward(p, fwd, dOut, dWeights): AttentionGrads {
      if (!p.headsLast) return kernel.backward(p, fwd, dOut, dWeights);
      const { B, H, Hkv, Tq, Tk, D, Dv } = p;
      const own = ownForward.get(fwd) ?? { ...fwd, out: swapHeads(fwd.out, B, Tq, H, Dv, true) };
      const g = kernel.backward(firstOf(p), own, dOut && swapHeads(dOut, B, Tq, H, Dv, true), dWeights);
      return { dq: swapHeads(g.dq, B, Tq, H, D, false), dk: swapHeads(g.dk, B, Tk, Hkv, D, false), dv: swapHeads(g.dv, B, Tk, Hkv, Dv, false) };
    },
  };
}
