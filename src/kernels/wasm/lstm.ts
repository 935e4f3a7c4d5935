// Host side of the WebAssembly LSTM recurrence (assembly/lstm.ts), forward and backward through time, each
// one kernel call; same contracts as lstmForwardReference and lstmBackwardReference in ../lstm.ts. The inputs
// (R among them) are copied into linear memory once per call, the outputs copied back.
import type { LstmTrace } from "../lstm.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";

export type LstmForwardKernel = (
  p: number, r: number, bias: number, B: number, T: number, H: number,
  h: number, gates: number, cells: number, hPrev: number,
  hCur: number, cCur: number, z: number, gemmWork: number,
) => void;

export type LstmBackwardKernel = (
  dh: number, r: number, gates: number, cells: number, hPrev: number, B: number, T: number, H: number,
  dp: number, dr: number, db: number,
  dhNext: number, dcNext: number, dz: number, gemmWork: number,
) => void;

export function lstmForwardWasm(p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number): { h: Float32Array; trace: LstmTrace } {
  const G = 4 * H, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * G, G * H, G, N * H, N * G, N * H, N * H, B * H, B * H, B * G, workFloats]);
  const [pp, pr, pb, ph, pg, pc, phPrev, phCur, pcCur, pz, pw] = mem.offsets;
  mem.write(pp, p);
  mem.write(pr, r);
  mem.write(pb, bias);
  mem.exports.lstmForward(pp, pr, pb, B, T, H, ph, pg, pc, phPrev, phCur, pcCur, pz, pw);
  const copy = (offset: number, length: number) => mem.f32(offset, length).slice();
  return { h: copy(ph, N * H), trace: { B, T, H, gates: copy(pg, N * G), cells: copy(pc, N * H), hPrev: copy(phPrev, N * H) } };
}

export function lstmBackwardWasm(dh: Float32Array, r: Float32Array, trace: LstmTrace): { dp: Float32Array; dr: Float32Array; db: Float32Array } {
  const { B, T, H } = trace, G = 4 * H, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * H, G * H, N * G, N * H, N * H, N * G, G * H, G, B * H, B * H, B * G, workFloats]);
  const [pdh, pr, pg, pc, phPrev, pdp, pdr, pdb, pdhNext, pdcNext, pdz, pw] = mem.offsets;
  mem.write(pdh, dh);
  mem.write(pr, r);
  mem.write(pg, trace.gates);
  mem.write(pc, trace.cells);
  mem.write(phPrev, trace.hPrev);
  mem.exports.lstmBackward(pdh, pr, pg, pc, phPrev, B, T, H, pdp, pdr, pdb, pdhNext, pdcNext, pdz, pw);
  const copy = (offset: number, length: number) => mem.f32(offset, length).slice();
  return { dp: copy(pdp, N * G), dr: copy(pdr, G * H), db: copy(pdb, G) };
}
