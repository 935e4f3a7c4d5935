/** The kernel's signature: byte offsets, sizes, and the block C[i0:i1, j0:j1] it computes (flags 0/1). */
export type GemmKernel = (a: number, transA: number, b: number, transB: number, c: number, m: number, k: number, n: number, accumulate: number, i0: number, i1: number, j0: number, j1: number, work: number) => void;
export declare function gemmWasm(a: Float32Array, aOffset: number, transA: boolean, b: Float32Array, bOffset: number, transB: boolean, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void;
