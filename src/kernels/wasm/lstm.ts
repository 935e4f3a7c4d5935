// Host side of the WebAssembly LSTM recurrence (assembly/lstm.ts), forward and backward through time, each
// one kernel call; same contracts as lstmForwardReference and lstmBackwardReference in ../lstm.ts. The inputs
// (R among them) are copied into linear memory once per call, the outputs copied back.
import type { LstmGradients, LstmResult, LstmRunOptions, LstmTrace } from "../lstm.js";
import { recurrenceSteps } from "../recurrence.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
import { copyOut, writeLengths, writeOrZero } from "./recurrence.js";

export type LstmForwardKernel = (
  p: number, r: number, bias: number, lengths: number, B: number, T: number, H: number, reverse: boolean,
  h: number, gates: number, cells: number, hPrev: number, cPrev: number,
  hCur: number, cCur: number, z: number, gemmWork: number,
) => void;

export type LstmBackwardKernel = (
  dh: number, r: number, gates: number, cells: number, hPrev: number, cPrev: number, lengths: number, B: number, T: number, H: number, reverse: boolean,
  dp: number, dr: number, db: number,
  dhNext: number, dcNext: number, dz: number, gemmWork: number,
) => void;

export function lstmForwardWasm(p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number, options: LstmRunOptions = {}): LstmResult {
  const G = 4 * H, N = B * T, steps = recurrenceSteps(B, T, H, options.lengths, options.reverse);
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * G, G * H, G, B, N * H, N * G, N * H, N * H, N * H, B * H, B * H, B * G, workFloats]);
  const [pp, pr, pb, pl, ph, pg, pc, phPrev, pcPrev, phCur, pcCur, pz, pw] = mem.offsets;
  mem.write(pp, p);
  mem.write(pr, r);
  mem.write(pb, bias);
  writeLengths(mem, pl, steps.lengths);
  writeOrZero(mem, phCur, options.h0, B * H);
  writeOrZero(mem, pcCur, options.c0, B * H);
  mem.exports.lstmForward(pp, pr, pb, pl, B, T, H, steps.reverse, ph, pg, pc, phPrev, pcPrev, phCur, pcCur, pz, pw);
  const trace: LstmTrace = { steps, gates: copyOut(mem, pg, N * G), cells: copyOut(mem, pc, N * H), hPrev: copyOut(mem, phPrev, N * H), cPrev: copyOut(mem, pcPrev, N * H) };
  return { h: copyOut(mem, ph, N * H), hLast: copyOut(mem, phCur, B * H), cLast: copyOut(mem, pcCur, B * H), trace };
}

export function lstmBackwardWasm(dh: Float32Array, r: Float32Array, trace: LstmTrace, dhLast?: Float32Array | null, dcLast?: Float32Array | null): LstmGradients {
  const { steps } = trace, { B, T, H } = steps, G = 4 * H, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * H, G * H, N * G, N * H, N * H, N * H, B, N * G, G * H, G, B * H, B * H, B * G, workFloats]);
  const [pdh, pr, pg, pc, phPrev, pcPrev, pl, pdp, pdr, pdb, pdhNext, pdcNext, pdz, pw] = mem.offsets;
  mem.write(pdh, dh);
  mem.write(pr, r);
  mem.write(pg, trace.gates);
  mem.write(pc, trace.cells);
  mem.write(phPrev, trace.hPrev);
  mem.write(pcPrev, trace.cPrev);
  writeLengths(mem, pl, steps.lengths);
  writeOrZero(mem, pdhNext, dhLast, B * H);
  writeOrZero(mem, pdcNext, dcLast, B * H);
  mem.exports.lstmBackward(pdh, pr, pg, pc, phPrev, pcPrev, pl, B, T, H, steps.reverse, pdp, pdr, pdb, pdhNext, pdcNext, pdz, pw);
  return { dp: copyOut(mem, pdp, N * G), dr: copyOut(mem, pdr, G * H), db: copyOut(mem, pdb, G), dh0: copyOut(mem, pdhNext, B * H), dc0: copyOut(mem, pdcNext, B * H) };
}
