export declare function gemmReference(a: Float32Array, aOffset: number, transA: boolean, b: Float32Array, bOffset: number, transB: boolean, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void;
/** C[m×n] (+)= op(A)·op(B): the WebAssembly kernel (same arguments as gemmReference). */
export declare const gemm: typeof gemmReference;
