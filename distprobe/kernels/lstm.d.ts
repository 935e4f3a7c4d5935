/** What the backward pass needs from the forward pass. */
export interface LstmTrace {
    B: number;
    T: number;
    H: number;
    /** activated gates i, f, g, o per (row, step): [B, T, 4H] */
    gates: Float32Array;
    /** c_t: [B, T, H] */
    cells: Float32Array;
    /** h_{t−1} per (row, step): [B, T, H] */
    hPrev: Float32Array;
}
/** h_t for every row and step: [B, T, H] (plain JS: the reference of the WebAssembly lstmForward). */
export declare function lstmForwardReference(p: Float32Array, r: Float32Array, bias: Float32Array, B: number, T: number, H: number): {
    h: Float32Array;
    trace: LstmTrace;
};
/** The forward recurrence the op uses: the WebAssembly kernel (vectorized gates), same contract. */
export declare const lstmForward: typeof lstmForwardReference;
/** dP [B, T, 4H], dR [4H, H] and db [4H] from dh [B, T, H] (the gradient reaching each h_t from outside). */
export declare function lstmBackward(dh: Float32Array, r: Float32Array, trace: LstmTrace): {
    dp: Float32Array;
    dr: Float32Array;
    db: Float32Array;
};
