// Host side of the WebAssembly LSTM forward recurrence (assembly/lstm.ts); same contract as
// lstmForwardReference in ../lstm.ts.
import type { LstmTrace } from "../lstm.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";

export type LstmForwardKernel = (
  p: number, r: number, bias: number, B: number, T: number, H: number,
  h: number, gates: number, cells: number, hPrev: number,
  hCur: number, cCur: number, z: number, gemmWork: number,
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
