// Host side of the WebAssembly GRU recurrence (assembly/gru.ts), forward and backward through time, each
// one kernel call; same contracts as gruForwardReference and gruBackwardReference in ../gru.ts.
import type { GruGradients, GruTrace } from "../gru.js";
import type { RecurrenceResult, RecurrenceSteps } from "../recurrence.js";
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
import { residentOffset } from "./resident.js";
import { copyOut, writeLengths, writeOrZero } from "./recurrence.js";

export type GruForwardKernel = (
  p: number, r: number, bx: number, bh: number, lengths: number, B: number, T: number, H: number, reverse: boolean, resetAfter: boolean,
  h: number, gates: number, hPrev: number, q: number,
  hCur: number, z: number, v: number, u: number, gemmWork: number,
) => void;

export type GruBackwardKernel = (
  dh: number, carry: number, r: number, gates: number, hPrev: number, q: number, lengths: number, B: number, T: number, H: number, reverse: boolean, resetAfter: boolean,
  dp: number, dU: number, dr: number, dbx: number, dbh: number,
  du: number, dv: number, dz: number, v: number, gemmWork: number,
) => void;

export function gruForwardWasm(p: Float32Array, r: Float32Array, bx: Float32Array, bh: Float32Array, h0: Float32Array | null, steps: RecurrenceSteps, resetAfter: boolean, keepTrace = true): RecurrenceResult<GruTrace> {
  const { B, T, H } = steps, G = 3 * H, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const resident = residentOffset(r); // a decoding step's recurrent weights stay in memory (./resident.ts)
  const mem = layout([N * G, resident === undefined ? G * H : 0, G, G, B, N * H, N * G, N * H, N * H, B * H, B * G, B * H, B * H, workFloats]);
  const [pp, copied, pbx, pbh, pl, ph, pg, phPrev, pq, phCur, pz, pv, pu, pw] = mem.offsets;
  const pr = resident ?? copied;
  mem.write(pp, p);
  if (resident === undefined) mem.write(pr, r);
  mem.write(pbx, bx);
  mem.write(pbh, bh);
  writeLengths(mem, pl, steps.lengths);
  writeOrZero(mem, phCur, h0, B * H);
  mem.exports.gruForward(pp, pr, pbx, pbh, pl, B, T, H, steps.reverse, resetAfter, ph, pg, phPrev, pq, phCur, pz, pv, pu, pw);
  const keep = (offset: number, length: number) => (keepTrace ? copyOut(mem, offset, length) : new Float32Array(0));
  const trace: GruTrace = { steps, resetAfter, gates: keep(pg, N * G), hPrev: keep(phPrev, N * H), q: keep(pq, N * H) };
  return { h: copyOut(mem, ph, N * H), hLast: copyOut(mem, phCur, B * H), trace };
}

export function gruBackwardWasm(dh: Float32Array, dhLast: Float32Array | null, r: Float32Array, trace: GruTrace): GruGradients {
  const { steps, resetAfter } = trace, { B, T, H } = steps, G = 3 * H, N = B * T;
  const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
  const mem = layout([N * H, B * H, G * H, N * G, N * H, N * H, B, N * G, N * H, G * H, G, G, B * H, B * H, B * G, N * H, workFloats]);
  const [pdh, pcarry, pr, pg, phPrev, pq, pl, pdp, pdU, pdr, pdbx, pdbh, pdu, pdv, pdz, pv, pw] = mem.offsets;
  mem.write(pdh, dh);
  writeOrZero(mem, pcarry, dhLast, B * H);
  mem.write(pr, r);
  mem.write(pg, trace.gates);
  mem.write(phPrev, trace.hPrev);
  mem.write(pq, trace.q);
  writeLengths(mem, pl, steps.lengths);
  mem.exports.gruBackward(pdh, pcarry, pr, pg, phPrev, pq, pl, B, T, H, steps.reverse, resetAfter, pdp, pdU, pdr, pdbx, pdbh, pdu, pdv, pdz, pv, pw);
  return { dp: copyOut(mem, pdp, N * G), dr: copyOut(mem, pdr, G * H), dbx: copyOut(mem, pdbx, G), dbh: copyOut(mem, pdbh, G), dh0: copyOut(mem, pcarry, B * H) };
}
