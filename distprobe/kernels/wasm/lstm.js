import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
export function lstmForwardWasm(p, r, bias, B, T, H) {
    const G = 4 * H, N = B * T;
    const workFloats = wasmKernels().exports.gemmWorkspaceBytes() / 4;
    const mem = layout([N * G, G * H, G, N * H, N * G, N * H, N * H, B * H, B * H, B * G, workFloats]);
    const [pp, pr, pb, ph, pg, pc, phPrev, phCur, pcCur, pz, pw] = mem.offsets;
    mem.write(pp, p);
    mem.write(pr, r);
    mem.write(pb, bias);
    mem.exports.lstmForward(pp, pr, pb, B, T, H, ph, pg, pc, phPrev, phCur, pcCur, pz, pw);
    const copy = (offset, length) => mem.f32(offset, length).slice();
    return { h: copy(ph, N * H), trace: { B, T, H, gates: copy(pg, N * G), cells: copy(pc, N * H), hPrev: copy(phPrev, N * H) } };
}
