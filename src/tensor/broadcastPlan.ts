// Broadcasting without index maps for the cases training is made of. The output (row-major) is viewed
// as [outer, inner]; operand element read at output position (o, i) is operand[o·outerStep + i·innerStep].
// Four kinds of operand fit this view:
//   full     same elements as the output          innerStep 1, outerStep inner
//   scalar   one element                           innerStep 0, outerStep 0
//   row      repeats along leading axes (a bias)   innerStep 1, outerStep 0   (inner = its size)
//   column   constant along trailing axes ([.., 1]) innerStep 0, outerStep 1  (inner = the run it is held for)
// Operands that need another pattern (broadcast in the middle, or rows and columns of different sizes)
// get null and go through broadcastIndex, the general path.
import { sizeOf, type Shape } from "./shape.js";
import { allocFloats, allocZeros } from "../util/stepPool.js";

export interface OperandWalk {
  innerStep: 0 | 1;
  outerStep: number;
}

export interface BroadcastPlan {
  outer: number;
  inner: number;
  walks: OperandWalk[];
}

type Kind = { kind: "full" } | { kind: "scalar" } | { kind: "row"; inner: number } | { kind: "column"; inner: number };

/** How one operand broadcasts to `out`: a kind, or null when it needs the general index map. */
function operandKind(shape: Shape, out: Shape): Kind | null {
  // walk the output axes of size > 1 from the right: does the operand run along each (full) or is it
  // broadcast? One run of each at most; `inner` is the size of the trailing run.
  let trailingFull: boolean | undefined, changes = 0, inner = 1;
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === 1) continue;
    const j = shape.length - out.length + i;
    const full = j >= 0 && shape[j] !== 1;
    if (trailingFull === undefined) trailingFull = full;
    if (full !== trailingFull && changes === 0) changes = 1;
    else if (full === trailingFull && changes === 1) return null; // a third run
    if (changes === 0) inner *= out[i];
  }
  if (trailingFull === undefined) return { kind: "full" };
  if (changes === 0) return trailingFull ? { kind: "full" } : { kind: "scalar" };
  return trailingFull ? { kind: "row", inner } : { kind: "column", inner };
}

/** The [outer, inner] plan for operands of the given shapes broadcasting to `out`, or null. */
export function broadcastPlan(shapes: readonly Shape[], out: Shape): BroadcastPlan | null {
  const n = sizeOf(out);
  const kinds: Kind[] = [];
  for (const s of shapes) {
    const k = operandKind(s, out);
    if (k === null) return null;
    kinds.push(k);
  }
  let inner = n;
  const fixed = kinds.filter((k): k is Kind & { inner: number } => k.kind === "row" || k.kind === "column");
  if (fixed.length > 0) {
    inner = fixed[0].inner;
    if (fixed.some((k) => k.inner !== inner)) return null;
  }
  const outer = inner === 0 ? 0 : n / inner;
  const walks = kinds.map((k): OperandWalk => {
    switch (k.kind) {
      case "full": return { innerStep: 1, outerStep: inner };
      case "scalar": return { innerStep: 0, outerStep: 0 };
      case "row": return { innerStep: 1, outerStep: 0 };
      case "column": return { innerStep: 0, outerStep: 1 };
    }
  });
  return { outer, inner, walks };
}

/**
 * Sums `grad` (laid out like the output of `plan`) back to the operand that walked it, adding in
 * output order into a float32 accumulator, exactly as the general reduceToShape does.
 */
export function reduceByWalk(grad: Float32Array, plan: BroadcastPlan, walk: OperandWalk, size: number, sameShapeAsOut: boolean): Float32Array {
  const { outer, inner } = plan;
  if (walk.innerStep === 1 && walk.outerStep === inner) {
    // full: nothing to sum; only size-1 axes differ, and the general path's 0 + g turns −0 into +0
    if (sameShapeAsOut) return grad;
    const out = allocFloats(size);
    for (let i = 0; i < size; i++) out[i] = 0 + grad[i];
    return out;
  }
  const out = allocZeros(size);
  if (walk.innerStep === 1) {
    // row: out[i] = Σ_o grad[o, i]
    for (let o = 0; o < outer; o++) {
      const base = o * inner;
      for (let i = 0; i < inner; i++) out[i] += grad[base + i];
    }
  } else {
    // column (outerStep 1) or scalar (outerStep 0): out[o·outerStep] += Σ_i grad[o, i], in order
    // (fround of a double sum of two floats is the float32 sum)
    for (let o = 0; o < outer; o++) {
      const base = o * inner, at = o * walk.outerStep;
      let acc = out[at];
      for (let i = 0; i < inner; i++) acc = Math.fround(acc + grad[base + i]);
      out[at] = acc;
    }
  }
  return out;
}
