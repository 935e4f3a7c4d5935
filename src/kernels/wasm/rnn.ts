// Host side of the WebAssembly basic recurrence (assembly/rnn.ts), forward and backward through time, each
// one kernel call; same contracts as rnnForwardReference and rnnBackwardReference in ../rnn.ts.
import type { RecurrenceResult, RecurrenceSteps } from "../recurrence.js";
import type { RnnGradients, RnnTrace } from "../rnn.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
import { copyOut, writeLengths, writeOrZero } from "./recurrence.js";

export type RnnForwardKernel = (
  p: number, r: number, bias: number, lengths: number, B: number, T: number, H: number, reverse: boolean,
  h: number, hPrev: number, hCur: number, a: number, gemmWork: number,
) => void;

export type RnnBackwardKernel = (
  dh: number, carry: number, r: number, h: number, hPrev: number, lengths: number, B: number, T: number, H: number, reverse: boolean,
  dp: number, dr: number, db: number, da: number, gemmWork: number,
) => void;

export function rnnForwardWasm(p: Float32Array, r: Float32Array, bias: Float32Array, h0: Float32Array | null, steps: RecurrenceSteps): RecurrenceResult<RnnTrace> {
  const { B, T, H } = steps, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * H, H * H, H, B, N * H, N * H, B * H, B * H, workFloats]);
  const [pp, pr, pb, pl, ph, phPrev, phCur, pa, pw] = mem.offsets;
  mem.write(pp, p);
  mem.write(pr, r);
  mem.write(pb, bias);
  writeLengths(mem, pl, steps.lengths);
  writeOrZero(mem, phCur, h0, B * H);
  mem.exports.rnnForward(pp, pr, pb, pl, B, T, H, steps.reverse, ph, phPrev, phCur, pa, pw);
  const h = copyOut(mem, ph, N * H);
  return { h, hLast: copyOut(mem, phCur, B * H), trace: { steps, h, hPrev: copyOut(mem, phPrev, N * H) } };
}

export function rnnBackwardWasm(dh: Float32Array, dhLast: Float32Array | null, r: Float32Array, trace: RnnTrace): RnnGradients {
  const { steps } = trace, { B, T, H } = steps, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * H, B * H, H * H, N * H, N * H, B, N * H, H * H, H, B * H, workFloats]);
  const [pdh, pcarry, pr, ph, phPrev, pl, pdp, pdr, pdb, pda, pw] = mem.offsets;
  mem.write(pdh, dh);
  writeOrZero(mem, pcarry, dhLast, B * H);
  mem.write(pr, r);
  mem.write(ph, trace.h);
  mem.write(phPrev, trace.hPrev);
  writeLengths(mem, pl, steps.lengths);
  mem.exports.rnnBackward(pdh, pcarry, pr, ph, phPrev, pl, B, T, H, steps.reverse, pdp, pdr, pdb, pda, pw);
  return { dp: copyOut(mem, pdp, N * H), dr: copyOut(mem, pdr, H * H), db: copyOut(mem, pdb, H), dh0: copyOut(mem, pcarry, B * H) };
}
