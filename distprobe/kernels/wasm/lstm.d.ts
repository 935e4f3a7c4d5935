import type { LstmTrace } from "../lstm.js";
export type LstmForwardKernel = (p: number, r: number, bias: number, B: number, T: number, H: number, h: number, gates: number, cells: number, hPrev: number, hCur: number, cCur: number, z: number, gemmWork: number) => void;
export declare function lstmForwardWasm(p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number): {
    h: Float32Array;
    trace: LstmTrace;
};
